/**
 * What the playground found in a dropped .onnx file, and — when the graph does not normalise its input itself —
 * how [0,1] pixels are to be scaled for it: as they are, or (x − mean)/std per channel.
 */
import { useEffect, useRef, useState } from 'react';
import { cancelOnnxImport, confirmOnnxImport, DATASET_STATISTICS, useOnnxImport } from '../../state/onnxImport';

const parseList = (text: string): number[] => text.split(',').map((s) => Number(s.trim()));

export function OnnxImportDialog() {
  const pending = useOnnxImport((s) => s.pending);
  const confirm = useRef<HTMLButtonElement>(null);
  const [normalise, setNormalise] = useState(false);
  const [mean, setMean] = useState('');
  const [std, setStd] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!pending) return;
    const stats = DATASET_STATISTICS[pending.summary.dataset];
    setNormalise(false);
    setMean(stats.mean.join(', '));
    setStd(stats.std.join(', '));
    setProblem(null);
    confirm.current?.focus();
  }, [pending]);
  if (!pending) return null;
  const { summary } = pending;
  const channels = summary.inputShape[0];
  const submit = () => {
    if (!normalise || summary.normalisation) return void confirmOnnxImport({ kind: 'unit' });
    const m = parseList(mean);
    const s = parseList(std);
    const bad = [m, s].some((v) => (v.length !== 1 && v.length !== channels) || v.some((x) => !Number.isFinite(x)));
    if (bad || s.some((x) => x <= 0)) {
      setProblem(`Give the mean and the std as 1 or ${channels} numbers, comma-separated; the std must be positive.`);
      return;
    }
    void confirmOnnxImport({ kind: 'normalise', mean: m, std: s });
  };
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="onnx-import-heading">
        <h2 id="onnx-import-heading">Import {pending.name}</h2>
        <p data-testid="onnx-summary">{summary.sentence}</p>
        {summary.normalisation ? (
          <p className="help">The graph scales its input itself; the playground gives it pixels in [0, 1].</p>
        ) : (
          <fieldset className="onnx-scaling">
            <legend>Input scaling (the graph has none of its own)</legend>
            <label>
              <input type="radio" name="onnx-scaling" checked={!normalise} onChange={() => setNormalise(false)} />
              Pixels in [0, 1], as they are
            </label>
            <label>
              <input type="radio" name="onnx-scaling" checked={normalise} onChange={() => setNormalise(true)} />
              Normalise: (x − mean) / std per channel
            </label>
            {normalise && (
              <div className="inline-fields">
                <label>
                  Mean <input aria-label="Input mean" value={mean} onChange={(e) => setMean(e.target.value)} />
                </label>
                <label>
                  Std <input aria-label="Input std" value={std} onChange={(e) => setStd(e.target.value)} />
                </label>
              </div>
            )}
          </fieldset>
        )}
        {problem && <p role="alert">{problem}</p>}
        <p className="help">
          Attacks, budgets ε and certificates stay in pixel units ([0, 1]) whatever the scaling. Softmax at the end of a
          graph is dropped: the playground works on logits.
        </p>
        <div className="button-row">
          <button ref={confirm} type="button" onClick={submit}>
            Import
          </button>
          <button type="button" className="secondary" onClick={cancelOnnxImport}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * "About this model": the current model's card — architecture (layers and parameters), data set and input scaling,
 * provenance (the training command and time, or the imported file, producer and opset) and every measured figure
 * with its command — all read from the model's metadata by the worker. The model can be downloaded as .onnx here.
 */
import { useEffect, useRef } from 'react';
import type { CardProvenance } from '../../core/models/modelCard';
import { useAppStore } from '../../state/appStore';
import { exportCurrentModelOnnx, setModelCardOpen, useOnnxImport } from '../../state/onnxImport';
import { modelDisplayName } from '../../state/shippedModels';
import { downloadBlob } from '../common/downloadBlob';
import { formatPercent } from '../common/format';

export function AboutModelButton() {
  const hasModel = useAppStore((s) => s.model !== null);
  return (
    <button type="button" className="secondary" disabled={!hasModel} onClick={() => setModelCardOpen(true)}>
      About this model
    </button>
  );
}

function Provenance({ p }: { p: CardProvenance }) {
  if (p.kind === 'trained') {
    return (
      <p data-testid="card-provenance">
        Trained by <code>{p.command}</code> in {p.seconds.toFixed(0)} s ({p.epochs} epochs on{' '}
        {p.trainExamples.toLocaleString('en')} images, {p.backend} backend, seed {p.seed}).
      </p>
    );
  }
  if (p.kind === 'imported') {
    return (
      <p data-testid="card-provenance">
        Imported from <strong>{p.file}</strong>: ONNX opset {p.opset} from {p.producer}, {p.nodes} nodes (
        {p.operators.join(', ')}){p.notes.length > 0 ? `; ${p.notes.join('; ')}` : ''}. Imported{' '}
        {new Date(p.importedAt).toLocaleString('en')}.
      </p>
    );
  }
  return <p data-testid="card-provenance">Its metadata records no training command.</p>;
}

const slug = (name: string) => name.replace(/\.onnx$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'model';

export function ModelCardDialog() {
  const open = useOnnxImport((s) => s.cardOpen);
  const model = useAppStore((s) => s.model);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) close.current?.focus();
  }, [open]);
  if (!open || !model) return null;
  const { card } = model;
  const name = modelDisplayName(model.source);
  const download = async () => {
    const bytes = await exportCurrentModelOnnx();
    if (bytes) downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>]), `${slug(name)}.onnx`);
  };
  return (
    <div className="dialog-backdrop">
      <div className="dialog model-card" role="dialog" aria-modal="true" aria-labelledby="model-card-heading">
        <h2 id="model-card-heading">About this model: {name}</h2>
        <p>{card.description}</p>
        <dl className="card-facts">
          <dt>Input</dt>
          <dd>{card.input}</dd>
          <dt>Input scaling</dt>
          <dd data-testid="card-scaling">{card.inputScaling}</dd>
          <dt>Parameters</dt>
          <dd data-testid="card-parameters">{card.parameters.toLocaleString('en')}</dd>
          <dt>Held-out accuracy</dt>
          <dd>
            {card.heldOutAccuracy
              ? `${formatPercent(card.heldOutAccuracy.value)} (${card.heldOutAccuracy.n.toLocaleString('en')} ` +
                `${card.heldOutAccuracy.split} images)`
              : 'not recorded'}
          </dd>
        </dl>
        <Provenance p={card.provenance} />
        <details>
          <summary>Layers ({card.layers.length})</summary>
          <table className="card-layers">
            <thead>
              <tr>
                <th scope="col">Layer</th>
                <th scope="col">Kind</th>
                <th scope="col">Output</th>
                <th scope="col">Parameters</th>
              </tr>
            </thead>
            <tbody>
              {card.layers.map((l) => (
                <tr key={l.name}>
                  <td>{l.name}</td>
                  <td>{l.kind}</td>
                  <td>{l.outputShape.join('×')}</td>
                  <td>{l.parameters.toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
        {card.figures.length > 0 ? (
          <table className="card-figures" data-testid="card-figures">
            <thead>
              <tr>
                <th scope="col">Measured</th>
                <th scope="col">Clean</th>
                <th scope="col">Robust / certified</th>
                <th scope="col">Command</th>
              </tr>
            </thead>
            <tbody>
              {card.figures.map((f) => (
                <tr key={f.command}>
                  <td>
                    {f.method} ({f.kind}), {f.norm} ε = {f.eps}, {f.n.toLocaleString('en')} {f.split} images
                  </td>
                  <td>{formatPercent(f.cleanAccuracy)}</td>
                  <td>{formatPercent(f.accuracy)}</td>
                  <td>
                    <code>{f.command}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No robustness figures are recorded for this model; measure them with the CLI's eval or certify.</p>
        )}
        <div className="button-row">
          <button type="button" className="secondary" onClick={() => void download()}>
            Download as ONNX
          </button>
          <button ref={close} type="button" onClick={() => setModelCardOpen(false)}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

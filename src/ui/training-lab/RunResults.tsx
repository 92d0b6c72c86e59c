/** Each run's state after training or a stop, and what can be done with its model. */
import { runModelFiles, saveRun, switchToSavedModel } from '../../state/training/trainingActions';
import { downloadBlob } from '../common/downloadBlob';
import { useTraining } from '../../state/training/trainingStore';
import type { TrainingRunStatus } from '../../worker/api';
import { runColour } from './runColours';

/** Hands a run's model.json and weights to the browser as two downloads. */
async function downloadRun(runId: string, label: string): Promise<void> {
  for (const { blob, fileName } of (await runModelFiles(runId, label)) ?? []) downloadBlob(blob, fileName);
}

export function RunResults({ busy }: { busy: boolean }) {
  const runs = useTraining((s) => s.runs);
  const curves = useTraining((s) => s.curves);
  const savedRuns = useTraining((s) => s.savedRuns);
  if (runs.length === 0) return null;
  // The IBP-certified share (Gowal et al. 2018) beside the PGD one, when a certified curve is being drawn.
  const certified = runs.some((r) => curves[r.id]?.some((p) => p.certifiedAccuracy !== undefined));
  return (
    <div className="table-scroll">
      <table className="run-results" data-testid="run-results">
        <caption>Models of the last comparison</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">State</th>
            <th scope="col">Parameters</th>
            <th scope="col">Samples seen</th>
            <th scope="col">Samples/s</th>
            <th scope="col">Last test accuracy</th>
            <th scope="col">Robust accuracy (PGD)</th>
            {certified && <th scope="col">Certified accuracy (IBP)</th>}
            <th scope="col">Keep it</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const last = curves[r.id]?.at(-1);
            return (
              <tr key={r.id}>
                <th scope="row" title={r.description}>
                  <span className="swatch" style={{ background: runColour(r.id) }} /> {r.label}
                </th>
                <td>
                  {r.state === 'diverged' ? <span className="field-error">diverged: {r.message}</span> : r.state}
                  <CollapseNote summary={r.summary} />
                </td>
                <td>{r.parameters.toLocaleString('en')}</td>
                <td>{r.summary.samples.toLocaleString('en')}</td>
                <td>{r.summary.samples > 0 ? r.summary.samplesPerSecond.toFixed(0) : '–'}</td>
                <td>{last?.heldOutAccuracy !== undefined ? `${(100 * last.heldOutAccuracy).toFixed(1)}%` : '–'}</td>
                <td>{last?.robustAccuracy !== undefined ? `${(100 * last.robustAccuracy).toFixed(1)}%` : '–'}</td>
                {certified && (
                  <td>
                    {last?.certifiedAccuracy !== undefined ? `${(100 * last.certifiedAccuracy).toFixed(1)}%` : '–'}
                  </td>
                )}
                <td className="button-row">
                  {savedRuns[r.id]?.samples === r.summary.samples ? (
                    <span className="help" data-testid="run-saved">
                      Saved in this browser as “{savedRuns[r.id].name}”
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="secondary"
                      disabled={busy}
                      onClick={() =>
                        void saveRun(r.id, `${r.label} (${r.state}, ${new Date().toLocaleTimeString('en-GB')})`)
                      }
                    >
                      Save in browser
                    </button>
                  )}
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    onClick={() => void downloadRun(r.id, r.label)}
                  >
                    Download
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** Catastrophic overfitting (Wong et al. 2020), in one sentence, when the run's robust curve showed it. */
function CollapseNote({ summary }: { summary: TrainingRunStatus['summary'] }) {
  const c = summary.catastrophicOverfitting;
  if (!c) return null;
  const where = `epoch ${c.epoch + 1}, batch ${c.batch}`;
  return (
    <p className="field-error collapse-note" role="status">
      Catastrophic overfitting ({where}):{' '}
      {c.kind === 'collapse'
        ? `robust accuracy fell from ${pct(c.bestRobustAccuracy)} to ${pct(c.robustAccuracy)} while clean ` +
          `accuracy held at ${pct(c.cleanAccuracy)}.`
        : `the model beats its own training attack but PGD leaves ${pct(c.robustAccuracy)} — it learnt to defeat ` +
          'one step, not to be robust.'}
      {summary.stoppedEarly ? ' The run stopped and kept its best weights.' : ''}
    </p>
  );
}

export function SavedModels({ busy }: { busy: boolean }) {
  const saved = useTraining((s) => s.saved);
  if (saved.length === 0) return null;
  return (
    <section className="saved-models" aria-labelledby="saved-heading">
      <h3 id="saved-heading">Saved in this browser</h3>
      <ul>
        {saved.map((m) => (
          <li key={m.name}>
            <span title={m.meta.description}>{m.name}</span>{' '}
            <span className="help">
              {m.parameters.toLocaleString('en')} parameters, {(m.bytes / 1024).toFixed(0)} KB
              {m.readBack &&
                `; read back: same predictions on ${m.readBack.images} test images (largest logit difference ` +
                  `${m.readBack.maxLogitDifference.toExponential(1)})`}
            </span>{' '}
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => void switchToSavedModel(m.name)}
            >
              use in the attack lab
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

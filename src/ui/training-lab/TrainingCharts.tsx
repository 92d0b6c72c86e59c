/**
 * The live curves: one small chart per quantity, one line per model, x in epochs. They grow at every report, so they
 * are drawn on canvases (CanvasLineChart), thinned to a few hundred points a line.
 */
import type { CurvePoint } from '../../state/training/trainingStore';
import { useTraining } from '../../state/training/trainingStore';
import { CanvasLineChart } from '../common/CanvasLineChart';
import { ChartCard } from '../common/ChartCard';
import { thinSeries } from '../common/thinSeries';
import { runColour } from './runColours';

/** The quantities of a curve point that are numbers (a chart each). */
type NumericKey = { [K in keyof CurvePoint]-?: CurvePoint[K] extends number | undefined ? K : never }[keyof CurvePoint];

interface Metric {
  key: NumericKey;
  title: string;
  /** One line: what the quantity is. */
  definition: string;
  format: (v: number) => string;
  domain?: [number, number];
  scale?: 'log';
}

const percent = (v: number) => `${(100 * v).toFixed(1)}%`;

const METRICS: readonly Metric[] = [
  {
    key: 'loss',
    title: 'Training loss',
    definition:
      'Mean cross-entropy of the batches since the last point (plus the TisODE steady-state term and weight decay ' +
      'where used).',
    format: (v) => v.toFixed(3),
  },
  {
    key: 'trainAccuracy',
    title: 'Training accuracy',
    definition:
      'Share of training examples classified correctly in the batches since the last point (for adversarial ' +
      'training: of the adversarial examples it trains on).',
    format: percent,
    domain: [0, 1],
  },
  {
    key: 'heldOutAccuracy',
    title: 'Test accuracy (held-out)',
    definition: 'Accuracy on the first test images, never trained on.',
    format: percent,
    domain: [0, 1],
  },
  {
    key: 'robustAccuracy',
    title: 'Robust accuracy (PGD, held-out)',
    definition:
      'Share of the probe images classified correctly both clean and after PGD at the comparison’s ε (Madry et ' +
      'al. 2018): an upper bound on true robustness, since a stronger attack can only lower it.',
    format: percent,
    domain: [0, 1],
  },
  {
    key: 'certifiedAccuracy',
    title: 'Certified accuracy (IBP, held-out)',
    definition:
      'Share of the probe images that interval bound propagation proves correct for every perturbation within the ' +
      'comparison’s L∞ ε (Gowal et al. 2018): a lower bound on true robustness, under the robust-accuracy curve.',
    format: percent,
    domain: [0, 1],
  },
  {
    key: 'samplesPerSecond',
    title: 'Throughput',
    definition: 'Training examples per second, forward and backward pass.',
    format: (v) => `${v.toFixed(0)} /s`,
  },
  {
    key: 'lazyRatio',
    title: 'Lazy-training ratio',
    definition: '‖θ_t − θ₀‖ / ‖θ₀‖: how far the weights moved from their initialisation, relative to its size.',
    format: (v) => v.toFixed(3),
  },
  {
    key: 'normalisedMargin',
    title: 'Normalised margin',
    definition:
      'q_min / ρ^L on a training subset (homogeneous nets only): the smallest logit margin over the L-th power of ' +
      'the weight norm.',
    format: (v) => v.toExponential(2),
  },
  {
    key: 'auxiliaryLoss',
    title: 'TisODE steady-state loss',
    definition: 'The regulariser that pulls the ODE state to a steady state after the integration time.',
    format: (v) => v.toExponential(2),
  },
];

/** {run: {n, first, last}} of one quantity, as a data attribute: what the browser tests read. */
function seriesSummary(curves: Record<string, CurvePoint[]>, runIds: string[], key: NumericKey): string {
  const summary: Record<string, { n: number; first?: number; last?: number }> = {};
  for (const id of runIds) {
    const values = curves[id].map((p) => p[key]).filter((v): v is number => typeof v === 'number');
    summary[id] = { n: values.length, first: values[0], last: values.at(-1) };
  }
  return JSON.stringify(summary);
}

export function TrainingCharts() {
  const curves = useTraining((s) => s.curves);
  const runs = useTraining((s) => s.runs);
  const labels = Object.fromEntries(runs.map((r) => [r.id, r.label]));
  const runIds = Object.keys(curves).sort();
  if (runIds.length === 0) return <p className="help">The curves appear here as soon as the first batches are done.</p>;
  const shown = METRICS.filter((m) => runIds.some((id) => curves[id].some((p) => typeof p[m.key] === 'number')));
  const collapsed = runIds.filter((id) => curves[id].some((p) => p.catastrophicOverfitting));
  // Drawn thinned (a long run reports thousands of points); the CSV keeps them all.
  const drawn = Object.fromEntries(runIds.map((id) => [id, thinSeries(curves[id])]));
  return (
    <div className="training-charts" data-testid="training-charts">
      {collapsed.length > 0 && (
        <p className="field-error collapse-banner" role="status">
          Catastrophic overfitting in {collapsed.map((id) => labels[id] ?? id).join(' and ')}: accuracy under PGD is
          near zero or has collapsed while the training attack is beaten (Wong, Rice &amp; Kolter 2020).
        </p>
      )}
      {shown.map((m) => (
        <ChartCard
          key={m.key}
          title={m.title}
          definition={m.definition}
          rows={runIds.flatMap((id) =>
            curves[id].map((p) => ({ run: labels[id] ?? id, epoch: p.x, [m.key]: p[m.key] ?? null })),
          )}
          fileName={`training-${m.key}`}
          testId={`chart-${m.key}`}
          series={seriesSummary(curves, runIds, m.key)}
        >
          <CanvasLineChart
            height={180}
            xLabel="epochs"
            formatX={(v) => v.toFixed(2)}
            formatY={m.format}
            yDomain={m.domain}
            series={runIds.map((id) => ({
              id,
              name: labels[id] ?? id,
              colour: runColour(id),
              points: drawn[id].flatMap((p) =>
                typeof p[m.key] === 'number' ? [{ x: p.x, y: p[m.key] as number }] : [],
              ),
            }))}
          />
        </ChartCard>
      ))}
    </div>
  );
}

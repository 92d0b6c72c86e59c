/**
 * Lyu & Li's normalised margin q_min/ρ^L over training, from the training lab's curves (homogeneous
 * nets report it; see the "Margin growth" preset). Shown only when a run has it.
 */
import { useTraining } from '../../state/training/trainingStore';
import { CanvasLineChart } from '../common/CanvasLineChart';
import { ChartCard } from '../common/ChartCard';
import { runColour } from '../training-lab/runColours';
import { ConceptLink } from './ConceptGlossary';
import { thinSeries } from '../common/thinSeries';

const fmt = (v: number) => v.toExponential(2);

export function TrainingMarginChart() {
  const curves = useTraining((s) => s.curves);
  const runs = useTraining((s) => s.runs);
  const labels = Object.fromEntries(runs.map((r) => [r.id, r.label]));
  const ids = Object.keys(curves)
    .sort()
    .filter((id) => curves[id].some((p) => typeof p.normalisedMargin === 'number'));
  if (ids.length === 0) return null;
  const rows = ids.flatMap((id) =>
    curves[id]
      .filter((p) => typeof p.normalisedMargin === 'number')
      .map((p) => ({
        run: labels[id] ?? id,
        epoch: p.x,
        normalisedMargin: p.normalisedMargin!,
        trainAccuracy: p.trainAccuracy,
      })),
  );
  return (
    <ChartCard
      title="Normalised margin over training"
      definition={
        "q_min/ρ^L on a training subset, from the training lab's runs: Lyu & Li predict it keeps " +
        'rising after training accuracy reaches 100 % (homogeneous nets).'
      }
      rows={rows}
      fileName="normalised-margin-over-training"
      testId="training-margin-chart"
      explain={<ConceptLink id="margins" />}
    >
      <CanvasLineChart
        height={220}
        xLabel="epochs"
        formatX={(v) => v.toFixed(2)}
        formatY={fmt}
        series={ids.map((id) => ({
          id,
          name: labels[id] ?? id,
          colour: runColour(id),
          points: thinSeries(curves[id].filter((p) => typeof p.normalisedMargin === 'number')).map((p) => ({
            x: p.x,
            y: p.normalisedMargin as number,
          })),
        }))}
      />
    </ChartCard>
  );
}

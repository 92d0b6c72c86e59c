/**
 * Lyu & Li's normalised margin q_min/ρ^L over training, from the training lab's curves (homogeneous
 * nets report it; see the "Margin growth" preset). Shown only when a run has it.
 */
import { Line } from 'recharts';
import { useTraining } from '../../state/training/trainingStore';
import { ChartFrame } from '../common/ChartFrame';
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
    <ChartFrame
      card={{
        title: 'Normalised margin over training',
        definition:
          "q_min/ρ^L on a training subset, from the training lab's runs: Lyu & Li predict it keeps " +
          'rising after training accuracy reaches 100 % (homogeneous nets).',
        rows,
        fileName: 'normalised-margin-over-training',
        testId: 'training-margin-chart',
        explain: <ConceptLink id="margins" />,
      }}
      kind="line"
      height={220}
      x={{
        dataKey: 'x',
        type: 'number',
        domain: [0, 'dataMax'],
        tickFormatter: (v: number) => v.toFixed(2),
        label: 'epochs',
      }}
      y={{ tickFormatter: fmt, width: 64, label: 'q_min/ρ^L' }}
      tooltip={{ formatter: (v) => fmt(Number(v)), labelFormatter: (x) => `epoch ${Number(x).toFixed(3)}` }}
    >
      {ids.map((id) => (
        <Line
          key={id}
          data={thinSeries(curves[id]) as (typeof curves)[string]}
          dataKey="normalisedMargin"
          name={labels[id] ?? id}
          stroke={runColour(id)}
          dot={false}
          strokeWidth={2}
          isAnimationActive={false}
          connectNulls
        />
      ))}
    </ChartFrame>
  );
}

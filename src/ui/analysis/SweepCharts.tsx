/**
 * The MLP sweep (Zhu et al. 2022): stability against width, one line per initialisation × depth,
 * filling in as each network finishes; and the lazy-training ratio ‖θ − θ₀‖/‖θ₀‖ of the same
 * networks after the probe training (small = the network stayed near its initialisation).
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StabilitySweepPoint, StabilitySweepRequest, StabilitySweepResult } from '../../worker/api';
import { ChartCard } from '../common/ChartCard';
import { formatValue } from './histogramRows';
import { ConceptLink } from './ConceptGlossary';

const INIT_COLOURS: Record<string, string> = { he: '#b2182b', lecun: '#2166ac', ntk: '#1a7f4b' };
const DEPTH_DASHES = ['', '6 3', '2 2', '8 3 2 3'];

interface SweepChartProps {
  points: StabilitySweepPoint[];
  request: StabilitySweepRequest;
  result: StabilitySweepResult | null;
}

function seriesOf(points: StabilitySweepPoint[], request: StabilitySweepRequest) {
  return request.inits.flatMap((init) =>
    request.depths.map((depth, d) => ({
      key: `${init}-${depth}`,
      name: `${init}, depth ${depth}`,
      colour: INIT_COLOURS[init] ?? '#5b6577',
      dash: DEPTH_DASHES[d % DEPTH_DASHES.length],
      data: points.filter((p) => p.init === init && p.depth === depth).sort((a, b) => a.width - b.width),
    })),
  );
}

const csvRows = (points: StabilitySweepPoint[]) =>
  points.map((p) => ({
    width: p.width,
    depth: p.depth,
    init: p.init,
    parameters: p.parameters,
    eps: p.eps,
    mean: p.mean,
    standardError: p.standardError,
    closedForm: p.analyticFirstOrderSquared,
    lazyTrainingRatio: p.lazyTrainingRatio,
    seconds: p.seconds,
  }));

function SweepLines({
  points,
  request,
  value,
  yLabel,
}: {
  points: StabilitySweepPoint[];
  request: StabilitySweepRequest;
  value: 'mean' | 'lazyTrainingRatio';
  yLabel: string;
}) {
  const widths = request.widths;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="width"
          type="number"
          scale="log"
          domain={[Math.min(...widths), Math.max(...widths)]}
          ticks={widths}
          tickFormatter={String}
          allowDuplicatedCategory={false}
          label={{ value: 'width (hidden units per layer)', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
          height={34}
        />
        <YAxis
          type="number"
          scale="log"
          domain={['auto', 'auto']}
          tickFormatter={formatValue}
          width={60}
          label={{ value: yLabel, angle: -90, position: 'insideLeft', fontSize: 11 }}
        />
        <Tooltip formatter={(v, name) => [formatValue(Number(v)), name]} labelFormatter={(x) => `width ${x}`} />
        <Legend />
        {seriesOf(points, request).map((s) => (
          <Line
            key={s.key}
            data={s.data}
            dataKey={value}
            name={s.name}
            stroke={s.colour}
            strokeDasharray={s.dash}
            strokeWidth={2}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

function trainedText(request: StabilitySweepRequest, result: StabilitySweepResult | null): string {
  if (!request.train) return 'freshly initialised networks (untrained)';
  const t = result?.training;
  return t
    ? `networks after ${t.epochs} epoch of plain SGD (lr ${t.learningRate}, batch ${t.batchSize}) on ${t.data}`
    : 'networks after a short SGD training';
}

export function SweepStabilityChart({ points, request, result }: SweepChartProps) {
  const label = result?.label ?? 'the chosen form';
  return (
    <ChartCard
      title="MLP stability against width"
      definition={
        `${label} at ε = ${request.eps} on ${request.images} test images (${request.samples} draws ` +
        `each), for ${trainedText(request, result)}; colour = initialisation, dash = depth. ${points.length} of ` +
        `${request.widths.length * request.depths.length * request.inits.length} networks done.`
      }
      rows={csvRows(points)}
      fileName="mlp-stability-sweep"
      testId="sweep-stability-chart"
      explain={<ConceptLink id="stability" />}
    >
      <SweepLines points={points} request={request} value="mean" yLabel="stability" />
    </ChartCard>
  );
}

export function SweepLazyChart({ points, request, result }: SweepChartProps) {
  if (!request.train) {
    return (
      <p className="help" data-testid="sweep-lazy-untrained">
        The lazy-training ratio needs training: tick “Train briefly first” and run the sweep again.
      </p>
    );
  }
  return (
    <ChartCard
      title="Lazy-training ratio against width"
      definition={
        `‖θ − θ₀‖₂/‖θ₀‖₂ of the same ${trainedText(request, result)}: small means training barely moved ` +
        `the weights (the lazy regime).`
      }
      rows={csvRows(points)}
      fileName="mlp-lazy-training-ratio"
      testId="sweep-lazy-chart"
      explain={<ConceptLink id="lazy-training" />}
    >
      <SweepLines
        points={points.filter((p) => p.lazyTrainingRatio !== null)}
        request={request}
        value="lazyTrainingRatio"
        yLabel="‖θ − θ₀‖/‖θ₀‖"
      />
    </ChartCard>
  );
}

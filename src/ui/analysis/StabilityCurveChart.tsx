/**
 * Perturbation stability against the L2 radius ε, one line per model (log–log): the Monte-Carlo
 * estimate of the chosen form, and for the first-order squared form the closed form
 * ε²‖J‖_F²/(d+2) beside it (dashed), which the estimate must match within its standard error.
 */
import { Line } from 'recharts';
import type { StabilityResult } from '../../worker/api';
import { ChartFrame } from '../common/ChartFrame';
import { formatValue } from './histogramRows';
import { modelColour } from './modelColours';
import { ConceptLink } from './ConceptGlossary';

export function StabilityCurveChart({ results }: { results: StabilityResult[] }) {
  const first = results[0].curve;
  const analytic = first.form === 'first-order-squared';
  const rows = results.flatMap((r) =>
    r.curve.points.map((p) => ({
      model: r.name,
      form: r.curve.form,
      eps: p.eps,
      monteCarlo: p.mean,
      standardError: p.standardError,
      closedForm: p.analyticFirstOrderSquared,
    })),
  );
  return (
    <ChartFrame
      card={{
        title: 'Stability against ε',
        definition:
          `${first.label}, x̂ uniform in the L2 ball of radius ε around x, on ${first.n} test images, ` +
          `${first.samples} draws each (smaller = more stable; logits as ` +
          `f).${analytic ? ` Dashed: the closed form ε²‖∇ₓf‖²/(d+2), d = ${first.d}.` : ''}`,
        rows,
        fileName: `stability-${first.form}`,
        testId: 'stability-chart',
        explain: <ConceptLink id="stability" />,
      }}
      kind="line"
      height={240}
      x={{
        dataKey: 'eps',
        type: 'number',
        scale: 'log',
        domain: ['auto', 'auto'],
        tickFormatter: formatValue,
        label: 'ε (L2 radius, pixels in [0,1])',
        allowDuplicatedCategory: false,
      }}
      y={{
        type: 'number',
        scale: 'log',
        domain: ['auto', 'auto'],
        tickFormatter: formatValue,
        width: 60,
        label: 'stability',
      }}
      tooltip={{
        formatter: (v, name, item) => {
          const se = (item.payload as { standardError?: number }).standardError;
          return [
            String(name).endsWith('Monte Carlo') && se !== undefined
              ? `${formatValue(Number(v))} ± ${formatValue(se)}`
              : formatValue(Number(v)),
            name,
          ];
        },
        labelFormatter: (x) => `ε = ${formatValue(Number(x))}`,
      }}
    >
      {results.map((r, k) => {
        const data = r.curve.points.map((p) => ({
          eps: p.eps,
          mean: p.mean,
          standardError: p.standardError,
          analytic: p.analyticFirstOrderSquared,
        }));
        return [
          <Line
            key={`${r.name}-mc`}
            data={data}
            dataKey="mean"
            name={`${r.name}: Monte Carlo`}
            stroke={modelColour(k)}
            strokeWidth={2}
            isAnimationActive={false}
          />,
          analytic ? (
            <Line
              key={`${r.name}-cf`}
              data={data}
              dataKey="analytic"
              name={`${r.name}: closed form`}
              stroke={modelColour(k)}
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />
          ) : null,
        ];
      })}
    </ChartFrame>
  );
}

/**
 * Perturbation stability against the L2 radius ε, one line per model (log–log): the Monte-Carlo
 * estimate of the chosen form, and for the first-order squared form the closed form
 * ε²‖J‖_F²/(d+2) beside it (dashed), which the estimate must match within its standard error.
 */
import type { StabilityResult } from '../../worker/api';
import { ChartCard } from '../common/ChartCard';
import { logAxis } from '../common/chartAxes';
import { PlainChart, type PlainSeries } from '../common/PlainChart';
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
  const series: PlainSeries[] = results.flatMap((r, k) => {
    const monteCarlo: PlainSeries = {
      id: `${r.name}-mc`,
      name: `${r.name}: Monte Carlo`,
      colour: modelColour(k),
      // A log–log chart: a zero (no change at all) has no place on it.
      points: r.curve.points
        .filter((p) => p.eps > 0 && p.mean > 0)
        .map((p) => ({
          x: p.eps,
          y: p.mean,
          title:
            `${r.name}: ${formatValue(p.mean)} ± ${formatValue(p.standardError)} (Monte Carlo) at ` +
            `ε = ${formatValue(p.eps)}`,
        })),
    };
    if (!analytic) return [monteCarlo];
    const closed = r.curve.points.filter((p) => p.eps > 0 && p.analyticFirstOrderSquared > 0);
    return [
      monteCarlo,
      {
        id: `${r.name}-cf`,
        name: `${r.name}: closed form`,
        colour: modelColour(k),
        kind: 'curve',
        dash: '5 4',
        points: closed.map((p) => ({ x: p.eps, y: p.analyticFirstOrderSquared })),
      },
    ];
  });
  return (
    <ChartCard
      title="Stability against ε"
      definition={
        `${first.label}, x̂ uniform in the L2 ball of radius ε around x, on ${first.n} test images, ` +
        `${first.samples} draws each (smaller = more stable; logits as ` +
        `f).${analytic ? ` Dashed: the closed form ε²‖∇ₓf‖²/(d+2), d = ${first.d}.` : ''}`
      }
      rows={rows}
      fileName={`stability-${first.form}`}
      testId="stability-chart"
      explain={<ConceptLink id="stability" />}
    >
      <PlainChart
        height={240}
        x={{
          ...logAxis(series.flatMap((s) => s.points.map((p) => p.x))),
          log: true,
          format: formatValue,
          label: 'ε (L2 radius, pixels in [0,1])',
        }}
        y={{
          ...logAxis(series.flatMap((s) => s.points.map((p) => p.y))),
          log: true,
          format: formatValue,
          label: 'stability',
        }}
        series={series}
      />
    </ChartCard>
  );
}

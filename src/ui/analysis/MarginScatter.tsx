/**
 * Margin against distance, one point per correctly classified DeepFool image: DeepFool's L2
 * distance above, the Lipschitz-certified radius q/(√2·Π‖W‖₂) below (a straight line through 0).
 * The true distance to the decision boundary lies between the two.
 */
import type { MarginsResult } from '../../worker/api';
import { ChartCard } from '../common/ChartCard';
import { valueAxis } from '../common/chartAxes';
import { PlainChart, type PlainSeries } from '../common/PlainChart';
import { formatValue } from './histogramRows';
import { modelColour } from './modelColours';
import { ConceptLink } from './ConceptGlossary';

export function MarginScatter({ results }: { results: MarginsResult[] }) {
  const series = results.map((r) => {
    const shown = r.result.examples.filter((e) => e.deepFoolDistance !== null);
    return {
      name: r.name,
      deepFool: shown.map((e) => ({ index: e.index, margin: e.margin, distance: e.deepFoolDistance! })),
      certified: shown
        .filter((e) => e.certifiedL2 !== null)
        .map((e) => ({ index: e.index, margin: e.margin, distance: e.certifiedL2! })),
    };
  });
  const csv = results.flatMap((r) =>
    r.result.examples
      .filter((e) => e.deepFoolDistance !== null)
      .map((e) => ({
        model: r.name,
        image: e.index,
        label: e.label,
        margin: e.margin,
        deepFoolL2: e.deepFoolDistance,
        certifiedL2: e.certifiedL2,
        pgdLinf: e.pgdLinfDistance,
      })),
  );
  const point = (p: { index: number; margin: number; distance: number }, what: string) => ({
    x: p.margin,
    y: p.distance,
    title: `test image ${p.index}: margin ${formatValue(p.margin)}, ${what} ${formatValue(p.distance)}`,
  });
  const plotted: PlainSeries[] = series.flatMap((s, k) => [
    {
      id: `${s.name}-df`,
      name: `${s.name}: DeepFool`,
      colour: modelColour(k),
      kind: 'dots' as const,
      points: s.deepFool.map((p) => point(p, 'DeepFool L2 distance')),
    },
    {
      id: `${s.name}-cert`,
      name: `${s.name}: certified`,
      colour: modelColour(k),
      kind: 'rings' as const,
      points: s.certified.map((p) => point(p, 'certified L2 radius')),
    },
  ]);
  const all = series.flatMap((s) => [...s.deepFool, ...s.certified]);
  return (
    <ChartCard
      title="Margin against distance to the boundary"
      definition={
        'each correctly classified DeepFool image: the L2 distance DeepFool needed (filled) and the ' +
        'radius certified by the margin and the layer operator norms, q/(√2·Π‖W‖₂) (hollow). The ' +
        'true distance lies between them.'
      }
      rows={csv}
      fileName="margin-vs-distance"
      testId="margin-scatter"
      explain={<ConceptLink id="distances" />}
    >
      <PlainChart
        height={240}
        x={{
          ...valueAxis(all.map((p) => p.margin)),
          format: formatValue,
          label: 'clean margin q (logit units)',
        }}
        y={{
          ...valueAxis(
            all.map((p) => p.distance),
            { from0: true },
          ),
          format: formatValue,
          label: 'L2 distance',
        }}
        series={plotted}
      />
    </ChartCard>
  );
}

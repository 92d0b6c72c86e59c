/**
 * Margin against distance, one point per correctly classified DeepFool image: DeepFool's L2
 * distance above, the Lipschitz-certified radius q/(√2·Π‖W‖₂) below (a straight line through 0).
 * The true distance to the decision boundary lies between the two.
 */
import { Scatter } from 'recharts';
import type { MarginsResult } from '../../worker/api';
import { ChartFrame } from '../common/ChartFrame';
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
  return (
    <ChartFrame
      card={{
        title: 'Margin against distance to the boundary',
        definition:
          'each correctly classified DeepFool image: the L2 distance DeepFool needed (filled) and the ' +
          'radius certified by the margin and the layer operator norms, q/(√2·Π‖W‖₂) (hollow). The ' +
          'true distance lies between them.',
        rows: csv,
        fileName: 'margin-vs-distance',
        testId: 'margin-scatter',
        explain: <ConceptLink id="distances" />,
      }}
      kind="scatter"
      height={240}
      x={{
        dataKey: 'margin',
        type: 'number',
        name: 'margin',
        tickFormatter: formatValue,
        label: 'clean margin q (logit units)',
      }}
      y={{
        dataKey: 'distance',
        type: 'number',
        name: 'L2 distance',
        tickFormatter: formatValue,
        width: 52,
        label: 'L2 distance',
      }}
      tooltip={{
        cursor: { strokeDasharray: '3 3' },
        formatter: (v, name) => [formatValue(Number(v)), String(name)],
        labelFormatter: () => '',
      }}
    >
      {series.map((s, k) => [
        <Scatter
          key={`${s.name}-df`}
          name={`${s.name}: DeepFool`}
          data={s.deepFool}
          fill={modelColour(k)}
          isAnimationActive={false}
        />,
        <Scatter
          key={`${s.name}-cert`}
          name={`${s.name}: certified`}
          data={s.certified}
          fill="none"
          stroke={modelColour(k)}
          isAnimationActive={false}
        />,
      ])}
    </ChartFrame>
  );
}

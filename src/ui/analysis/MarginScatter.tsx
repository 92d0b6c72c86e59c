/**
 * Margin against distance, one point per correctly classified DeepFool image: DeepFool's L2
 * distance above, the Lipschitz-certified radius q/(√2·Π‖W‖₂) below (a straight line through 0).
 * The true distance to the decision boundary lies between the two.
 */
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MarginsResult } from '../../worker/api';
import { ChartCard } from '../common/ChartCard';
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
      <ResponsiveContainer width="100%" height={240}>
        <ScatterChart margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="margin"
            type="number"
            name="margin"
            tickFormatter={formatValue}
            label={{ value: 'clean margin q (logit units)', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
            height={34}
          />
          <YAxis
            dataKey="distance"
            type="number"
            name="L2 distance"
            tickFormatter={formatValue}
            width={52}
            label={{ value: 'L2 distance', angle: -90, position: 'insideLeft', fontSize: 11 }}
          />
          <Tooltip
            cursor={{ strokeDasharray: '3 3' }}
            formatter={(v, name) => [formatValue(Number(v)), String(name)]}
            labelFormatter={() => ''}
          />
          <Legend />
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
        </ScatterChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

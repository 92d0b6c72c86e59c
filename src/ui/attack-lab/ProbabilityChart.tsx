/** The model's probability for each class, on the clean and on the adversarial image. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AttackOutcome } from '../../worker/api';
import { className, formatPercent } from '../common/format';

const CLEAN_COLOUR = '#7a8699';
const ADVERSARIAL_COLOUR = '#b2182b';
/** Names longer than this ("automobile") are slanted so ten of them fit under the bars. */
const UPRIGHT_NAME_LENGTH = 3;

export function ProbabilityChart({ outcome, classNames }: { outcome: AttackOutcome; classNames: readonly string[] }) {
  const data = outcome.original.probabilities.map((clean, k) => ({
    name: className(k, classNames),
    clean,
    adversarial: outcome.adversarial.probabilities[k],
  }));
  const slanted = data.some((d) => d.name.length > UPRIGHT_NAME_LENGTH);
  return (
    <div className="probability-chart" data-testid="probability-chart">
      <ResponsiveContainer width="100%" height={slanted ? 260 : 220}>
        <BarChart data={data} margin={{ top: 10, right: 8, bottom: 0, left: 4 }} barGap={1}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          {slanted ? (
            <XAxis
              dataKey="name"
              tickLine={false}
              interval={0}
              angle={-35}
              textAnchor="end"
              height={62}
              fontSize={12}
            />
          ) : (
            <XAxis dataKey="name" tickLine={false} />
          )}
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={52} />
          <Tooltip
            formatter={(v) => formatPercent(Number(v))}
            labelFormatter={(d) => (slanted ? String(d) : `Class ${d}`)}
          />
          <Legend itemSorter={null} />
          {/* No animation: while scrubbing ε the bars should jump, not lag. */}
          <Bar dataKey="clean" name="Clean" fill={CLEAN_COLOUR} isAnimationActive={false} />
          <Bar dataKey="adversarial" name="Adversarial" fill={ADVERSARIAL_COLOUR} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

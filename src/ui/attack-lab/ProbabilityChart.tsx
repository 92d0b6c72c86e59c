/** The model's probability for each class, on the clean and on the adversarial image. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AttackOutcome } from '../../worker/api';
import { formatPercent } from '../common/format';

const CLEAN_COLOUR = '#7a8699';
const ADVERSARIAL_COLOUR = '#b2182b';

export function ProbabilityChart({ outcome }: { outcome: AttackOutcome }) {
  const data = outcome.original.probabilities.map((clean, k) => ({
    digit: String(k),
    clean,
    adversarial: outcome.adversarial.probabilities[k],
  }));
  return (
    <div className="probability-chart" data-testid="probability-chart">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 10, right: 8, bottom: 0, left: 4 }} barGap={1}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="digit" tickLine={false} />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={52} />
          <Tooltip formatter={(v) => formatPercent(Number(v))} labelFormatter={(d) => `Class ${d}`} />
          <Legend itemSorter={null} />
          {/* No animation: while scrubbing ε the bars should jump, not lag. */}
          <Bar dataKey="clean" name="Clean" fill={CLEAN_COLOUR} isAnimationActive={false} />
          <Bar dataKey="adversarial" name="Adversarial" fill={ADVERSARIAL_COLOUR} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

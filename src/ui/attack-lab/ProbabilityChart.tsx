/** The model's probability for each class, on the clean and on the adversarial image. */
import { Bar } from 'recharts';
import type { AttackOutcome } from '../../worker/api';
import { ChartFrame } from '../common/ChartFrame';
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
      <ChartFrame
        kind="bar"
        height={slanted ? 260 : 220}
        data={data}
        chart={{ margin: { top: 10, right: 8, bottom: 0, left: 4 }, barGap: 1 }}
        verticalGrid={false}
        x={
          slanted
            ? { dataKey: 'name', tickLine: false, interval: 0, angle: -35, textAnchor: 'end', height: 62, fontSize: 12 }
            : { dataKey: 'name', tickLine: false }
        }
        y={{ domain: [0, 1], tickFormatter: (v: number) => `${Math.round(v * 100)}%`, width: 52 }}
        tooltip={{
          formatter: (v) => formatPercent(Number(v)),
          labelFormatter: (d) => (slanted ? String(d) : `Class ${d}`),
        }}
        legend={{ itemSorter: null }}
      >
        {/* No animation: while scrubbing ε the bars should jump, not lag. */}
        <Bar dataKey="clean" name="Clean" fill={CLEAN_COLOUR} isAnimationActive={false} />
        <Bar dataKey="adversarial" name="Adversarial" fill={ADVERSARIAL_COLOUR} isAnimationActive={false} />
      </ChartFrame>
    </div>
  );
}

/**
 * The model's probability for each class, on the clean and on the adversarial image: two bars per class, drawn as
 * plain SVG. It is redrawn on every attack and every step of the ε scrubber, so it must cost next to nothing: a
 * general chart library took hundreds of milliseconds of the main thread to draw these twenty bars the first time
 * (issue 18), and loading it at all would put it on the first page's critical path. Each class's values are its hover
 * text (title) and accessible name.
 */
import type { AttackOutcome } from '../../worker/api';
import { className, formatPercent } from '../common/format';

const CLEAN_COLOUR = '#7a8699';
const ADVERSARIAL_COLOUR = '#b2182b';
/** Names longer than this ("automobile") are slanted so ten of them fit under the bars. */
const UPRIGHT_NAME_LENGTH = 3;
/** The drawing's own coordinates; the SVG scales to its column's width. */
const WIDTH = 480;
const PLOT = { left: 44, right: 8, top: 10 };
const PLOT_HEIGHT = 150;
const NAMES_HEIGHT = { upright: 22, slanted: 60 };
const LEGEND_HEIGHT = 24;
const Y_TICKS = [0, 0.25, 0.5, 0.75, 1];
/** Share of a class's slot the pair of bars fills. */
const BAR_FILL = 0.8;

export function ProbabilityChart({ outcome, classNames }: { outcome: AttackOutcome; classNames: readonly string[] }) {
  const clean = outcome.original.probabilities;
  const adversarial = outcome.adversarial.probabilities;
  const names = clean.map((_, k) => className(k, classNames));
  const slanted = names.some((n) => n.length > UPRIGHT_NAME_LENGTH);
  const namesHeight = slanted ? NAMES_HEIGHT.slanted : NAMES_HEIGHT.upright;
  const height = PLOT.top + PLOT_HEIGHT + namesHeight + LEGEND_HEIGHT;
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const slot = plotWidth / names.length;
  const bar = (slot * BAR_FILL) / 2;
  const y = (p: number) => PLOT.top + PLOT_HEIGHT * (1 - p);
  const base = y(0);
  return (
    <div className="probability-chart" data-testid="probability-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-label="Probability of each class, clean and adversarial"
      >
        {Y_TICKS.map((t) => (
          <g key={t} className="probability-grid">
            <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(t)} y2={y(t)} stroke="#d5d9e0" strokeDasharray="3 3" />
            <text x={PLOT.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize={11} fill="#5b6577">
              {`${Math.round(t * 100)}%`}
            </text>
          </g>
        ))}
        {names.map((name, k) => {
          const x0 = PLOT.left + k * slot;
          const centre = x0 + slot / 2;
          const values = `${name}: clean ${formatPercent(clean[k])}, adversarial ${formatPercent(adversarial[k])}`;
          return (
            <g key={name} className="probability-class" data-testid="probability-class" aria-label={values}>
              <title>{values}</title>
              {/* The whole slot takes the hover, not only the bars (a bar of 0 % has no height to point at). */}
              <rect x={x0} y={PLOT.top} width={slot} height={PLOT_HEIGHT} fill="transparent" />
              <rect x={centre - bar} y={y(clean[k])} width={bar} height={base - y(clean[k])} fill={CLEAN_COLOUR} />
              <rect
                x={centre}
                y={y(adversarial[k])}
                width={bar}
                height={base - y(adversarial[k])}
                fill={ADVERSARIAL_COLOUR}
              />
              <text
                className="probability-class-name"
                x={centre}
                y={base + 14}
                fontSize={12}
                fill="#1d2433"
                textAnchor={slanted ? 'end' : 'middle'}
                transform={slanted ? `rotate(-35 ${centre} ${base + 14})` : undefined}
              >
                {name}
              </text>
            </g>
          );
        })}
        <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={base} y2={base} stroke="#5b6577" />
        <Legend y={height - LEGEND_HEIGHT / 2} />
      </svg>
    </div>
  );
}

function Legend({ y }: { y: number }) {
  const entries = [
    ['Clean', CLEAN_COLOUR],
    ['Adversarial', ADVERSARIAL_COLOUR],
  ] as const;
  const centre = WIDTH / 2;
  return (
    <g className="probability-legend">
      {entries.map(([label, colour], i) => {
        const x = centre + (i === 0 ? -90 : 10);
        return (
          <g key={label}>
            <rect x={x} y={y - 5} width={10} height={10} fill={colour} />
            <text x={x + 14} y={y} dy="0.32em" fontSize={12} fill="#1d2433">
              {label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

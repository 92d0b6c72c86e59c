/**
 * The axes of the plain charts: a value axis over the data (valueAxis), a logarithmic one (logAxis), and those of
 * every accuracy-against-ε chart (Certify, the robustness curves, the picture's certificate ruler), in one place: the
 * accuracy axis fits the data, so curves between 90 and 97 % are not squeezed into a strip of a fixed 0–100 % axis
 * (which stays one toggle away), and the ε axis has its ticks on the ε values that were measured, or on round numbers
 * when those are too many or too close together — never on recharts' own fifths of the largest ε (0.07, 0.15, 0.23
 * for 0.3), which match nothing that was run.
 */

export interface Axis {
  domain: [number, number];
  ticks: number[];
}

/** At most this many intervals between ticks: enough to read a value off, few enough to label on a phone. */
export const MAX_TICK_INTERVALS = 5;
/** The finest accuracy step: one percentage point (a test set of a few hundred images resolves no finer). */
export const MIN_ACCURACY_STEP = 0.01;
/** Measured ε values become the ticks when there are at most this many, 0 included… */
export const MAX_MEASURED_TICKS = 7;
/** …and no two are closer than this share of the axis (closer labels overlap). */
export const MIN_TICK_GAP_SHARE = 1 / 12;

/** The full 0–100 % accuracy axis, in quarters. */
export const FULL_ACCURACY_AXIS: Axis = { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] };

/** Round step sizes: 1, 2, 2.5 and 5 times a power of ten. */
const ROUND_MANTISSAS = [1, 2, 2.5, 5];

/** Removes the binary noise of multiples of a decimal step (0.1 · 3 = 0.30000000000000004). */
const clean = (v: number) => Number(v.toPrecision(12));

/**
 * The smallest round step (at least `minStep`) for which [⌊lo/step⌋·step, ⌈hi/step⌉·step] covers [lo, hi] in at
 * most `maxIntervals` steps; the snapped ends come with it.
 */
export function roundStep(
  lo: number,
  hi: number,
  maxIntervals = MAX_TICK_INTERVALS,
  minStep = 0,
): { step: number; lo: number; hi: number } {
  const span = Math.max(hi - lo, minStep, Number.MIN_VALUE);
  for (let exponent = Math.floor(Math.log10(span / maxIntervals)) - 1; ; exponent++) {
    for (const m of ROUND_MANTISSAS) {
      const step = clean(m * 10 ** exponent);
      if (step < minStep) continue;
      // The tolerance keeps an end that is already a multiple of the step (0.3 / 0.1 = 2.9999999999999996) in place.
      const first = Math.floor(lo / step + 1e-9);
      const last = Math.ceil(hi / step - 1e-9);
      if (last - first <= maxIntervals) return { step, lo: clean(first * step), hi: clean(last * step) };
    }
  }
}

/** lo, lo + step, …, hi. */
function ticksBetween(lo: number, hi: number, step: number): number[] {
  const n = Math.round((hi - lo) / step);
  return Array.from({ length: n + 1 }, (_, i) => clean(lo + i * step));
}

/**
 * The accuracy axis for these values (shares in [0,1]): from the round number below the lowest to the round number
 * above the highest, in steps of at least one percentage point; `full` (or no values) gives 0–100 %.
 */
export function accuracyAxis(values: readonly (number | null | undefined)[], full = false): Axis {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (full || finite.length === 0) return FULL_ACCURACY_AXIS;
  const min = Math.max(0, Math.min(...finite));
  const max = Math.min(1, Math.max(...finite));
  let { step, lo, hi } = roundStep(min, max, MAX_TICK_INTERVALS, MIN_ACCURACY_STEP);
  if (hi === lo) {
    // All values equal and on a tick: one step above (or below, at 100 %), so the line is not on the frame's edge.
    if (hi + step <= 1) hi = clean(hi + step);
    else lo = clean(lo - step);
  }
  return { domain: [Math.max(0, lo), Math.min(1, hi)], ticks: ticksBetween(lo, hi, step) };
}

/**
 * The ε (or radius) axis from 0 to the largest measured value: its ticks are 0 and the measured values when they are
 * few and far enough apart to label, else round numbers from 0.
 */
export function epsAxis(measured: readonly number[]): Axis {
  const values = [...new Set([0, ...measured.filter((v) => Number.isFinite(v) && v >= 0)])].sort((a, b) => a - b);
  const max = values[values.length - 1];
  if (max === 0) return { domain: [0, 1], ticks: [0, 1] };
  const gaps = values.slice(1).map((v, i) => v - values[i]);
  if (values.length <= MAX_MEASURED_TICKS && Math.min(...gaps) >= MIN_TICK_GAP_SHARE * max) {
    return { domain: [0, max], ticks: values };
  }
  const { step } = roundStep(0, max);
  return { domain: [0, max], ticks: ticksBetween(0, Math.floor(max / step + 1e-9) * step, step) };
}

/** A tick's label: at most three significant digits, no trailing zeros (0.196, 0.05, 0.3). */
export function formatTick(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/**
 * A linear axis over these values, snapped outwards to round ticks (at most five intervals); `from0` starts it at 0
 * (counts, norms), `integer` keeps its steps whole (counts of images).
 */
export function valueAxis(values: readonly number[], options: { from0?: boolean; integer?: boolean } = {}): Axis {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { domain: [0, 1], ticks: [0, 1] };
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (options.from0) min = Math.min(0, min);
  if (max === min) [min, max] = options.from0 && min === 0 ? [0, 1] : [min - 0.5, max + 0.5];
  const { step, lo, hi } = roundStep(min, max, MAX_TICK_INTERVALS, options.integer ? 1 : 0);
  return { domain: [lo, hi], ticks: ticksBetween(lo, hi, step) };
}

/**
 * A log10 axis over these values (the positive ones): from the power of ten at or below the smallest to the one at or
 * above the largest, ticked at the powers of ten, and at 2 and 5 times them when it spans a single decade.
 */
export function logAxis(values: readonly number[]): Axis {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return { domain: [0.1, 1], ticks: [0.1, 1] };
  const lo = Math.floor(Math.log10(Math.min(...positive)) + 1e-9);
  let hi = Math.ceil(Math.log10(Math.max(...positive)) - 1e-9);
  if (hi === lo) hi = lo + 1;
  const powers = Array.from({ length: hi - lo + 1 }, (_, i) => clean(10 ** (lo + i)));
  const ticks = hi - lo === 1 ? [powers[0], clean(2 * powers[0]), clean(5 * powers[0]), powers[1]] : powers;
  return { domain: [powers[0], powers[powers.length - 1]], ticks };
}

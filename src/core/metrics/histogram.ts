/**
 * Equal-width histograms with one stated edge convention, shared by the reliability diagram, the
 * confidence histogram and the margin histogram: bins are (lo, hi], except the first, which is
 * [lo₀, hi₀] so that the lowest value is counted (Guo et al. 2017 use (lower, upper] edges for
 * calibration, §2). Values outside [lo, hi] are clamped into the end bins.
 */
import { InvalidOptionError } from '../util/errors';

export const BIN_EDGE_CONVENTION = '(lo, hi]; the first bin is [lo, hi]';

export interface Histogram {
  /** numBins + 1 edges, edges[m] = lo + m·(hi − lo)/numBins. */
  edges: number[];
  counts: number[];
  convention: typeof BIN_EDGE_CONVENTION;
}

export function checkBinCount(numBins: number): void {
  if (!(Number.isInteger(numBins) && numBins >= 1 && numBins <= 10_000)) {
    throw new InvalidOptionError(`The number of bins must be a whole number from 1 to 10000, got ${numBins}.`);
  }
}

export function binEdges(lo: number, hi: number, numBins: number): number[] {
  return Array.from({ length: numBins + 1 }, (_, m) => (m === numBins ? hi : lo + (m * (hi - lo)) / numBins));
}

/**
 * Index of the bin holding v under the (lo, hi] convention. Starts from the arithmetic guess and
 * corrects it against the actual edges, so a value equal to an edge (0.2 with 15 bins, where
 * 0.2·15 is not exactly 3 in floating point) always lands in the bin the convention says.
 */
export function binIndex(v: number, edges: readonly number[]): number {
  const m = edges.length - 1;
  const lo = edges[0];
  const hi = edges[m];
  if (!(v > lo)) return 0;
  if (v >= hi) return m - 1;
  let i = Math.min(m - 1, Math.max(0, Math.ceil(((v - lo) / (hi - lo)) * m) - 1));
  while (i > 0 && v <= edges[i]) i--;
  while (i < m - 1 && v > edges[i + 1]) i++;
  return i;
}

export function histogram(values: ArrayLike<number>, lo: number, hi: number, numBins: number): Histogram {
  checkBinCount(numBins);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
    throw new InvalidOptionError(`A histogram needs a finite range lo < hi, got [${lo}, ${hi}].`);
  }
  const edges = binEdges(lo, hi, numBins);
  const counts = new Array<number>(numBins).fill(0);
  for (let i = 0; i < values.length; i++) counts[binIndex(values[i], edges)]++;
  return { edges, counts, convention: BIN_EDGE_CONVENTION };
}

/** A histogram over the data's own range (widened a little when all values are equal). */
export function histogramOfRange(values: ArrayLike<number>, numBins: number): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  return histogram(values, lo, hi, numBins);
}

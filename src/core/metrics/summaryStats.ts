/** Plain descriptive statistics of a list of numbers, in double precision. */

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
  std: number;
  min: number;
  median: number;
  max: number;
}

/**
 * Mean, shifted by the first value: equal values give exactly that value back (0.99 three times
 * gives 0.99, not 0.9899999999999999), and their standard deviation is exactly 0.
 */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const v0 = values[0];
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i] - v0;
  return v0 + s / n;
}

/**
 * Sample standard deviation. Across a handful of seeds the n − 1 form is the honest one: the
 * population form would understate the spread of the runs we did not do.
 */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

export function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export function summarize(values: ArrayLike<number>): Summary {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  return { n: values.length, mean: mean(values), std: sampleStd(values), min, median: median(values), max };
}

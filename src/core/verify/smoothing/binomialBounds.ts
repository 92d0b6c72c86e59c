/**
 * The two binomial statistics of randomized smoothing (Cohen, Rosenfeld & Kolter 2019, §3.2):
 *
 *   CERTIFY's LowerConfBound(k, n, 1 − α): the one-sided Clopper–Pearson lower bound on a binomial proportion,
 *     the α-quantile of Beta(k, n − k + 1) (0 when k = 0). Cohen et al. compute it as statsmodels'
 *     proportion_confint(k, n, alpha=2α, method="beta")[0]; it holds with probability at least 1 − α.
 *   PREDICT's BinomPValue(n_A, n_A + n_B, ½): the exact two-sided binomial test of p = ½; for the symmetric
 *     null it is min(1, 2·P(X ≥ max(k, n − k))), and P(X ≥ k) = I_½(k, n − k + 1).
 */
import { betaQuantile, regularizedIncompleteBeta } from './incompleteBeta';

function checkCounts(k: number, n: number): void {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(k) && k >= 0 && k <= n)) {
    throw new RangeError(`Counts must be whole numbers with 0 ≤ k ≤ n, n ≥ 1; got k = ${k}, n = ${n}.`);
  }
}

/** The Clopper–Pearson lower bound on p from k successes in n trials, at confidence 1 − α. */
export function clopperPearsonLower(k: number, n: number, alpha: number): number {
  checkCounts(k, n);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`α must be in (0, 1), got ${alpha}.`);
  if (k === 0) return 0;
  return betaQuantile(alpha, k, n - k + 1);
}

/** The exact two-sided p-value of k successes in n trials under p = ½. */
export function binomialTestHalf(k: number, n: number): number {
  checkCounts(k, n);
  const extreme = Math.max(k, n - k);
  if (2 * extreme === n) return 1;
  return Math.min(1, 2 * regularizedIncompleteBeta(0.5, extreme, n - extreme + 1));
}

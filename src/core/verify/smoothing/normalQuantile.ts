/**
 * Φ⁻¹, the quantile function of the standard normal distribution, by Acklam's algorithm (P. J. Acklam, "An
 * algorithm for computing the inverse normal cumulative distribution function", 2003): a rational
 * approximation in the central region |p − ½| ≤ ½ − 0.02425 and another in √(−2 ln p) in the tails, with a
 * relative error below 1.15·10⁻⁹ everywhere — far below the Monte Carlo error of a smoothing certificate.
 */

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Horner's rule: c[0]·x^(k−1) + … + c[k−1]. */
function poly(c: number[], x: number): number {
  let s = 0;
  for (const v of c) s = s * x + v;
  return s;
}

/** Φ⁻¹(p) for p in (0, 1); −∞ at 0, +∞ at 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(C, q) / (poly(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

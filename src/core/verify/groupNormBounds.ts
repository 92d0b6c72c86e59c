/**
 * Sound interval bounds through group normalisation (Wu & He 2018), y = γ·(x − μ_g)/√(σ²_g + ε) + β, which is
 * not monotone in its inputs, so IBP's rule for activations does not apply. Interval arithmetic instead, per
 * element i of a group of m elements with boxes [l_j, u_j]:
 *
 *   deviation   d_i = x_i − μ = (1 − 1/m)·x_i − (1/m)·Σ_{j≠i} x_j   ∈ [dL_i, dU_i]  (exact, one term per box)
 *   variance    σ² ≤ (1/m)·Σ_j max(dL_j², dU_j²)                      (each squared deviation bounded alone)
 *               σ² ≥ min_c (1/m)·Σ_j dist(c, [l_j, u_j])²             (the exact minimum of the variance over the
 *                                                                     box: variance = min_c mean (x_j − c)²)
 *   normalised  d_i/√(σ² + ε): the product of [dL, dU] with the positive [1/√(σ²_max + ε), 1/√(σ²_min + ε)],
 *               clipped to ±√(m − 1) (Samuelson's inequality: |x_i − μ| ≤ σ·√(m − 1))
 *   affine      γ·n + β in centre/radius form.
 *
 * The minimum over c is a one-dimensional convex problem; bisection on the sign of its derivative brackets the
 * minimiser c* in [a, b], and convexity gives the sound lower bound g(a) + g′(a)·(b − a) ≤ g(c*) whatever the
 * bracket's width. Loose for wide boxes (as interval arithmetic is), but never wrong.
 */
import * as tf from '@tensorflow/tfjs';
import { condition } from './conditions';
import type { Interval } from './interval';

const BISECTION_STEPS = 30;
/** Groups are laid out [n, h·w, G, c/G] (rank 4: wasm's broadcasting and tfjs' gradients stay on safe ground). */
const AXES = [1, 3];

/** The bracket [a; b] of the variance minimiser per group, found without recording gradients (stacked on axis 0). */
const bracketMinimiser = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [lower, upper] = args as tf.Tensor[];
  const value = tf.tidy(() => {
    let a = tf.min(lower, AXES, true);
    let b = tf.max(upper, AXES, true);
    for (let k = 0; k < BISECTION_STEPS; k++) {
      const mid = tf.div(tf.add(a, b), 2);
      // The derivative of Σ dist(c, [l, u])² at c is 2·Σ (c − clip(c, l, u)), non-decreasing in c.
      const slope = tf.sum(gapToBox(mid, lower, upper), AXES, true);
      const rightOfMinimiser = tf.greater(slope, 0);
      [a, b] = [tf.where(rightOfMinimiser, a, mid), tf.where(rightOfMinimiser, mid, b)];
    }
    return tf.stack([a, b]);
  });
  return { value, gradFunc: () => [tf.zerosLike(lower), tf.zerosLike(upper)] };
});

/**
 * c − clip(c, l, u) = relu(c − u) − relu(l − c) (for l ≤ u): the signed distance of c to each box. Written with
 * subtractions, whose gradients sum over broadcast axes (tfjs' Maximum/Minimum gradients do not).
 */
function gapToBox(c: tf.Tensor, lower: tf.Tensor, upper: tf.Tensor): tf.Tensor {
  return tf.sub(tf.relu(tf.sub(c, upper)), tf.relu(tf.sub(lower, c)));
}

/** A lower bound of the smallest variance of each group over the box ([n, 1, G, 1]); lower, upper [n, h·w, G, c/G]. */
export function minVarianceOverBox(lower: tf.Tensor, upper: tf.Tensor): tf.Tensor {
  const m = lower.shape[1]! * lower.shape[3]!;
  const [a, b] = tf.unstack(bracketMinimiser(lower, upper));
  const gap = gapToBox(a, lower, upper);
  const g = tf.div(tf.sum(tf.square(gap), AXES, true), m);
  const slope = tf.div(tf.mul(tf.sum(gap, AXES, true), 2), m);
  return tf.relu(tf.add(g, tf.mul(slope, tf.sub(b, a))));
}

/** Bounds of GroupNorm(x) for x in the box b ([n, h, w, c]), γ, β of shape [c]. */
export function groupNormInterval(
  b: Interval,
  groups: number,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): Interval {
  const [n, h, w, c] = b.lower.shape;
  const grouped = [n, h * w, groups, c / groups];
  // GroupNorm ignores a shift common to the group; subtracting the mean of the box centres first keeps float32
  // from cancelling a large common offset against a small spread (as a two-pass variance does).
  const shift = tf.mean(tf.div(tf.add(tf.reshape(b.lower, grouped), tf.reshape(b.upper, grouped)), 2), AXES, true);
  const l = tf.sub(tf.reshape(b.lower, grouped), shift);
  const u = tf.sub(tf.reshape(b.upper, grouped), shift);
  const m = h * w * (c / groups);
  const sumL = tf.sum(l, AXES, true);
  const sumU = tf.sum(u, AXES, true);
  const dL = tf.sub(tf.mul(l, 1 - 1 / m), tf.div(tf.sub(sumU, u), m));
  const dU = tf.sub(tf.mul(u, 1 - 1 / m), tf.div(tf.sub(sumL, l), m));
  const maxVariance = tf.mean(tf.maximum(tf.square(dL), tf.square(dU)), AXES, true);
  // Never above the upper bound, and equal to it for a group whose box is a point (where both are the variance:
  // float rounding would otherwise open a gap there that the layers after it amplify).
  const point = condition((width) => tf.equal(tf.max(width, AXES, true), 0), tf.sub(u, l));
  const minVariance = tf.where(point, maxVariance, tf.minimum(minVarianceOverBox(l, u), maxVariance));
  const sMin = tf.rsqrt(tf.add(maxVariance, epsilon));
  const sMax = tf.rsqrt(tf.add(minVariance, epsilon));
  const cap = Math.sqrt(Math.max(m - 1, 0));
  // The product of [dL, dU] with the positive [sMin, sMax]: the smaller/larger of the two end products.
  const nL = tf.maximum(tf.minimum(tf.mul(dL, sMin), tf.mul(dL, sMax)), -cap);
  const nU = tf.minimum(tf.maximum(tf.mul(dU, sMax), tf.mul(dU, sMin)), cap);
  const centre = tf.reshape(tf.div(tf.add(nL, nU), 2), [n, h, w, c]);
  const radius = tf.reshape(tf.div(tf.sub(nU, nL), 2), [n, h, w, c]);
  const mu = tf.add(tf.mul(centre, gamma), beta);
  const r = tf.mul(radius, tf.abs(gamma));
  return { lower: tf.sub(mu, r), upper: tf.add(mu, r) };
}

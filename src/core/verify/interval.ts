/**
 * Boxes [lower, upper] of tensors and the interval arithmetic of interval bound propagation (Gowal et al. 2018,
 * "On the effectiveness of interval bound propagation for training verifiably robust models", §3).
 * Everything is plain differentiable tf ops, so a loss built on the bounds trains the weights (IBP training).
 *
 * Bounds are computed in float32 without directed rounding, as in the papers' implementations: a margin that
 * is positive by less than float32's resolution is not a proof.
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';
import type { LinearMap } from './linearMaps';

export type Interval = {
  lower: tf.Tensor;
  upper: tf.Tensor;
};

/**
 * The L∞ ball of radius ε around images in [0, 1], intersected with the image domain:
 * [max(x − ε, 0), min(x + ε, 1)] (Gowal et al. 2018, §3). ε is one number, or one per image ([n]).
 */
export function inputBox(x: tf.Tensor, eps: number | tf.Tensor1D): Interval {
  if (typeof eps === 'number' && !(Number.isFinite(eps) && eps >= 0)) {
    throw new InvalidOptionError(`ε must be a finite number ≥ 0, got ${eps}.`);
  }
  return tf.tidy(() => {
    const e =
      typeof eps === 'number' ? tf.scalar(eps) : tf.reshape(eps, [x.shape[0], ...x.shape.slice(1).map(() => 1)]);
    return { lower: tf.maximum(tf.sub(x, e), 0), upper: tf.minimum(tf.add(x, e), 1) };
  });
}

/** Centre and radius (the form affine maps propagate in). */
export function centreRadius(b: Interval): { centre: tf.Tensor; radius: tf.Tensor } {
  return { centre: tf.div(tf.add(b.upper, b.lower), 2), radius: tf.div(tf.sub(b.upper, b.lower), 2) };
}

/** Wx + b over a box: μ' = Wμ + b, r' = |W| r (Gowal et al. 2018, §3). Exact for one affine map. */
export function affineInterval(map: Pick<LinearMap, 'apply' | 'applyAbs' | 'bias'>, b: Interval): Interval {
  const { centre, radius } = centreRadius(b);
  const bias = map.bias();
  const mu = bias ? tf.add(map.apply(centre), bias) : map.apply(centre);
  const r = map.applyAbs(radius);
  return { lower: tf.sub(mu, r), upper: tf.add(mu, r) };
}

/** A non-decreasing element-wise function maps [l, u] to [f(l), f(u)] (Gowal et al. 2018, §3). */
export function monotoneInterval(f: (t: tf.Tensor) => tf.Tensor, b: Interval): Interval {
  return { lower: f(b.lower), upper: f(b.upper) };
}

/** The sum of boxes (a residual connection). */
export function sumIntervals(boxes: Interval[]): Interval {
  if (boxes.length === 1) return boxes[0];
  return { lower: tf.addN(boxes.map((b) => b.lower)), upper: tf.addN(boxes.map((b) => b.upper)) };
}

/** c·[l, u] for a number c of either sign. */
export function scaleInterval(b: Interval, c: number): Interval {
  return c >= 0
    ? { lower: tf.mul(b.lower, c), upper: tf.mul(b.upper, c) }
    : { lower: tf.mul(b.upper, c), upper: tf.mul(b.lower, c) };
}

/** a + c·b for boxes a, b and a number c: the update of an explicit ODE step. */
export function addScaled(a: Interval, b: Interval, c: number): Interval {
  const s = scaleInterval(b, c);
  return { lower: tf.add(a.lower, s.lower), upper: tf.add(a.upper, s.upper) };
}

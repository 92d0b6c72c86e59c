/**
 * Per-example norms, projections onto the threat model, and random starts (Madry et al. 2018, §2.1).
 * Tensors are batches [n, h, w, c]; every norm is taken over all axes but the first.
 */
import * as tf from '@tensorflow/tfjs';
import type { Norm } from './types';
import { tfNormalSeed } from '../util/random';

/** Guards divisions by a zero gradient or a zero perturbation. */
const TINY = 1e-12;

function perExampleAxes(x: tf.Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
}

/** ‖·‖₂ per example, shaped [n, 1, …, 1] so it broadcasts back over the example. */
export function l2NormPerExample(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(x), perExampleAxes(x), true)));
}

/** ‖·‖∞ per example, shaped [n, 1, …, 1]. */
export function linfNormPerExample(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.max(tf.abs(x), perExampleAxes(x), true));
}

/** δ restricted to the ε-ball: a box clip for L∞, a radial rescale for L2. Exact Euclidean projections. */
export function projectOntoBall(delta: tf.Tensor4D, eps: number, norm: Norm): tf.Tensor4D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.clipByValue(delta, -eps, eps);
    const n = l2NormPerExample(delta);
    return tf.mul(delta, tf.minimum(1, tf.div(eps, tf.add(n, TINY)))) as tf.Tensor4D;
  });
}

/**
 * x + δ projected onto the intersection of the ε-ball around x with the image box [0,1]. For L∞
 * both sets are boxes, so clipping twice is the exact projection. For L2 projecting onto the ball
 * and then onto the box stays inside the ball (clipping toward x can only shrink δ).
 */
export function projectPerturbed(x: tf.Tensor4D, xAdv: tf.Tensor4D, eps: number, norm: Norm): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.add(x, projectOntoBall(tf.sub(xAdv, x), eps, norm)), 0, 1) as tf.Tensor4D);
}

/** The steepest-ascent direction under the norm: sign(g) for L∞, g/‖g‖₂ for L2 (per example). */
export function steepestAscentDirection(grad: tf.Tensor4D, norm: Norm): tf.Tensor4D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.sign(grad);
    return tf.div(grad, tf.add(l2NormPerExample(grad), TINY)) as tf.Tensor4D;
  });
}

/**
 * A random point of the ε-ball around 0: uniform in the cube for L∞; for L2 uniform in the ball,
 * direction g/‖g‖ with g ~ N(0, I) and radius ε·U^{1/d} (a radius ε·U would crowd the centre).
 */
export function uniformInBall(
  shape: [number, number, number, number],
  eps: number,
  norm: Norm,
  seed: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.randomUniform(shape, -eps, eps, 'float32', seed);
    const d = shape[1] * shape[2] * shape[3];
    const g = tf.randomNormal(shape, 0, 1, 'float32', tfNormalSeed(seed));
    const direction = tf.div(g, tf.add(l2NormPerExample(g), TINY));
    const u = tf.randomUniform([shape[0], 1, 1, 1], 0, 1, 'float32', seed + 1);
    return tf.mul(direction, tf.mul(eps, tf.pow(u, 1 / d))) as tf.Tensor4D;
  });
}

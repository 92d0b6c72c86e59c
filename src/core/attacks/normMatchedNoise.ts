/**
 * Random noise that spends exactly the attack's budget, for the Carlini et al. (2019) check that a
 * gradient attack beats random noise of the same norm. Gaussian directions g ~ N(0, I), per example:
 *
 *   L2   δ = ε·g/‖g‖₂        a uniformly random point on the sphere of radius ε
 *   L∞   δ = ε·sign(g)       a uniformly random vertex of the cube: ‖δ‖∞ = ε in every pixel,
 *                            the random point of the L∞ ball that moves the image the most
 *
 * then clipped to [0,1] like every perturbed image.
 */
import * as tf from '@tensorflow/tfjs';
import { l2NormPerExample } from './norms';
import type { Norm } from './types';
import { tfNormalSeed } from '../util/random';

export function normMatchedNoise(x: tf.Tensor4D, eps: number, norm: Norm, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const g = tf.randomNormal(x.shape, 0, 1, 'float32', tfNormalSeed(seed));
    const delta =
      norm === 'linf' ? tf.mul(eps, tf.sign(g)) : tf.mul(eps, tf.div(g, tf.add(l2NormPerExample(g), 1e-12)));
    return tf.clipByValue(tf.add(x, delta), 0, 1) as tf.Tensor4D;
  });
}

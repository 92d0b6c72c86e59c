/**
 * The Gaussian-noise baseline: x + σ·N(0, I), clipped to [0,1]. σ is in pixel units [0,1];
 * the ODE paper (Yan et al. 2020) quotes σ on the 0–255 scale, so σ = 50 there is 50/255 here.
 */
import * as tf from '@tensorflow/tfjs';
import { tfNormalSeed } from '../util/random';

export function gaussianNoise(x: tf.Tensor4D, sigma: number, seed: number): tf.Tensor4D {
  return tf.tidy(
    () =>
      tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, sigma, 'float32', tfNormalSeed(seed))), 0, 1) as tf.Tensor4D,
  );
}

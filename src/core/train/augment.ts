/**
 * Yan et al.'s Gaussian-noise augmentation (ALGORITHMS.md §2): each example, with probability ½,
 * gets N(0, (σ/255)²) noise with σ drawn from {50, 75, 100} (the 0–255 scale), then is clipped.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../util/random';

export const NOISE_SIGMAS_255 = [50, 75, 100] as const;
export const NOISE_PROBABILITY = 0.5;

export function noiseAugment(x: tf.Tensor4D, seed: number): tf.Tensor4D {
  const n = x.shape[0];
  const rand = mulberry32(seed);
  const sigmas = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const noisy = rand() < NOISE_PROBABILITY;
    sigmas[i] = noisy ? NOISE_SIGMAS_255[Math.floor(rand() * NOISE_SIGMAS_255.length)] / 255 : 0;
  }
  return tf.tidy(() => {
    const perExample = tf.tensor4d(sigmas, [n, 1, 1, 1]);
    const noise = tf.mul(tf.randomNormal(x.shape, 0, 1, 'float32', seed), perExample);
    return tf.clipByValue(tf.add(x, noise), 0, 1) as tf.Tensor4D;
  });
}

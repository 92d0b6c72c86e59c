/** A toy data set where robustness and accuracy pull apart, and the linear model that shows it. */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../../../src/core/data/dataset';
import { mulberry32 } from '../../../src/core/util/random';

/**
 * Tsipras et al.'s (2019, §2.1) lesson as a 7×7 image: pixel 0 is a robust feature (0.5 ± 0.4, right sign for 80 %
 * of the images), the other 48 pixels each lean 0.1 toward the class — weak alone, together separating the
 * classes perfectly, and all flipped by ε = 0.15. Standard training uses the weak pixels (~100 % clean, ~0 %
 * robust); adversarial training must use pixel 0 (~80 % clean and robust).
 */
export function robustVersusUsefulFeatures(count: number, seed: number): ImageDataset {
  const rand = mulberry32(seed);
  const images = new Uint8Array(count * 49);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % 2;
    const sign = c === 1 ? 1 : -1;
    labels[i] = c;
    const robust = rand() < 0.8 ? sign : -sign;
    images[i * 49] = Math.round(255 * (0.5 + 0.4 * robust));
    for (let p = 1; p < 49; p++) {
      const noise = (rand() + rand() + rand() - 1.5) * 0.2;
      images[i * 49 + p] = Math.round(255 * Math.min(1, Math.max(0, 0.5 + 0.1 * sign + noise)));
    }
  }
  return {
    name: 'mnist',
    split: 'train',
    count,
    height: 7,
    width: 7,
    channels: 1,
    images,
    labels,
    classNames: ['0', '1'],
  };
}

export function linearModel(seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [7, 7, 1] }),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
    ],
  });
}

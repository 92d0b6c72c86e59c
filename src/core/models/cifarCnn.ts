/**
 * A small colour convnet for CIFAR-10 (32×32×3 in [0,1]; no normalisation layer, Adam copes with
 * the raw pixel scale).
 *
 * classroom (the default; sized for wasm: every conv after the first runs on a pooled map, which
 * is what keeps an epoch of the 4,660-image sample under a minute on 2 cores):
 *   conv 3×3, 16 (same) → ReLU → max-pool 2    32×32 → 16×16
 *   conv 3×3, 32 (same) → ReLU → max-pool 2    16×16 → 8×8
 *   conv 3×3, 64 (same) → ReLU → max-pool 2     8×8  → 4×4
 *   flatten 1024 → dense 10 (logits)                       33,834 parameters
 *
 * paper: the network of Keras' classic `cifar10_cnn.py` example (Chollet), the usual baseline of
 * adversarial-robustness tutorials:
 *   conv 32 (same) → conv 32 (valid) → pool → dropout ¼ → conv 64 (same) → conv 64 (valid) → pool
 *   → dropout ¼ → dense 512 → dropout ½ → dense 10, ReLU throughout     1,250,858 parameters
 *
 * He-normal initialisation, seeded per layer so a seed fixes the network. `norm` puts batch norm or group
 * norm between each conv and its ReLU (normalisation.ts); none by default.
 */
import * as tf from '@tensorflow/tfjs';
import { convNormRelu, type NormSettings } from './normalisation';
import type { ModelSize } from './yanModels';

export const CIFAR_CNN_ARCH = 'cifar-cnn';

/** Keras' example drops a quarter after each conv stage and half before the output. */
const PAPER_DROPOUT = { conv: 0.25, dense: 0.5 } as const;

export function buildCifarCnn(
  seed: number,
  size: ModelSize = 'classroom',
  inputShape: [number, number, number] = [32, 32, 3],
  classes = 10,
  norm: NormSettings = { norm: 'none' },
): tf.Sequential {
  const he = (offset: number) => tf.initializers.heNormal({ seed: seed * 101 + offset });
  const conv = (filters: number, k: number, padding: 'same' | 'valid' = 'same', first = false) =>
    convNormRelu(
      norm,
      (activation) =>
        tf.layers.conv2d({
          ...(first ? { inputShape } : {}),
          filters,
          kernelSize: 3,
          padding,
          activation,
          kernelInitializer: he(k),
        }),
      filters,
    );
  const pool = () => tf.layers.maxPooling2d({ poolSize: 2 });
  if (size === 'classroom') {
    return tf.sequential({
      name: 'cifar_cnn_classroom',
      layers: [
        ...conv(16, 1, 'same', true),
        pool(),
        ...conv(32, 2),
        pool(),
        ...conv(64, 3),
        pool(),
        tf.layers.flatten(),
        tf.layers.dense({ units: classes, kernelInitializer: he(4) }),
      ],
    });
  }
  return tf.sequential({
    name: 'cifar_cnn_paper',
    layers: [
      ...conv(32, 1, 'same', true),
      ...conv(32, 2, 'valid'),
      pool(),
      tf.layers.dropout({ rate: PAPER_DROPOUT.conv, seed: seed * 101 + 11 }),
      ...conv(64, 3),
      ...conv(64, 4, 'valid'),
      pool(),
      tf.layers.dropout({ rate: PAPER_DROPOUT.conv, seed: seed * 101 + 12 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: he(5) }),
      tf.layers.dropout({ rate: PAPER_DROPOUT.dense, seed: seed * 101 + 13 }),
      tf.layers.dense({ units: classes, kernelInitializer: he(6) }),
    ],
  });
}

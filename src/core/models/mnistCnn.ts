/**
 * The attack lab's MNIST classifier: a small convnet chosen so that a 20-step PGD on a batch of
 * 256 runs in seconds on wasm, while it still scores ≥ 98.5 % on the 10,000 test images.
 *
 *   input 28×28×1 in [0,1] (no normalisation: it is folded into the first layer's weights)
 *   conv 3×3, 16 → ReLU → max-pool 2   (26×26 → 13×13)
 *   conv 3×3, 32 → ReLU → max-pool 2   (11×11 → 5×5)
 *   flatten 800 → dense 10 (logits)
 *
 * 12,810 parameters. He-normal initialisation, seeded per layer so a seed fixes the network.
 * `norm` puts batch norm or group norm between each conv and its ReLU (normalisation.ts); none by default.
 */
import * as tf from '@tensorflow/tfjs';
import { convNormRelu, type NormSettings } from './normalisation';

export const MNIST_CNN_ARCH = 'mnist-cnn-small';

export function buildMnistCnn(seed: number, norm: NormSettings = { norm: 'none' }): tf.Sequential {
  const he = (offset: number) => tf.initializers.heNormal({ seed: seed * 101 + offset });
  return tf.sequential({
    name: 'mnist_cnn_small',
    layers: [
      ...convNormRelu(
        norm,
        (activation) =>
          tf.layers.conv2d({
            inputShape: [28, 28, 1],
            filters: 16,
            kernelSize: 3,
            activation,
            kernelInitializer: he(1),
          }),
        16,
      ),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      ...convNormRelu(
        norm,
        (activation) => tf.layers.conv2d({ filters: 32, kernelSize: 3, activation, kernelInitializer: he(2) }),
        32,
      ),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: he(3) }),
    ],
  });
}

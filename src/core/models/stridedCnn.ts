/**
 * The small strided convnet of the robust-training literature: no pooling, two 4×4 convolutions of stride 2,
 * one hidden dense layer. Wong, Rice & Kolter (2020) train it adversarially on MNIST (16 and 32 channels, 100
 * hidden units: 88.8 % under PGD-50 with 10 restarts at ε = 0.3 after FGSM training from a random start); Gowal
 * et al.'s (2018) "small" IBP model is the same family. Everything in it (conv, dense, ReLU, flatten) is what
 * interval bound propagation and CROWN handle exactly, and strides instead of pooling keep it cheap.
 *
 *   input h×w×c in [0,1] → conv 4×4 stride 2 'same', C → ReLU → conv 4×4 stride 2 'same', 2C → ReLU
 *   → flatten → dense H → ReLU → dense (classes)
 *
 * Capacity matters for adversarial training (Madry et al. 2018, §4 and Fig. 4): `channels` and `hidden` widen
 * it. He-normal initialisation, seeded per layer.
 */
import * as tf from '@tensorflow/tfjs';
import { ARCH_SIZE_DEFAULTS } from '../options/trainingOptions';

export const STRIDED_CNN_DEFAULTS = {
  channels: ARCH_SIZE_DEFAULTS['strided-cnn'].channels,
  hidden: ARCH_SIZE_DEFAULTS['strided-cnn'].width,
};

export function buildStridedCnn(
  seed: number,
  inputShape: [number, number, number],
  classes: number,
  channels: number = STRIDED_CNN_DEFAULTS.channels,
  hidden: number = STRIDED_CNN_DEFAULTS.hidden,
): tf.Sequential {
  const he = (offset: number) => tf.initializers.heNormal({ seed: seed * 101 + offset });
  return tf.sequential({
    name: 'strided_cnn',
    layers: [
      tf.layers.conv2d({
        inputShape,
        filters: channels,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: he(1),
      }),
      tf.layers.conv2d({
        filters: 2 * channels,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: he(2),
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: he(3) }),
      tf.layers.dense({ units: classes, kernelInitializer: he(4) }),
    ],
  });
}

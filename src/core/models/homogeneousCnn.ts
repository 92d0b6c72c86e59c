/**
 * Lyu & Li's MNIST network (ICLR 2020, experiments on MNIST): ReLU, SAME padding, bias only in the
 * first layer, so the network is positively homogeneous of order L = 4 in its weights and the
 * normalised margin q_min/ρ^L is meaningful.
 *
 *   conv 5×5, 32 (+bias) → ReLU → max-pool 2 → conv 3×3, 64 → ReLU → max-pool 2 → FC 1024 → ReLU → FC 10
 *
 * He-normal initialisation with the exact variance (paper size). The classroom size divides every
 * width by 4 (8, 16, 256).
 */
import * as tf from '@tensorflow/tfjs';
import { fanInOf, initStddev, redrawKernel } from './layers/exactNormal';

/** Number of weight layers: the order of homogeneity. */
export const HOMOGENEOUS_CNN_LAYERS = 4;

export function buildHomogeneousCnn(seed: number, size: 'paper' | 'classroom'): tf.LayersModel {
  const k = size === 'paper' ? 1 : 4;
  const [c1, c2, fc] = [32 / k, 64 / k, 1024 / k];
  const model = tf.sequential({
    name: `homogeneous_cnn_${size}`,
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: c1, kernelSize: 5, padding: 'same', useBias: true }),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: c2, kernelSize: 3, padding: 'same', useBias: false }),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: fc, useBias: false }),
      tf.layers.reLU(),
      tf.layers.dense({ units: 10, useBias: false }),
    ],
  });
  const weighted = model.layers.filter((l) => l.getWeights().length > 0);
  weighted.forEach((layer, i) => {
    const kernelShape = layer.getWeights()[0].shape;
    redrawKernel(layer, initStddev('he', fanInOf(kernelShape)), seed * 97 + i);
  });
  return model;
}

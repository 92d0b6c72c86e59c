/**
 * Initialisation from N(0, σ²) with exactly the stated variance. tfjs' heNormal / leCunNormal
 * draw from a normal truncated at 2σ without rescaling, so their variance is ≈ 0.77× the nominal
 * one (tfjs source, truncatedNormal); studies of initialisation (Zhu et al. 2022) need the exact value.
 * tfjs does not export its Initializer base class, so kernels are redrawn after the layer is
 * built instead of through a custom initialiser.
 */
import * as tf from '@tensorflow/tfjs';
import { tfNormalSeed } from '../../util/random';

export const INITIALISATIONS = ['he', 'lecun', 'ntk'] as const;
export type Initialisation = (typeof INITIALISATIONS)[number];

/**
 * Weight standard deviation for a layer with `fanIn` inputs: He √(2/fan_in), LeCun √(1/fan_in), NTK 1 (scaled in the
 * forward pass).
 */
export function initStddev(init: Initialisation, fanIn: number): number {
  switch (init) {
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'lecun':
      return Math.sqrt(1 / fanIn);
    case 'ntk':
      return 1;
  }
}

/** Fan-in of a dense ([in, out]) or convolution ([kh, kw, in, out]) kernel. */
export function fanInOf(kernelShape: number[]): number {
  return kernelShape.slice(0, -1).reduce((a, b) => a * b, 1);
}

/**
 * Redraws the kernel (first weight) of `layer` from N(0, stddev²) and zeroes its bias; seeded.
 */
export function redrawKernel(layer: tf.layers.Layer, stddev: number, seed: number): void {
  const [kernel, ...rest] = layer.getWeights();
  const fresh = tf.randomNormal(kernel.shape, 0, stddev, 'float32', tfNormalSeed(seed));
  const zeros = rest.map((w) => tf.zerosLike(w));
  layer.setWeights([fresh, ...zeros]);
  fresh.dispose();
  for (const z of zeros) z.dispose();
}

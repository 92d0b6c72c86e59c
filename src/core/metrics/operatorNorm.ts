/**
 * Spectral (L2 operator) norms of a network's layers and their product, an upper bound on the
 * network's L2 Lipschitz constant (Szegedy et al. 2014, §4.3; used for margins by Tsuzuku et al. 2018).
 *
 * A dense layer is the matrix W; a convolution is the real linear map it computes on an input of
 * the layer's own shape, stride and padding — not its kernel: the kernel's Frobenius norm is not
 * an upper bound on it. Both go through the same power iteration on AᵀA, where Aᵀ of a
 * convolution is its transpose (conv2dTranspose, the input gradient of the same convolution).
 *
 * Layers without weights contribute their own Lipschitz constants: ReLU-type activations,
 * flatten and dropout (inference) 1; max-pooling √(number of windows that can cover one pixel),
 * which is 1 when windows do not overlap; average pooling and Scale layers exactly as computed.
 * A layer the bound cannot account for (normalisation, residual sums, ODE blocks) is refused.
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';
import { tfNormalSeed } from '../util/random';

export const POWER_ITERATION_MAX_STEPS = 1000;
/** Stop when the estimate changes by less than this, relative (float32 resolves ~1e-7). */
export const POWER_ITERATION_TOLERANCE = 1e-6;

export interface PowerIterationOptions {
  maxIterations?: number;
  tolerance?: number;
  seed?: number;
}

export interface PowerIterationResult {
  /** Estimate of the largest singular value, ‖A v‖ for the final unit vector v (never above the truth). */
  norm: number;
  iterations: number;
  converged: boolean;
}

/**
 * Power iteration on AᵀA from a seeded Gaussian start: v ← AᵀAv/‖AᵀAv‖, estimate ‖Av‖. The
 * estimate is a Rayleigh quotient, so it approaches σ_max from below.
 */
export async function powerIteration(
  apply: (v: tf.Tensor) => tf.Tensor,
  applyTranspose: (u: tf.Tensor) => tf.Tensor,
  inputShape: number[],
  o: PowerIterationOptions = {},
): Promise<PowerIterationResult> {
  const maxIterations = o.maxIterations ?? POWER_ITERATION_MAX_STEPS;
  const tolerance = o.tolerance ?? POWER_ITERATION_TOLERANCE;
  let v = tf.tidy(() => {
    const g = tf.randomNormal(inputShape, 0, 1, 'float32', tfNormalSeed(o.seed ?? 0));
    return tf.div(g, tf.norm(g));
  });
  let previous = 0;
  let norm = 0;
  let iterations = 0;
  let converged = false;
  try {
    while (iterations < maxIterations) {
      iterations++;
      const [next, estimate] = tf.tidy(() => {
        const u = apply(v);
        const w = applyTranspose(u);
        const wNorm = tf.norm(w);
        // A zero vector means v lies in A's null space; the norm is then 0 (A = 0) — stop there.
        return [tf.div(w, tf.maximum(wNorm, 1e-30)), tf.norm(u)];
      });
      norm = (await estimate.data())[0]; // async: WebGPU's sync read can lose the device
      estimate.dispose();
      v.dispose();
      v = next;
      if (norm === 0 || Math.abs(norm - previous) <= tolerance * norm) {
        converged = true;
        break;
      }
      previous = norm;
    }
    // One more estimate from the final, normalised v.
    const final = tf.tidy(() => tf.norm(apply(v)));
    norm = Math.max(norm, (await final.data())[0]);
    final.dispose();
  } finally {
    v.dispose();
  }
  return { norm, iterations, converged };
}

/** ‖W‖₂ of a dense kernel W [in, out] (tfjs computes y = xW). */
export function denseOperatorNorm(kernel: tf.Tensor2D, o: PowerIterationOptions = {}): Promise<PowerIterationResult> {
  return powerIteration(
    (v) => tf.matMul(v as tf.Tensor2D, kernel),
    (u) => tf.matMul(u as tf.Tensor2D, kernel, false, true),
    [1, kernel.shape[0]],
    o,
  );
}

export interface ConvGeometry {
  /** [height, width, channels] of one input. */
  inputShape: [number, number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
}

/** ‖A‖₂ of the linear map x ↦ conv2d(x, kernel) on inputs of the given shape (bias excluded). */
export function conv2dOperatorNorm(
  kernel: tf.Tensor4D,
  g: ConvGeometry,
  o: PowerIterationOptions = {},
): Promise<PowerIterationResult> {
  const [h, w, c] = g.inputShape;
  if (kernel.shape[2] !== c)
    throw new InvalidOptionError(`The kernel expects ${kernel.shape[2]} input channels, the input has ${c}.`);
  return powerIteration(
    (v) => tf.conv2d(v as tf.Tensor4D, kernel, g.strides, g.padding),
    (u) => tf.conv2dTranspose(u as tf.Tensor4D, kernel, [1, h, w, c], g.strides, g.padding),
    [1, h, w, c],
    o,
  );
}

export interface LayerOperatorNorm {
  layer: string;
  className: string;
  /** An upper bound on the layer's L2 Lipschitz constant (its operator norm for linear layers). */
  norm: number;
  /** How `norm` was obtained. */
  method: 'power-iteration' | 'exact' | 'bound';
  iterations?: number;
  converged?: boolean;
}

/** Activations whose Lipschitz constant is at most 1. */
const ONE_LIPSCHITZ_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'tanh', 'sigmoid', 'hardSigmoid', 'softsign']);
/** Layers that are isometries or identities at inference. */
const ISOMETRIES = new Set([
  'InputLayer',
  'Flatten',
  'Reshape',
  'Dropout',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'SpatialDropout2D',
]);

function pair(v: unknown, name: string): [number, number] {
  const a = Array.isArray(v) ? v : [v, v];
  if (a.length !== 2 || !a.every((x) => Number.isInteger(x)))
    throw new InvalidOptionError(`Cannot read ${name} ${JSON.stringify(v)}.`);
  return [a[0] as number, a[1] as number];
}

function checkActivation(layer: tf.layers.Layer, config: tf.serialization.ConfigDict): void {
  const act = config.activation;
  if (act !== undefined && act !== null && !ONE_LIPSCHITZ_ACTIVATIONS.has(String(act))) {
    throw new InvalidOptionError(
      `Layer ${layer.name} uses activation "${String(act)}", which the Lipschitz bound does not cover.`,
    );
  }
}

function inputShapeOf(layer: tf.layers.Layer): number[] {
  const input = layer.input;
  const s = (Array.isArray(input) ? input[0] : input).shape;
  return s.slice(1).map((d) => {
    if (d === null) throw new InvalidOptionError(`Layer ${layer.name} has an unknown input size.`);
    return d;
  });
}

/** The operator norm (or Lipschitz bound) of one layer, in inference mode. */
export async function layerOperatorNorm(
  layer: tf.layers.Layer,
  o: PowerIterationOptions = {},
): Promise<LayerOperatorNorm> {
  const className = layer.getClassName();
  const config = layer.getConfig();
  const base = { layer: layer.name, className };
  if (ISOMETRIES.has(className)) return { ...base, norm: 1, method: 'exact' };
  if (className === 'ReLU' || className === 'LeakyReLU') {
    const alpha = className === 'LeakyReLU' ? Math.abs(Number(config.alpha ?? 0.3)) : 0;
    return { ...base, norm: Math.max(1, alpha), method: 'exact' };
  }
  if (className === 'Activation') {
    checkActivation(layer, config);
    return { ...base, norm: 1, method: 'bound' };
  }
  if (className === 'Scale') return { ...base, norm: Math.abs(Number(config.factor)), method: 'exact' };
  if (className === 'Dense') {
    checkActivation(layer, config);
    const r = await denseOperatorNorm(layer.getWeights()[0] as tf.Tensor2D, o);
    return { ...base, norm: r.norm, method: 'power-iteration', iterations: r.iterations, converged: r.converged };
  }
  if (className === 'Conv2D') {
    checkActivation(layer, config);
    if (config.dataFormat === 'channelsFirst')
      throw new InvalidOptionError(`Layer ${layer.name}: channels-first convolutions are not supported.`);
    const [dh, dw] = pair(config.dilationRate ?? 1, 'dilation');
    if (dh !== 1 || dw !== 1)
      throw new InvalidOptionError(`Layer ${layer.name}: dilated convolutions are not supported.`);
    const padding = config.padding;
    if (padding !== 'same' && padding !== 'valid')
      throw new InvalidOptionError(`Layer ${layer.name}: padding "${String(padding)}" is not supported.`);
    const shape = inputShapeOf(layer) as [number, number, number];
    const r = await conv2dOperatorNorm(
      layer.getWeights()[0] as tf.Tensor4D,
      { inputShape: shape, strides: pair(config.strides, 'strides'), padding },
      o,
    );
    return { ...base, norm: r.norm, method: 'power-iteration', iterations: r.iterations, converged: r.converged };
  }
  if (className === 'MaxPooling2D' || className === 'AveragePooling2D') {
    const [ph, pw] = pair(config.poolSize, 'pool size');
    const [sh, sw] = pair(config.strides ?? config.poolSize, 'strides');
    // Each input pixel lies in at most ⌈p/s⌉ windows per axis.
    const cover = Math.ceil(ph / sh) * Math.ceil(pw / sw);
    // Max-pooling: |max a − max b| ≤ ‖a − b‖₂ per window, summed over the windows covering each pixel.
    // Average pooling: ‖A‖₂ ≤ √(‖A‖₁‖A‖∞) with row sums 1 and column sums ≤ cover/(ph·pw).
    const norm = className === 'MaxPooling2D' ? Math.sqrt(cover) : Math.sqrt(cover / (ph * pw));
    return { ...base, norm, method: cover === 1 && className === 'MaxPooling2D' ? 'exact' : 'bound' };
  }
  if (className === 'GlobalAveragePooling2D') {
    const [h, w] = inputShapeOf(layer);
    return { ...base, norm: 1 / Math.sqrt(h * w), method: 'exact' };
  }
  throw new InvalidOptionError(
    `No operator norm for layer ${layer.name} (${className}): the Lipschitz bound covers dense, conv2d, pooling, ` +
      `ReLU-type and reshaping layers only.`,
  );
}

/** Every layer's norm, in order. Assumes the model is a chain (each layer feeds the next). */
export async function layerOperatorNorms(
  model: tf.LayersModel,
  o: PowerIterationOptions = {},
): Promise<LayerOperatorNorm[]> {
  const norms: LayerOperatorNorm[] = [];
  for (const [i, layer] of model.layers.entries())
    norms.push(await layerOperatorNorm(layer, { ...o, seed: (o.seed ?? 0) + i }));
  return norms;
}

/** Π_l ‖W_l‖₂: an upper bound on the L2 Lipschitz constant of the logits as a function of the input. */
export function lipschitzUpperBound(norms: readonly LayerOperatorNorm[]): number {
  return norms.reduce((p, l) => p * l.norm, 1);
}

/**
 * Layers that are affine maps x ↦ Wx + b, in the three forms the bound propagators need:
 *
 *   apply(x)      Wx            (IBP's centre, Gowal et al. 2018, §3: μ' = Wμ + b)
 *   applyAbs(r)   |W| r         (IBP's radius: r' = |W| r)
 *   transpose(Λ)  Λ W, row-wise (CROWN's backward step, Zhang et al. 2018, §3: Λ ← Λ W)
 *   bias          b, or null    (broadcasts against the output)
 *
 * Dense, Conv2D (valid/same, strides), average pooling, global average pooling, Scale, ChannelAffine (y = x·s + t
 * per channel), zero padding, batch norm in inference mode (the per-channel map x·s + t of the route in use: exactly
 * what folding it into the preceding conv gives, since |diag(s)·W| = diag(|s|)·|W|), and the shape-only layers
 * (Flatten, Reshape; Dropout is the identity at inference). Tensors are [batch, ...shape]. Weights are read from
 * the layer's variables on every call, so gradients reach them (IBP and CROWN-IBP training).
 */
import * as tf from '@tensorflow/tfjs';
import { BatchNorm, batchNormAffine } from '../models/layers/batchNorm';
import { UnsupportedLayerError } from '../util/errors';
import { describeLayer, type GraphNode } from './layerGraph';

export interface LinearMap {
  apply(x: tf.Tensor): tf.Tensor;
  applyAbs(r: tf.Tensor): tf.Tensor;
  /** Rows Λ of shape [m, ...outShape] to Λ W of shape [m, ...inShape]. */
  transpose(rows: tf.Tensor): tf.Tensor;
  /** The bias (null for none); its shape broadcasts against [...outShape]. */
  bias(): tf.Tensor | null;
}

type Padding = 'valid' | 'same';

interface ConvConfig {
  strides: number[] | number;
  padding: string;
  dataFormat?: string;
  dilationRate?: number[] | number;
  useBias?: boolean;
}

const pair = (v: number[] | number | undefined, fallback: number): [number, number] =>
  v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];

function padding(layer: tf.layers.Layer, p: string): Padding {
  if (p !== 'valid' && p !== 'same') throw new UnsupportedLayerError(`${describeLayer(layer)} has padding "${p}".`);
  return p;
}

function channelsLast(layer: tf.layers.Layer, format: string | undefined): void {
  if (format && format !== 'channelsLast') {
    throw new UnsupportedLayerError(`${describeLayer(layer)} is ${format}; only channelsLast is handled.`);
  }
}

const kernelOf = (layer: tf.layers.Layer) => layer.weights[0].read();
const biasOf = (layer: tf.layers.Layer, useBias: boolean | undefined) =>
  useBias === false || layer.weights.length < 2 ? null : layer.weights[1].read();

function denseMap(node: GraphNode): LinearMap {
  const { layer } = node;
  if (node.inputShapes[0].length !== 1) {
    throw new UnsupportedLayerError(
      `${describeLayer(layer)} reads a rank-${node.inputShapes[0].length} input; flatten it first.`,
    );
  }
  const useBias = (layer.getConfig() as { useBias?: boolean }).useBias;
  return {
    apply: (x) => tf.matMul(x as tf.Tensor2D, kernelOf(layer) as tf.Tensor2D),
    applyAbs: (r) => tf.matMul(r as tf.Tensor2D, tf.abs(kernelOf(layer)) as tf.Tensor2D),
    transpose: (rows) => tf.matMul(rows as tf.Tensor2D, kernelOf(layer) as tf.Tensor2D, false, true),
    bias: () => biasOf(layer, useBias),
  };
}

function conv2dMap(node: GraphNode): LinearMap {
  const { layer } = node;
  const c = layer.getConfig() as unknown as ConvConfig;
  channelsLast(layer, c.dataFormat);
  const [dh, dw] = pair(c.dilationRate, 1);
  if (dh !== 1 || dw !== 1) throw new UnsupportedLayerError(`${describeLayer(layer)} is dilated; not handled.`);
  const strides = pair(c.strides, 1);
  const pad = padding(layer, c.padding);
  const inShape = node.inputShapes[0] as [number, number, number];
  return {
    apply: (x) => tf.conv2d(x as tf.Tensor4D, kernelOf(layer) as tf.Tensor4D, strides, pad),
    applyAbs: (r) => tf.conv2d(r as tf.Tensor4D, tf.abs(kernelOf(layer)) as tf.Tensor4D, strides, pad),
    // The transpose of a convolution is the transposed convolution with the same kernel (the input gradient).
    transpose: (rows) =>
      tf.conv2dTranspose(
        rows as tf.Tensor4D,
        kernelOf(layer) as tf.Tensor4D,
        [rows.shape[0], ...inShape],
        strides,
        pad,
      ),
    bias: () => biasOf(layer, c.useBias),
  };
}

/**
 * Average pooling: a sum over each window, divided by the number of pixels the window covers inside the map
 * (all of them for 'valid'; fewer at the borders for 'same', where tfjs, like TensorFlow, leaves the padding out
 * of the count). The sum is a convolution with ones on the diagonal of the channel axes, so the transpose is
 * the transposed convolution of Λ/count.
 */
function averagePoolMap(node: GraphNode): LinearMap {
  const { layer } = node;
  const { pool, strides, pad } = poolingConfig(layer);
  const inShape = node.inputShapes[0] as [number, number, number];
  const channels = inShape[2];
  const apply = (x: tf.Tensor) => tf.avgPool(x as tf.Tensor4D, pool, strides, pad);
  const windowSum = () =>
    tf.mul(tf.reshape(tf.eye(channels), [1, 1, channels, channels]), tf.ones([pool[0], pool[1], 1, 1])) as tf.Tensor4D;
  return {
    apply,
    applyAbs: apply,
    transpose: (rows) => {
      const ones = tf.ones([1, inShape[0], inShape[1], 1]) as tf.Tensor4D;
      const count = tf.conv2d(ones, tf.ones([pool[0], pool[1], 1, 1]) as tf.Tensor4D, strides, pad);
      return tf.conv2dTranspose(
        tf.div(rows, count) as tf.Tensor4D,
        windowSum(),
        [rows.shape[0], ...inShape],
        strides,
        pad,
      );
    },
    bias: () => null,
  };
}

function globalAveragePoolMap(node: GraphNode): LinearMap {
  channelsLast(node.layer, (node.layer.getConfig() as { dataFormat?: string }).dataFormat);
  const [h, w, ch] = node.inputShapes[0];
  const apply = (x: tf.Tensor) => tf.mean(x, [1, 2]);
  return {
    apply,
    applyAbs: apply,
    transpose: (rows) =>
      tf.mul(tf.broadcastTo(tf.reshape(rows, [rows.shape[0], 1, 1, ch]), [rows.shape[0], h, w, ch]), 1 / (h * w)),
    bias: () => null,
  };
}

function reshapeMap(node: GraphNode): LinearMap {
  const inShape = node.inputShapes[0];
  const outShape = node.outputShape;
  return {
    apply: (x) => tf.reshape(x, [x.shape[0], ...outShape]),
    applyAbs: (r) => tf.reshape(r, [r.shape[0], ...outShape]),
    transpose: (rows) => tf.reshape(rows, [rows.shape[0], ...inShape]),
    bias: () => null,
  };
}

function scaleMap(factor: number): LinearMap {
  return {
    apply: (x) => tf.mul(x, factor),
    applyAbs: (r) => tf.mul(r, Math.abs(factor)),
    transpose: (rows) => tf.mul(rows, factor),
    bias: () => null,
  };
}

/** y = x·s + t along the last axis (imported input normalisation, unfolded batch norm). */
function channelAffineMap(node: GraphNode): LinearMap {
  const c = node.layer.getConfig() as { scale: number[]; shift: number[] };
  const scale = () => tf.tensor1d(c.scale);
  return {
    apply: (x) => tf.mul(x, scale()),
    applyAbs: (r) => tf.mul(r, tf.abs(scale())),
    transpose: (rows) => tf.mul(rows, scale()),
    bias: () => tf.tensor1d(c.shift),
  };
}

/** Zero padding of the two spatial axes: its transpose crops the padding off again. */
function zeroPaddingMap(node: GraphNode): LinearMap {
  const c = node.layer.getConfig() as { padding: [[number, number], [number, number]]; dataFormat?: string };
  channelsLast(node.layer, c.dataFormat);
  const [[top, bottom], [left, right]] = c.padding;
  const [h, w] = node.inputShapes[0];
  const pad = (x: tf.Tensor) =>
    tf.pad(x, [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]);
  return {
    apply: pad,
    applyAbs: pad,
    transpose: (rows) => tf.slice(rows, [0, top, left, 0], [-1, h, w, -1]),
    bias: () => null,
  };
}

/** Batch norm at inference: x ↦ s ⊙ x + t per channel, with the running statistics of its current route. */
function batchNormMap(node: GraphNode): LinearMap {
  const layer = node.layer as BatchNorm;
  const set = layer.activeSet();
  const affine = () =>
    batchNormAffine(
      set.gamma.read() as tf.Tensor1D,
      set.beta.read() as tf.Tensor1D,
      set.movingMean.read() as tf.Tensor1D,
      set.movingVariance.read() as tf.Tensor1D,
      layer.epsilon,
    );
  const scaled = (x: tf.Tensor, abs: boolean) =>
    tf.tidy(() => {
      const { scale } = affine();
      return tf.mul(x, abs ? tf.abs(scale) : scale);
    });
  return {
    apply: (x) => scaled(x, false),
    applyAbs: (r) => scaled(r, true),
    transpose: (rows) => scaled(rows, false),
    bias: () => tf.tidy(() => affine().shift),
  };
}

/** Window, strides and padding of a 2-D pooling layer (channels last). */
export function poolingConfig(layer: tf.layers.Layer): {
  pool: [number, number];
  strides: [number, number];
  pad: Padding;
} {
  const c = layer.getConfig() as {
    poolSize?: number[] | number;
    strides?: number[] | number | null;
    padding: string;
    dataFormat?: string;
  };
  channelsLast(layer, c.dataFormat);
  const pool = pair(c.poolSize, 2);
  return { pool, strides: c.strides == null ? pool : pair(c.strides, 1), pad: padding(layer, c.padding) };
}

/** The layer as a linear map, or null when it is not one (activations, GroupNorm, Add, pooling by max, …). */
export function linearMapOf(node: GraphNode): LinearMap | null {
  switch (node.className) {
    case 'Dense':
      return denseMap(node);
    case 'Conv2D':
      return conv2dMap(node);
    case 'AveragePooling2D':
      return averagePoolMap(node);
    case 'GlobalAveragePooling2D':
      return globalAveragePoolMap(node);
    case 'Flatten':
    case 'Reshape':
    case 'Dropout':
    case 'SpatialDropout2D':
      return reshapeMap(node);
    case 'ChannelAffine':
      return channelAffineMap(node);
    case 'ZeroPadding2D':
      return zeroPaddingMap(node);
    case 'Scale':
      return scaleMap((node.layer.getConfig() as { factor: number }).factor);
    case 'BatchNorm':
      if (!(node.layer instanceof BatchNorm)) return null;
      return batchNormMap(node);
    default:
      return null;
  }
}

/** Λ·b summed over the features: rows [m, ...outShape] → [m]. */
export function biasTerm(rows: tf.Tensor, bias: tf.Tensor): tf.Tensor1D {
  const m = rows.shape[0];
  return tf.sum(tf.reshape(tf.mul(rows, bias), [m, -1]), 1) as tf.Tensor1D;
}

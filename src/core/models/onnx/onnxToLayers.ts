/**
 * Builds a tfjs LayersModel (functional API, NHWC) from the lowered ONNX graph, so attacks, the training lab's
 * evaluation and the verifiers run on it unchanged. The NCHW → NHWC mapping:
 *
 *   conv kernels   OIHW → HWIO
 *   padding        none → 'valid'; TensorFlow's 'same' → 'same'; anything else → ZeroPadding2D, then 'valid'
 *   flatten        NHWC flattens in (h, w, c) order, ONNX in (c, h, w): rather than a transpose layer, the rows
 *                  of the dense layer that reads the flattened vector are permuted (and per-feature constants
 *                  on the way), so the model stays a plain chain of the project's layers
 *   global pool    GlobalAveragePooling2D; ONNX's [N, C, 1, 1] is already flat here, and its Flatten a no-op
 */
import * as tf from '@tensorflow/tfjs';
import { ModelFormatError } from '../../util/errors';
import { ChannelAffine } from '../layers/channelAffine';
import type { IrOp, LoweredGraph, Pads } from './onnxOps';
import { tfjsPadding } from './onnxPadding';

/** A built value: its symbolic tensor, and for a flattened image the [C, H, W] it came from (rows in HWC order). */
interface Built {
  sym: tf.SymbolicTensor;
  flat: boolean;
  chw?: [number, number, number];
}

/** Index in (h, w, c) order of the feature ONNX numbers k in (c, h, w) order. */
function hwcIndexOf(k: number, [c, h, w]: [number, number, number]): number {
  const ch = Math.floor(k / (h * w));
  const rest = k % (h * w);
  return rest * c + ch;
}

/** A vector in ONNX's (c, h, w) feature order, reordered to the (h, w, c) order of the built model. */
function toHwc(values: Float32Array, chw: [number, number, number] | undefined): Float32Array {
  if (!chw || values.length === 1) return values;
  const out = new Float32Array(values.length);
  values.forEach((v, k) => {
    out[hwcIndexOf(k, chw)] = v;
  });
  return out;
}

function ohwiKernel(op: Extract<IrOp, { kind: 'conv' }>): tf.Tensor4D {
  const [o, i, kh, kw] = op.kernelShape;
  const hwio = new Float32Array(o * i * kh * kw);
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          hwio[((y * kw + x) * i + ic) * o + oc] = op.kernel[((oc * i + ic) * kh + y) * kw + x];
  return tf.tensor4d(hwio, [kh, kw, i, o]);
}

function denseKernel(op: Extract<IrOp, { kind: 'dense' }>, chw: [number, number, number] | undefined): tf.Tensor2D {
  if (!chw) return tf.tensor2d(op.weight, [op.inFeatures, op.outFeatures]);
  const out = new Float32Array(op.weight.length);
  for (let k = 0; k < op.inFeatures; k++) {
    const row = hwcIndexOf(k, chw);
    out.set(op.weight.subarray(k * op.outFeatures, (k + 1) * op.outFeatures), row * op.outFeatures);
  }
  return tf.tensor2d(out, [op.inFeatures, op.outFeatures]);
}

const zeroPadding = (pads: Pads, name: string) =>
  tf.layers.zeroPadding2d({
    padding: [
      [pads[0], pads[2]],
      [pads[1], pads[3]],
    ],
    name,
  });

export interface BuildResult {
  model: tf.LayersModel;
}

/**
 * The model. `inputScaling` (mean and std per channel, or one each) adds (x − mean)/std as the first layer, for
 * graphs that expect normalised input but do not contain the normalisation.
 */
export function buildLayersModel(
  g: LoweredGraph,
  inputScaling: { mean: number[]; std: number[] } | null,
  name: string,
): tf.LayersModel {
  const [c, h, w] = g.inputShape;
  const input = tf.input({ shape: [h, w, c], name: 'image' });
  const built = new Map<string, Built>();
  const pending: { layer: tf.layers.Layer; weights: tf.Tensor[] }[] = [];
  let first: tf.SymbolicTensor = input;
  if (inputScaling) {
    const scale = inputScaling.std.map((s) => 1 / s);
    const shift = inputScaling.mean.map((m, i) => -m / inputScaling.std[i]);
    first = new ChannelAffine({ scale, shift, name: 'input_scaling' }).apply(input) as tf.SymbolicTensor;
  }
  built.set(g.input, { sym: first, flat: false });
  const get = (id: string): Built => {
    const b = built.get(id);
    if (!b) throw new ModelFormatError(`The value "${id}" is used before it is computed.`);
    return b;
  };
  const spatialInput = (op: IrOp & { input: string }): tf.SymbolicTensor => {
    const b = get(op.input);
    if (b.flat) throw new ModelFormatError(`"${op.output}" applies ${op.kind} to a flat (pooled) value.`);
    return b.sym;
  };
  let n = 0;
  const layerName = (kind: string) => `${kind}_${++n}`;
  try {
    for (const op of g.ops) {
      const out = buildOp(op, { get, spatialInput, layerName, pending, g });
      built.set(op.output, out);
    }
    const output = get(g.output);
    if (!output.flat || output.chw) {
      throw new ModelFormatError('The graph does not end in a vector of class scores ([N, classes]).');
    }
    const model = tf.model({ inputs: input, outputs: output.sym, name });
    for (const { layer, weights } of pending) layer.setWeights(weights);
    return model;
  } finally {
    for (const p of pending) tf.dispose(p.weights);
  }
}

interface Context {
  get(id: string): Built;
  spatialInput(op: IrOp & { input: string }): tf.SymbolicTensor;
  layerName(kind: string): string;
  pending: { layer: tf.layers.Layer; weights: tf.Tensor[] }[];
  g: LoweredGraph;
}

function buildOp(op: IrOp, ctx: Context): Built {
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    layer.apply(x) as tf.SymbolicTensor;
  const shapeOf = (id: string) => ctx.g.shapes.get(id)!;
  switch (op.kind) {
    case 'conv': {
      let x = ctx.spatialInput(op);
      const [, ih, iw] = shapeOf(op.input);
      const [o, , kh, kw] = op.kernelShape;
      let padding = tfjsPadding(op.pads, [ih, iw], [kh, kw], op.strides);
      if (!padding) {
        x = apply(zeroPadding(op.pads, ctx.layerName('pad')), x);
        padding = 'valid';
      }
      const layer = tf.layers.conv2d({
        filters: o,
        kernelSize: [kh, kw],
        strides: op.strides,
        padding,
        name: ctx.layerName('conv'),
      });
      const y = apply(layer, x);
      ctx.pending.push({ layer, weights: [ohwiKernel(op), tf.tensor1d(op.bias)] });
      return { sym: y, flat: false };
    }
    case 'dense': {
      const x = ctx.get(op.input);
      if (!x.flat) throw new ModelFormatError(`"${op.output}" multiplies an unflattened image.`);
      const layer = tf.layers.dense({ units: op.outFeatures, name: ctx.layerName('dense') });
      const y = apply(layer, x.sym);
      ctx.pending.push({ layer, weights: [denseKernel(op, x.chw), tf.tensor1d(op.bias)] });
      return { sym: y, flat: true };
    }
    case 'activation': {
      const x = ctx.get(op.input);
      const name = ctx.layerName(op.fn);
      const layer =
        op.fn === 'relu'
          ? tf.layers.reLU({ name })
          : op.fn === 'leakyRelu'
            ? tf.layers.leakyReLU({ alpha: op.alpha, name })
            : tf.layers.activation({ activation: op.fn, name });
      return { ...x, sym: apply(layer, x.sym) };
    }
    case 'maxPool':
    case 'avgPool': {
      let x = ctx.spatialInput(op);
      const [, ih, iw] = shapeOf(op.input);
      let padding = tfjsPadding(op.pads, [ih, iw], op.kernel, op.strides);
      if (op.kind === 'avgPool' && op.countIncludePad && op.pads.some((p) => p > 0)) {
        // The padded zeros count in the average: pad explicitly, then average without padding.
        x = apply(zeroPadding(op.pads, ctx.layerName('pad')), x);
        padding = 'valid';
      }
      if (!padding) throw new ModelFormatError(`"${op.output}" has padding no pooling layer expresses.`);
      const args = { poolSize: op.kernel, strides: op.strides, padding, name: ctx.layerName(op.kind) };
      const layer = op.kind === 'maxPool' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
      return { sym: apply(layer, x), flat: false };
    }
    case 'relayout':
      return ctx.get(op.input);
    case 'pad':
      return { sym: apply(zeroPadding(op.pads, ctx.layerName('pad')), ctx.spatialInput(op)), flat: false };
    case 'globalAvgPool':
      return {
        sym: apply(tf.layers.globalAveragePooling2d({ name: ctx.layerName('global_pool') }), ctx.spatialInput(op)),
        flat: true,
      };
    case 'flatten': {
      const x = ctx.get(op.input);
      if (x.flat) return x;
      const [fc, fh, fw] = shapeOf(op.input);
      const sym = apply(tf.layers.flatten({ name: ctx.layerName('flatten') }), x.sym);
      if (op.hwcOrder) return { sym, flat: true };
      return { sym, flat: true, chw: fc > 1 && fh * fw > 1 ? [fc, fh, fw] : undefined };
    }
    case 'add': {
      const [a, b] = op.inputs.map((id) => ctx.get(id));
      if (a.flat !== b.flat || String(a.chw) !== String(b.chw)) {
        throw new ModelFormatError(`"${op.output}" adds values laid out differently.`);
      }
      return { ...a, sym: apply(tf.layers.add({ name: ctx.layerName('add') }), [a.sym, b.sym]) };
    }
    case 'affine': {
      const x = ctx.get(op.input);
      const layer = new ChannelAffine({
        scale: [...toHwc(op.scale, x.chw)],
        shift: [...toHwc(op.shift, x.chw)],
        name: ctx.layerName('affine'),
      });
      return { ...x, sym: apply(layer, x.sym) };
    }
  }
}

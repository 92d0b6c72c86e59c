/**
 * The importer's intermediate form: the ONNX graph lowered to a short list of operations that map one to one
 * onto the project's layers, still in ONNX's NCHW terms (the layer builder does the NHWC mapping). Batch
 * normalisation is already folded into the convolution or dense layer before it (inference mode:
 * y = γ(x − μ)/√(σ² + ε) + β is an affine map per channel, Ioffe & Szegedy 2015, §3.1), and every
 * multiplication, division, addition and subtraction by a constant is one per-channel affine op — which is how
 * input normalisation ((x − mean)/std) inside a graph shows up.
 */
import type { ConstTensor } from './onnxFile';

/** Shapes without the batch dimension: [C, H, W] for images, [D] for feature vectors. */
export type Shape = number[];

/** [top, left, bottom, right], ONNX's pads order for two spatial axes. */
export type Pads = [number, number, number, number];

export type IrOp =
  | {
      kind: 'conv';
      input: string;
      output: string;
      /** [O, I, kh, kw] (ONNX's OIHW), row-major. */
      kernel: Float32Array;
      bias: Float32Array;
      kernelShape: [number, number, number, number];
      strides: [number, number];
      pads: Pads;
    }
  | {
      kind: 'dense';
      input: string;
      output: string;
      /** [in, out] row-major, rows in ONNX's feature order. */
      weight: Float32Array;
      bias: Float32Array;
      inFeatures: number;
      outFeatures: number;
    }
  | { kind: 'activation'; input: string; output: string; fn: 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh'; alpha: number }
  | {
      kind: 'maxPool' | 'avgPool';
      input: string;
      output: string;
      kernel: [number, number];
      strides: [number, number];
      pads: Pads;
      countIncludePad: boolean;
    }
  | { kind: 'pad'; input: string; output: string; pads: Pads }
  | { kind: 'globalAvgPool'; input: string; output: string }
  | {
      kind: 'flatten';
      input: string;
      output: string;
      /** The input is channels-last already (a Keras graph's Transpose before its flatten): (h, w, c) order. */
      hwcOrder?: boolean;
    }
  /** A Transpose between NHWC and NCHW: the layers model is NHWC throughout, so nothing to compute. */
  | { kind: 'relayout'; input: string; output: string }
  | { kind: 'add'; inputs: [string, string]; output: string }
  | {
      kind: 'affine';
      input: string;
      output: string;
      /** y = x·scale + shift, per channel (length C), per feature (length D) or one number (length 1). */
      scale: Float32Array;
      shift: Float32Array;
    };

export interface LoweredGraph {
  ops: IrOp[];
  input: string;
  inputShape: Shape;
  output: string;
  outputShape: Shape;
  shapes: Map<string, Shape>;
  /** What the summary reports beyond the operator list (folds, drops). */
  notes: string[];
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Composes two affine maps, x ↦ (x·s1 + t1)·s2 + t2, broadcasting a length-1 side against the other. */
export function composeAffine(
  first: { scale: Float32Array; shift: Float32Array },
  second: { scale: Float32Array; shift: Float32Array },
): { scale: Float32Array; shift: Float32Array } {
  const n = Math.max(first.scale.length, first.shift.length, second.scale.length, second.shift.length);
  const at = (a: Float32Array, i: number) => (a.length === 1 ? a[0] : a[i]);
  const scale = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    scale[i] = at(first.scale, i) * at(second.scale, i);
    shift[i] = at(first.shift, i) * at(second.scale, i) + at(second.shift, i);
  }
  return { scale, shift };
}

/**
 * A constant that broadcasts against a value of `shape` as one number, one per channel ([C,1,1] against
 * [C,H,W]) or one per feature ([D] against [D]); null when it broadcasts some other way.
 */
export function perChannel(t: ConstTensor, shape: Shape): Float32Array | null {
  if (t.data.length === 1) return Float32Array.from(t.data);
  const dims = [...t.dims];
  while (dims.length > 0 && dims[0] === 1 && dims.length > shape.length) dims.shift();
  if (shape.length === 3 && dims.length === 3 && dims[0] === shape[0] && dims[1] === 1 && dims[2] === 1) {
    return Float32Array.from(t.data);
  }
  if (shape.length === 1 && dims.length === 1 && dims[0] === shape[0]) return Float32Array.from(t.data);
  return null;
}

/** Batch normalisation in inference mode as y = x·a + b per channel: a = γ/√(σ² + ε), b = β − μ·a. */
export function batchNormAffine(
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  epsilon: number,
): { scale: Float32Array; shift: Float32Array } {
  const scale = gamma.map((g, i) => g / Math.sqrt(variance[i] + epsilon));
  const shift = beta.map((b, i) => b - mean[i] * scale[i]);
  return { scale, shift };
}

/** Folds y = x·a + b (per output channel) into a convolution or dense layer that writes x. */
export function foldAffineIntoLayer(op: IrOp, a: Float32Array, b: Float32Array): void {
  if (op.kind === 'conv') {
    const [o, i, kh, kw] = op.kernelShape;
    const per = i * kh * kw;
    for (let c = 0; c < o; c++) {
      const s = a.length === 1 ? a[0] : a[c];
      for (let k = 0; k < per; k++) op.kernel[c * per + k] *= s;
      op.bias[c] = op.bias[c] * s + (b.length === 1 ? b[0] : b[c]);
    }
  } else if (op.kind === 'dense') {
    for (let r = 0; r < op.inFeatures; r++) {
      for (let c = 0; c < op.outFeatures; c++) op.weight[r * op.outFeatures + c] *= a.length === 1 ? a[0] : a[c];
    }
    for (let c = 0; c < op.outFeatures; c++) {
      op.bias[c] = op.bias[c] * (a.length === 1 ? a[0] : a[c]) + (b.length === 1 ? b[0] : b[c]);
    }
  }
}

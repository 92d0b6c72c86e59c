/**
 * CROWN (Zhang et al. 2018, "Efficient neural network robustness certification with general activation
 * functions"): lower bounds of the margins C·z over the ε-box by a backward pass of linear relaxations. Each
 * ReLU with pre-activation bounds l < 0 < u is sandwiched between two lines (§3, for ReLU):
 *
 *   upper   σ(z) ≤ u·(z − l)/(u − l)
 *   lower   σ(z) ≥ α·z,  α = 1 if u > −l else 0   (the adaptive choice, "CROWN-Ada")
 *
 * and stable neurons are exact (identity or zero). Starting from Λ = C at the output, Λ ← Λ·W through affine
 * layers and, through a ReLU, Λ⁺ takes the lower line and Λ⁻ the upper one (§3), collecting the
 * intercepts; at the input the box bounds Λ·x exactly. The pre-activation bounds of each ReLU come from the same
 * backward pass run from that layer with Λ = I ("crown"), or from interval propagation ("ibp": CROWN-IBP,
 * Zhang et al. 2020, "Towards stable and efficient training of verifiably robust neural networks", §3).
 *
 * Feed-forward chains of Dense, Conv2D (valid/same, strides), ReLU, Flatten/Reshape, average pooling and
 * Scale. Max-pooling, GroupNorm, residual sums and ODE blocks are refused with the layer's name (IBP bounds
 * them). All tf ops, differentiable: CROWN-IBP training can back-propagate through the bounds.
 */
import * as tf from '@tensorflow/tfjs';
import { UnsupportedLayerError } from '../util/errors';
import { activationLayerFunction, fusedActivationName, isPlainRelu } from './activations';
import { affineInterval, centreRadius, inputBox, monotoneInterval, type Interval } from './interval';
import { describeLayer, layerGraph, type GraphNode } from './layerGraph';
import { biasTerm, linearMapOf, type LinearMap } from './linearMaps';
import { condition } from './conditions';
import { marginSpecification, oneHotFloat } from './specification';

export type CrownOp =
  | { kind: 'linear'; map: LinearMap; inShape: number[]; outShape: number[] }
  | { kind: 'relu'; shape: number[] };

export type IntermediateBounds = 'crown' | 'ibp';

export interface CrownOptions {
  /** How the ReLUs' pre-activation bounds are found: CROWN itself (default) or IBP (CROWN-IBP). */
  intermediate?: IntermediateBounds;
  /**
   * Also bound the margins by IBP (with the tightened intermediate boxes) and return the larger lower bound:
   * both are sound, and neither is always tighter (Zhang et al. 2020, §3). Default true.
   */
  intersectIbp?: boolean;
  /** Largest number of floats in one backward-pass tensor (rows are split to fit). Default 2²². */
  maxFloats?: number;
}

function refuse(node: GraphNode, why: string): never {
  throw new UnsupportedLayerError(`CROWN cannot bound ${describeLayer(node.layer)}: ${why}`);
}

/** The model as a chain of affine maps and ReLUs, or a refusal naming the first layer CROWN cannot relax. */
export function crownChain(model: tf.LayersModel): { ops: CrownOp[]; inputShape: number[]; outputShape: number[] } {
  const graph = layerGraph(model);
  const ops: CrownOp[] = [];
  let previous = graph.input;
  for (const node of graph.nodes) {
    if (node.inputs.length !== 1 || node.inputs[0] !== previous) {
      refuse(node, 'it joins branches (CROWN here handles feed-forward chains; IBP handles residual sums).');
    }
    previous = node.output;
    const map = linearMapOf(node);
    if (map) {
      ops.push({ kind: 'linear', map, inShape: node.inputShapes[0], outShape: node.outputShape });
      const activation = fusedActivationName(node.layer);
      if (activation === 'relu') ops.push({ kind: 'relu', shape: node.outputShape });
      else if (activation !== 'linear') refuse(node, `its activation "${activation}" is not ReLU.`);
      continue;
    }
    if (isPlainRelu(node.layer)) {
      ops.push({ kind: 'relu', shape: node.outputShape });
      continue;
    }
    if (activationLayerFunction(node.layer)) refuse(node, 'only ReLU activations are relaxed.');
    if (node.className === 'MaxPooling2D') {
      refuse(node, 'max-pooling has no linear relaxation here; use IBP, or a model with strided convolutions.');
    }
    refuse(node, 'no linear relaxation for this layer (IBP may bound it).');
  }
  const outputShape = graph.nodes.at(-1)?.outputShape ?? graph.inputShape;
  return { ops, inputShape: graph.inputShape, outputShape };
}

/** The two lines of each ReLU neuron: lower σ ≥ aL·z, upper σ ≤ aU·z + bU. */
interface Relaxation {
  lowerSlope: tf.Tensor;
  upperSlope: tf.Tensor;
  upperIntercept: tf.Tensor;
}

function reluRelaxation({ lower: l, upper: u }: Interval): Relaxation {
  const active = condition((a) => tf.greaterEqual(a, 0), l);
  const unstable = condition((a, b) => tf.logicalAnd(tf.less(a, 0), tf.greater(b, 0)), l, u);
  // The adaptive lower slope: 1 where the positive part dominates (u > −l), else 0.
  const mostlyPositive = condition((a, b) => tf.greater(b, tf.neg(a)), l, u);
  // A safe denominator where the neuron is stable keeps the unused branch (and its gradient) finite.
  const width = tf.where(unstable, tf.sub(u, l), tf.onesLike(u));
  const chord = tf.div(u, width);
  const zero = tf.zerosLike(u);
  const one = tf.onesLike(u);
  const upperSlope = tf.where(unstable, chord, tf.where(active, one, zero));
  const upperIntercept = tf.where(unstable, tf.neg(tf.mul(chord, l)), zero);
  const lowerSlope = tf.where(unstable, tf.where(mostlyPositive, one, zero), tf.where(active, one, zero));
  return { lowerSlope, upperSlope, upperIntercept };
}

/** [n, ...shape] → [n, 1, D]: broadcast against rows [n, m, D] (wasm broadcasts binary ops up to rank 4). */
const perRow = (t: tf.Tensor) => tf.reshape(t, [t.shape[0], 1, -1]);

/**
 * Lower bounds of Λ·h_k + offset over the box, where h_k is the output of ops[0 … k−1] and the rows Λ are
 * [n, m, ...shape], or [1, m, ...shape] when they are the same for every image (they then broadcast at the first
 * ReLU). `relaxations[j]` holds the lines of the ReLU op j (every ReLU before k must have one). [n, m].
 */
function backwardLowerBound(
  ops: CrownOp[],
  k: number,
  rows: tf.Tensor,
  relaxations: Map<number, Relaxation>,
  box: Interval,
  initialOffset?: tf.Tensor,
): tf.Tensor2D {
  const m = rows.shape[1]!;
  // Rows are kept flat, [n or 1, m, D], and take their shape only for an affine map's transpose.
  let lambda = tf.reshape(rows, [rows.shape[0], m, -1]);
  let offset: tf.Tensor = initialOffset ?? tf.zeros([1, m]);
  for (let j = k - 1; j >= 0; j--) {
    const op = ops[j];
    const images = lambda.shape[0];
    if (op.kind === 'linear') {
      const flat = tf.reshape(lambda, [images * m, ...op.outShape]);
      const bias = op.map.bias();
      if (bias) offset = tf.add(offset, tf.reshape(biasTerm(flat, bias), [images, m]));
      lambda = tf.reshape(op.map.transpose(flat), [images, m, -1]);
    } else {
      const r = relaxations.get(j)!;
      const positive = tf.relu(lambda);
      const negative = tf.minimum(lambda, 0);
      offset = tf.add(offset, tf.sum(tf.mul(negative, perRow(r.upperIntercept)), 2));
      lambda = tf.add(tf.mul(positive, perRow(r.lowerSlope)), tf.mul(negative, perRow(r.upperSlope)));
    }
  }
  return tf.add(offset, concretise(lambda, box)) as tf.Tensor2D;
}

/** min of Λ·x over the box for flat rows Λ [n, m, D]: Λ·μ − |Λ|·r, [n, m]. */
function concretise(lambda: tf.Tensor, box: Interval): tf.Tensor {
  const { centre, radius } = centreRadius(box);
  return tf.sub(tf.sum(tf.mul(lambda, perRow(centre)), 2), tf.sum(tf.mul(tf.abs(lambda), perRow(radius)), 2));
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Bounds of the neurons `selected` (flat indices; all when null) of h_k, the input of ReLU op k, by backward
 * passes from the unit rows e_i, in chunks that fit `maxFloats`. Neurons not selected keep `fallback`.
 */
function crownNeuronBounds(
  ops: CrownOp[],
  k: number,
  shape: number[],
  relaxations: Map<number, Relaxation>,
  box: Interval,
  fallback: Interval,
  selected: Int32Array | null,
  maxFloats: number,
): Interval {
  const n = box.lower.shape[0];
  const d = sizeOf(shape);
  const indices = selected ?? Int32Array.from({ length: d }, (_, i) => i);
  if (indices.length === 0) return fallback;
  const widest = Math.max(...ops.slice(0, k).map((op) => sizeOf(op.kind === 'linear' ? op.inShape : op.shape)), d);
  const chunk = Math.max(1, Math.min(indices.length, Math.floor(maxFloats / (n * widest))));
  const lowers: tf.Tensor[] = [];
  const uppers: tf.Tensor[] = [];
  for (let start = 0; start < indices.length; start += chunk) {
    const part = indices.subarray(start, Math.min(indices.length, start + chunk));
    // One tidy per chunk frees its backward pass before the next (a tape keeps what its gradient needs).
    const [lower, upper] = tf.tidy(() => {
      // The unit rows meet the same affine maps for every image until the first ReLU below them, so those maps
      // are applied once and the result shared across the batch.
      let rows: tf.Tensor = tf.reshape(oneHotFloat(tf.tensor1d(part, 'int32'), d), [part.length, ...shape]);
      let offset: tf.Tensor = tf.zeros([part.length]);
      let below = k;
      for (let op = ops[below - 1]; op?.kind === 'linear'; op = ops[below - 1]) {
        const bias = op.map.bias();
        if (bias) offset = tf.add(offset, biasTerm(rows, bias));
        rows = op.map.transpose(rows);
        below--;
      }
      const shared = tf.reshape(rows, [1, part.length, -1]);
      const offsets = tf.reshape(offset, [1, part.length]);
      // Broadcast to every image (a no-op for n > 1 once a ReLU has been crossed; explicit for an all-affine net).
      const full = (t: tf.Tensor) => tf.add(t, tf.zeros([n, part.length]));
      return [
        full(backwardLowerBound(ops, below, shared, relaxations, box, offsets)),
        full(tf.neg(backwardLowerBound(ops, below, tf.neg(shared), relaxations, box, tf.neg(offsets)))),
      ];
    });
    lowers.push(lower);
    uppers.push(upper);
  }
  const lower = tf.concat(lowers, 1);
  const upper = tf.concat(uppers, 1);
  if (!selected) return { lower: tf.reshape(lower, [n, ...shape]), upper: tf.reshape(upper, [n, ...shape]) };
  // Scatter the selected columns back: [n, s] · onehot [s, d], the rest from the fallback box.
  const scatter = oneHotFloat(tf.tensor1d(indices, 'int32'), d);
  const others = tf.sub(1, tf.sum(scatter, 0));
  const merge = (t: tf.Tensor, f: tf.Tensor) =>
    tf.reshape(tf.add(tf.matMul(t as tf.Tensor2D, scatter), tf.mul(tf.reshape(f, [n, d]), others)), [n, ...shape]);
  return { lower: merge(lower, fallback.lower), upper: merge(upper, fallback.upper) };
}

/** The interval boxes of every op's output along the chain (IBP on the chain). */
function chainIntervals(ops: CrownOp[], box: Interval): Interval[] {
  const boxes: Interval[] = [];
  let current = box;
  for (const op of ops) {
    current = op.kind === 'linear' ? affineInterval(op.map, current) : monotoneInterval(tf.relu, current);
    boxes.push(current);
  }
  return boxes;
}

function checkLogits(outputShape: number[]): void {
  if (outputShape.length !== 1) {
    throw new UnsupportedLayerError(`The model's output has shape [${outputShape}]; margins need logits [K].`);
  }
}

/** Which neurons of each ReLU's input to tighten (flat indices), by ReLU op index; absent: all of them. */
type NeuronSelection = Map<number, Int32Array>;

function crownBounds(
  model: tf.LayersModel,
  x: tf.Tensor,
  classes: tf.Tensor1D,
  eps: number | tf.Tensor1D,
  options: CrownOptions,
  selection: NeuronSelection | null,
): tf.Tensor2D {
  const intermediate = options.intermediate ?? 'crown';
  const maxFloats = options.maxFloats ?? 2 ** 22;
  return tf.tidy(() => {
    const { ops, outputShape } = crownChain(model);
    checkLogits(outputShape);
    const box = inputBox(x, eps);
    const relaxations = new Map<number, Relaxation>();
    // Forward: interval boxes of every op's output, each ReLU's input tightened by CROWN where asked (and the
    // tightened box carried on, so later interval boxes shrink too).
    const boxes: Interval[] = [];
    let current = box;
    let seenRelu = false;
    ops.forEach((op, k) => {
      if (op.kind === 'linear') {
        current = affineInterval(op.map, current);
      } else {
        // Before the first ReLU the network is affine and the interval box is already exact.
        if (intermediate === 'crown' && seenRelu) {
          const selected = selection ? (selection.get(k) ?? new Int32Array(0)) : null;
          const tight = crownNeuronBounds(ops, k, op.shape, relaxations, box, current, selected, maxFloats);
          current = { lower: tf.maximum(current.lower, tight.lower), upper: tf.minimum(current.upper, tight.upper) };
        }
        seenRelu = true;
        relaxations.set(k, reluRelaxation(current));
        current = monotoneInterval(tf.relu, current);
      }
      boxes.push(current);
    });
    const spec = marginSpecification(classes, outputShape[0]);
    const crown = backwardLowerBound(ops, ops.length, spec, relaxations, box);
    if (options.intersectIbp === false) return crown;
    return tf.maximum(crown, ibpFoldedOnChain(ops, boxes, spec, box));
  });
}

/**
 * Lower bounds of z_c − z_j over the ε-box around each image (c = classes[i]): [n, K], zero at j = c. With
 * `intersectIbp` (default) the larger of the CROWN and IBP bounds, both sound. Synchronous and differentiable:
 * call inside a gradient tape for CROWN-IBP training (Zhang et al. 2020) with `intermediate: 'ibp'`.
 */
export function crownMarginLowerBounds(
  model: tf.LayersModel,
  x: tf.Tensor,
  classes: tf.Tensor1D,
  eps: number | tf.Tensor1D,
  options: CrownOptions = {},
): tf.Tensor2D {
  return crownBounds(model, x, classes, eps, options, null);
}

/**
 * The same bounds for certification, faster: a neuron whose interval box is already stable (l ≥ 0 or u ≤ 0 for
 * every image of the batch) is relaxed exactly whatever its bounds, so only the others get a backward pass
 * (as auto_LiRPA does). One asynchronous read of the interval boxes first; not for gradient tapes.
 */
export async function crownMarginLowerBoundsForCertification(
  model: tf.LayersModel,
  x: tf.Tensor,
  classes: tf.Tensor1D,
  eps: number | tf.Tensor1D,
  options: CrownOptions = {},
): Promise<tf.Tensor2D> {
  const { ops } = crownChain(model);
  const masks = tf.tidy(() => {
    const boxes = chainIntervals(ops, inputBox(x, eps));
    return ops.flatMap((op, k) => {
      if (op.kind !== 'relu') return [];
      const { lower, upper } = k === 0 ? inputBox(x, eps) : boxes[k - 1];
      const unstable = tf.logicalAnd(tf.less(lower, 0), tf.greater(upper, 0));
      return [tf.any(tf.reshape(unstable, [unstable.shape[0], -1]), 0)];
    });
  });
  const selection: NeuronSelection = new Map();
  const reluIndices = ops.flatMap((op, k) => (op.kind === 'relu' ? [k] : []));
  try {
    for (let i = 0; i < masks.length; i++) {
      const flags = await masks[i].data();
      const picked: number[] = [];
      flags.forEach((f, j) => {
        if (f) picked.push(j);
      });
      selection.set(reluIndices[i], Int32Array.from(picked));
    }
  } finally {
    tf.dispose(masks);
  }
  return crownBounds(model, x, classes, eps, options, selection);
}

/** IBP's bound on the chain: the specification folded through the trailing affine maps onto the last box. */
function ibpFoldedOnChain(ops: CrownOp[], boxes: Interval[], spec: tf.Tensor3D, box: Interval): tf.Tensor {
  let k = ops.length;
  while (k > 0 && ops[k - 1].kind === 'linear') k--;
  return backwardLowerBound(ops.slice(k), ops.length - k, spec, new Map(), k === 0 ? box : boxes[k - 1]);
}

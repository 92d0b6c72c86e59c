/**
 * Interval bound propagation (Gowal et al. 2018, "On the effectiveness of interval bound propagation for
 * training verifiably robust models", §3): a box around the input is pushed through the network layer by layer,
 * each layer mapping a box to a box that contains the images of all its points. Affine layers in centre/radius
 * form (μ' = Wμ + b, r' = |W|r), monotone activations and max-pooling on the two ends, residual
 * sums by interval addition, GroupNorm by interval arithmetic (groupNormBounds.ts), ODE blocks through every
 * solver step (odeBounds.ts). The specification z_c − z_j is folded into the trailing affine layers.
 *
 * Everything is differentiable tf ops: `ibpMarginLowerBounds` inside a gradient tape gives IBP training's robust
 * loss CE(ẑ, y) with ẑ = worstCaseLogits(bounds) (Gowal et al. 2018, §3).
 */
import * as tf from '@tensorflow/tfjs';
import type { GroupNorm } from '../models/layers/groupNorm';
import { UnsupportedLayerError } from '../util/errors';
import { activationLayerFunction, fusedActivationName, monotoneActivation } from './activations';
import { affineInterval, inputBox, monotoneInterval, sumIntervals, type Interval } from './interval';
import { describeLayer, layerGraph, type GraphNode, type LayerGraph } from './layerGraph';
import { linearMapOf, poolingConfig, type LinearMap } from './linearMaps';
import { groupNormInterval } from './groupNormBounds';
import { odeBlockInterval } from './odeBounds';
import { foldedMarginLowerBounds, marginSpecification } from './specification';

/** The box of one layer's output given its inputs' boxes. */
function layerInterval(node: GraphNode, inputs: Interval[]): Interval {
  const { layer } = node;
  const map = linearMapOf(node);
  if (map) {
    const out = affineInterval(map, inputs[0]);
    const activation = fusedActivationName(layer);
    return activation === 'linear' ? out : monotoneInterval(monotoneActivation(activation, layer), out);
  }
  const activation = activationLayerFunction(layer);
  if (activation) return monotoneInterval(activation, inputs[0]);
  switch (node.className) {
    case 'MaxPooling2D': {
      const { pool, strides, pad } = poolingConfig(layer);
      return monotoneInterval((t) => tf.maxPool(t as tf.Tensor4D, pool, strides, pad), inputs[0]);
    }
    case 'GlobalMaxPooling2D':
      return monotoneInterval((t) => tf.max(t, [1, 2]), inputs[0]);
    case 'Add':
      return sumIntervals(inputs);
    case 'GroupNorm': {
      const gn = layer as GroupNorm;
      const [gamma, beta] = gn.weights.map((w) => w.read());
      return groupNormInterval(inputs[0], gn.groups, gamma, beta, gn.epsilon);
    }
    case 'OdeBlock':
      return odeBlockInterval(layer, inputs[0]);
    default:
      throw new UnsupportedLayerError(`Interval bound propagation does not handle ${describeLayer(layer)}.`);
  }
}

/**
 * The trailing affine layers ending at the output (no activation, each output read only by the next), last
 * first, which the specification folds into.
 */
function trailingAffineChain(graph: LayerGraph): { maps: LinearMap[]; nodes: Set<GraphNode>; start: number } {
  const producer = new Map(graph.nodes.map((n) => [n.output, n]));
  const readers = new Map<number, number>();
  for (const n of graph.nodes) for (const id of n.inputs) readers.set(id, (readers.get(id) ?? 0) + 1);
  const maps: LinearMap[] = [];
  const nodes = new Set<GraphNode>();
  let id = graph.output;
  for (let node = producer.get(id); node; node = producer.get(id)) {
    const map = node.inputs.length === 1 && fusedActivationName(node.layer) === 'linear' ? linearMapOf(node) : null;
    if (!map || (id !== graph.output && readers.get(id) !== 1)) break;
    maps.push(map);
    nodes.add(node);
    id = node.inputs[0];
  }
  return { maps, nodes, start: id };
}

/** Boxes of every tensor of the graph except `skip`'s outputs, keyed by symbolic tensor id. */
function propagate(graph: LayerGraph, box: Interval, skip: Set<GraphNode>): Map<number, Interval> {
  const boxes = new Map<number, Interval>([[graph.input, box]]);
  for (const node of graph.nodes) {
    if (skip.has(node)) continue;
    const inputs = node.inputs.map((id) => boxes.get(id));
    if (inputs.some((b) => !b)) throw new UnsupportedLayerError(`Cannot order ${describeLayer(node.layer)}.`);
    boxes.set(node.output, layerInterval(node, inputs as Interval[]));
  }
  return boxes;
}

/** Every layer of the model has an IBP rule (throws UnsupportedLayerError naming the first that has none). */
export function checkIbpSupport(model: tf.LayersModel): void {
  tf.tidy(() => {
    const graph = layerGraph(model);
    const x = tf.zeros([1, ...graph.inputShape]);
    propagate(graph, inputBox(x, 0), new Set());
  });
}

/** Bounds of the logits for inputs in the ε-box around x ([n, …]); ε one number or one per image. */
export function ibpLogitBounds(model: tf.LayersModel, x: tf.Tensor, eps: number | tf.Tensor1D): Interval {
  return tf.tidy(() => {
    const graph = layerGraph(model);
    const boxes = propagate(graph, inputBox(x, eps), new Set());
    return boxes.get(graph.output)!;
  });
}

/**
 * Lower bounds of z_c − z_j over the ε-box around each image x_i (c = classes[i]): [n, K], zero at j = c. The
 * image is certified when every other entry is positive. Differentiable (IBP training).
 */
export function ibpMarginLowerBounds(
  model: tf.LayersModel,
  x: tf.Tensor,
  classes: tf.Tensor1D,
  eps: number | tf.Tensor1D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const graph = layerGraph(model);
    const outputShape = graph.nodes.find((n) => n.output === graph.output)!.outputShape;
    if (outputShape.length !== 1) {
      throw new UnsupportedLayerError(`The model's output has shape [${outputShape}]; margins need logits [K].`);
    }
    const chain = trailingAffineChain(graph);
    const boxes = propagate(graph, inputBox(x, eps), chain.nodes);
    const spec = marginSpecification(classes, outputShape[0]);
    return foldedMarginLowerBounds(spec, chain.maps, outputShape, boxes.get(chain.start)!);
  });
}

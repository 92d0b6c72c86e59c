/**
 * The layer graph of a tfjs model in topological order, as the bound propagators walk it: each node is one layer
 * applied once, with the ids of the symbolic tensors it reads and writes and their shapes (batch dimension
 * dropped). Sequential and functional models alike; tfjs already keeps `model.layers` sorted by depth, so a layer's
 * inputs are always produced before it.
 */
import type * as tf from '@tensorflow/tfjs';
import { UnsupportedLayerError } from '../util/errors';

export interface GraphNode {
  layer: tf.layers.Layer;
  /** The layer's class, e.g. 'Conv2D' (what messages name). */
  className: string;
  /** Ids of the symbolic tensors the layer reads, in order. */
  inputs: number[];
  /** Id of the symbolic tensor it writes. */
  output: number;
  /** Shapes without the batch dimension. */
  inputShapes: number[][];
  outputShape: number[];
}

export interface LayerGraph {
  /** Id of the model's (single) input tensor. */
  input: number;
  inputShape: number[];
  /** Id of the model's (single) output tensor. */
  output: number;
  /** Every layer but the InputLayer, in an order where a node's inputs come first. */
  nodes: GraphNode[];
}

/** "layer "conv2d_1" (Conv2D)": how every refusal names a layer. */
export function describeLayer(layer: tf.layers.Layer): string {
  return `layer "${layer.name}" (${layer.getClassName()})`;
}

interface SymbolicLike {
  id: number;
  shape: (number | null)[];
}

interface NodeLike {
  inputTensors: SymbolicLike[];
  outputTensors: SymbolicLike[];
}

function withoutBatch(shape: (number | null)[], what: string): number[] {
  const rest = shape.slice(1);
  if (rest.some((d) => d === null)) throw new UnsupportedLayerError(`${what} has an unknown dimension.`);
  return rest as number[];
}

/** The graph of a single-input, single-output model. */
export function layerGraph(model: tf.LayersModel): LayerGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new UnsupportedLayerError(
      `Verification handles models with one input and one output; "${model.name}" has ` +
        `${model.inputs.length} and ${model.outputs.length}.`,
    );
  }
  const input = model.inputs[0] as unknown as SymbolicLike;
  const output = model.outputs[0] as unknown as SymbolicLike;
  const known = new Set<number>([input.id]);
  const nodes: GraphNode[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    // A layer shared between models has one inbound node per use; the one that belongs to this model reads
    // tensors this model has already produced.
    const inbound = (layer as unknown as { inboundNodes: NodeLike[] }).inboundNodes;
    const node = inbound.find((n) => n.inputTensors.every((t) => known.has(t.id)));
    if (node?.outputTensors.length !== 1) {
      throw new UnsupportedLayerError(`Cannot place ${describeLayer(layer)} in the model's graph.`);
    }
    const out = node.outputTensors[0];
    known.add(out.id);
    nodes.push({
      layer,
      className: layer.getClassName(),
      inputs: node.inputTensors.map((t) => t.id),
      output: out.id,
      inputShapes: node.inputTensors.map((t) => withoutBatch(t.shape, `The input of ${describeLayer(layer)}`)),
      outputShape: withoutBatch(out.shape, `The output of ${describeLayer(layer)}`),
    });
  }
  if (!known.has(output.id)) throw new UnsupportedLayerError(`The output of "${model.name}" is not reached.`);
  return { input: input.id, inputShape: withoutBatch(input.shape, 'The model input'), output: output.id, nodes };
}

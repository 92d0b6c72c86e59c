/**
 * Writes one of the playground's models as an ONNX file (opset 13, NCHW, input [N, C, H, W] named "input",
 * output [N, classes] named "logits"), with the project's metadata in metadata_props. The layer graph is the
 * one the verifiers walk (layerGraph.ts); each layer becomes the ONNX operators that compute it exactly:
 *
 *   Conv2D → Conv (HWIO → OIHW, 'same' as explicit pads)    Dense → Gemm    pooling → MaxPool / AveragePool
 *   Flatten → Flatten, with the next Gemm's rows permuted from (h, w, c) to ONNX's (c, h, w) order
 *   GlobalAveragePooling2D → GlobalAveragePool + Flatten    ZeroPadding2D → Pad    Add → Add
 *   ReLU, LeakyReLU, sigmoid, tanh → Relu, LeakyRelu, Sigmoid, Tanh    Scale, ChannelAffine → Mul (+ Add)
 *   BatchNorm (inference, its current route's statistics) → BatchNormalization
 *
 * Layers ONNX cannot express faithfully here (the ODE blocks, whose adaptive or fixed-step solvers would have to be
 * unrolled; GroupNorm, which has no operator before opset 18) are refused by name.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BatchNorm } from '../layers/batchNorm';
import onnxProto from 'onnx-proto';
import { ModelFormatError } from '../../util/errors';
import { layerGraph, type GraphNode } from '../../verify/layerGraph';
import { META_KEY, type ModelMeta } from '../modelMeta';
import { samePads } from './onnxPadding';

const { onnx } = onnxProto;

export const EXPORT_OPSET = 13;
const IR_VERSION = 7;

/** How an exported value relates to the tfjs tensor: a flattened image is in (c, h, w) order in ONNX. */
interface Exported {
  name: string;
  spatial: boolean;
  /** [c, h, w] of the image a flat value was flattened from, when the orders differ. */
  chw?: [number, number, number];
}

class GraphWriter {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private count = 0;

  fresh(base: string): string {
    return `${base}_${++this.count}`;
  }

  constant(base: string, dims: number[], values: Float32Array): string {
    const name = this.fresh(base);
    const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes });
    return name;
  }

  int64Constant(base: string, values: number[]): string {
    const name = this.fresh(base);
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      int64Data: values,
    });
    return name;
  }

  node(opType: string, inputs: string[], attributes: onnxProto.onnx.IAttributeProto[] = []): string {
    const output = this.fresh(opType.toLowerCase());
    this.nodes.push({
      name: `${opType}_${this.count}`,
      opType,
      input: inputs,
      output: [output],
      attribute: attributes,
    });
    return output;
  }
}

const A = onnx.AttributeProto.AttributeType;
const intsAttr = (name: string, ints: number[]) => ({ name, type: A.INTS, ints });
const intAttr = (name: string, i: number) => ({ name, type: A.INT, i });
const floatAttr = (name: string, f: number) => ({ name, type: A.FLOAT, f });

function refuse(node: GraphNode, why: string): never {
  throw new ModelFormatError(`ONNX export cannot express layer "${node.layer.name}" (${node.className}): ${why}`);
}

const pair = (v: unknown, fallback: number): [number, number] =>
  v == null ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [(v as number[])[0], (v as number[])[1]];

/** A tensor of the layer's weights as a Float32Array (synchronous read: export runs outside any tape). */
const weightValues = (layer: tf.layers.Layer, i: number) => layer.getWeights()[i].dataSync() as Float32Array;

function hwcIndexOf(k: number, [c, h, w]: [number, number, number]): number {
  return (k % (h * w)) * c + Math.floor(k / (h * w));
}

/** Emits the ONNX node for a fused activation (Dense/Conv2D `activation`), or refuses it. */
function activationNode(w: GraphWriter, node: GraphNode, name: string, x: string): string {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return w.node('Relu', [x]);
    case 'sigmoid':
      return w.node('Sigmoid', [x]);
    case 'tanh':
      return w.node('Tanh', [x]);
    default:
      return refuse(node, `its activation "${name}" has no ONNX operator here.`);
  }
}

function convNode(w: GraphWriter, node: GraphNode, x: Exported): Exported {
  const c = node.layer.getConfig() as Record<string, unknown>;
  if (c.dataFormat && c.dataFormat !== 'channelsLast') refuse(node, 'it is channelsFirst.');
  if (pair(c.dilationRate, 1).some((d) => d !== 1)) refuse(node, 'it is dilated.');
  const strides = pair(c.strides, 1);
  const kernel = weightValues(node.layer, 0);
  const [ih, iw, inC] = node.inputShapes[0];
  const [kh, kw] = pair(c.kernelSize, 1);
  const outC = node.outputShape[2];
  const oihw = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let xx = 0; xx < kw; xx++)
      for (let i = 0; i < inC; i++)
        for (let o = 0; o < outC; o++)
          oihw[((o * inC + i) * kh + y) * kw + xx] = kernel[((y * kw + xx) * inC + i) * outC + o];
  const pads = c.padding === 'same' ? samePads([ih, iw], [kh, kw], strides) : [0, 0, 0, 0];
  if (c.padding !== 'same' && c.padding !== 'valid') refuse(node, `its padding is "${String(c.padding)}".`);
  const inputs = [x.name, w.constant('conv_w', [outC, inC, kh, kw], oihw)];
  if (c.useBias !== false) inputs.push(w.constant('conv_b', [outC], weightValues(node.layer, 1)));
  const y = w.node('Conv', inputs, [
    intsAttr('kernel_shape', [kh, kw]),
    intsAttr('strides', strides),
    intsAttr('pads', pads),
    intsAttr('dilations', [1, 1]),
    intAttr('group', 1),
  ]);
  return { name: activationNode(w, node, String(c.activation ?? 'linear'), y), spatial: true };
}

function denseNode(w: GraphWriter, node: GraphNode, x: Exported): Exported {
  const c = node.layer.getConfig() as Record<string, unknown>;
  if (x.spatial || node.inputShapes[0].length !== 1) refuse(node, 'it reads an unflattened tensor.');
  const kernel = weightValues(node.layer, 0);
  const inF = node.inputShapes[0][0];
  const outF = node.outputShape[0];
  let rows = kernel;
  if (x.chw) {
    // ONNX's row k (feature k in (c, h, w) order) is tfjs' row in (h, w, c) order.
    rows = new Float32Array(kernel.length);
    for (let k = 0; k < inF; k++) {
      const from = hwcIndexOf(k, x.chw);
      rows.set(kernel.subarray(from * outF, (from + 1) * outF), k * outF);
    }
  }
  const inputs = [x.name, w.constant('dense_w', [inF, outF], rows)];
  if (c.useBias !== false) inputs.push(w.constant('dense_b', [outF], weightValues(node.layer, 1)));
  const y = w.node('Gemm', inputs, [floatAttr('alpha', 1), floatAttr('beta', 1)]);
  return { name: activationNode(w, node, String(c.activation ?? 'linear'), y), spatial: false };
}

function poolNode(w: GraphWriter, node: GraphNode, x: Exported, op: 'MaxPool' | 'AveragePool'): Exported {
  const c = node.layer.getConfig() as Record<string, unknown>;
  const pool = pair(c.poolSize, 2);
  const strides = c.strides == null ? pool : pair(c.strides, 1);
  const [ih, iw] = node.inputShapes[0];
  if (c.padding !== 'same' && c.padding !== 'valid') refuse(node, `its padding is "${String(c.padding)}".`);
  const pads = c.padding === 'same' ? samePads([ih, iw], pool, strides) : [0, 0, 0, 0];
  const attributes: onnxProto.onnx.IAttributeProto[] = [
    intsAttr('kernel_shape', pool),
    intsAttr('strides', strides),
    intsAttr('pads', pads),
  ];
  // tfjs leaves 'same' padding out of each average, as count_include_pad = 0 does.
  if (op === 'AveragePool') attributes.push(intAttr('count_include_pad', 0));
  return { name: w.node(op, [x.name], attributes), spatial: true };
}

function affineNodes(w: GraphWriter, _node: GraphNode, x: Exported, scale: number[], shift: number[]): Exported {
  const shaped = (values: number[], base: string) => {
    let v = Float32Array.from(values);
    if (x.chw && v.length > 1) v = Float32Array.from({ length: v.length }, (_, k) => values[hwcIndexOf(k, x.chw!)]);
    const dims = v.length === 1 ? [] : x.spatial ? [v.length, 1, 1] : [v.length];
    return w.constant(base, dims, v);
  };
  const scaled = scale.every((s) => s === 1) ? x.name : w.node('Mul', [x.name, shaped(scale, 'scale')]);
  const shifted = shift.every((t) => t === 0) ? scaled : w.node('Add', [scaled, shaped(shift, 'shift')]);
  return { ...x, name: shifted };
}

/** Inference batch norm with the statistics of its current route (a split layer exports the set in use). */
function batchNormNode(w: GraphWriter, node: GraphNode, x: Exported): Exported {
  const layer = node.layer as BatchNorm;
  const set = layer.activeSet();
  const inOnnxOrder = (v: tf.LayerVariable) => {
    const values = v.read().dataSync() as Float32Array;
    return x.chw ? Float32Array.from({ length: values.length }, (_, k) => values[hwcIndexOf(k, x.chw!)]) : values;
  };
  const stats = [set.gamma, set.beta, set.movingMean, set.movingVariance].map((v, i) => {
    const values = inOnnxOrder(v);
    return w.constant(['bn_scale', 'bn_bias', 'bn_mean', 'bn_var'][i], [values.length], values);
  });
  const y = w.node('BatchNormalization', [x.name, ...stats], [floatAttr('epsilon', layer.epsilon)]);
  return { ...x, name: y };
}

function layerNodes(w: GraphWriter, node: GraphNode, inputs: Exported[]): Exported {
  const [x] = inputs;
  const c = node.layer.getConfig() as Record<string, unknown>;
  switch (node.className) {
    case 'Conv2D':
      return convNode(w, node, x);
    case 'Dense':
      return denseNode(w, node, x);
    case 'MaxPooling2D':
      return poolNode(w, node, x, 'MaxPool');
    case 'AveragePooling2D':
      return poolNode(w, node, x, 'AveragePool');
    case 'GlobalAveragePooling2D':
      return { name: w.node('Flatten', [w.node('GlobalAveragePool', [x.name])], [intAttr('axis', 1)]), spatial: false };
    case 'Flatten': {
      if (!x.spatial) return x;
      const [h, wd, ch] = node.inputShapes[0];
      const name = w.node('Flatten', [x.name], [intAttr('axis', 1)]);
      return { name, spatial: false, chw: ch > 1 && h * wd > 1 ? [ch, h, wd] : undefined };
    }
    case 'Dropout':
    case 'SpatialDropout2D':
      return x;
    case 'ZeroPadding2D': {
      const [[top, bottom], [left, right]] = c.padding as [[number, number], [number, number]];
      const pads = w.int64Constant('pads', [0, 0, top, left, 0, 0, bottom, right]);
      return { name: w.node('Pad', [x.name, pads]), spatial: true };
    }
    case 'ReLU':
      if (c.maxValue != null) refuse(node, 'it is a clipped ReLU.');
      return { ...x, name: w.node('Relu', [x.name]) };
    case 'LeakyReLU':
      return { ...x, name: w.node('LeakyRelu', [x.name], [floatAttr('alpha', Number(c.alpha ?? 0.3))]) };
    case 'Activation':
      return { ...x, name: activationNode(w, node, String(c.activation), x.name) };
    case 'Add': {
      if (inputs.length !== 2 || inputs.some((i) => i.spatial !== x.spatial || String(i.chw) !== String(x.chw))) {
        refuse(node, 'it adds other than two tensors of one layout.');
      }
      return { ...x, name: w.node('Add', [inputs[0].name, inputs[1].name]) };
    }
    case 'BatchNorm':
      return batchNormNode(w, node, x);
    case 'Scale':
      return affineNodes(w, node, x, [Number(c.factor)], [0]);
    case 'ChannelAffine':
      return affineNodes(w, node, x, c.scale as number[], c.shift as number[]);
    case 'OdeBlock':
      return refuse(node, 'an ODE block integrates with a solver ONNX has no operator for; it is not unrolled.');
    case 'GroupNorm':
      return refuse(node, 'GroupNorm has no ONNX operator before opset 18, and this exporter writes opset 13.');
    default:
      return refuse(node, 'it has no ONNX mapping here.');
  }
}

const valueInfo = (name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto => ({
  name,
  type: {
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  },
});

/** The model as the bytes of an .onnx file. */
export function modelToOnnx(model: tf.LayersModel, meta: ModelMeta, producerVersion = '0.1.0'): Uint8Array {
  const graph = layerGraph(model);
  // An ODE block is what makes an ODE model one: name it first, before any layer around it.
  const ode = graph.nodes.find((n) => n.className === 'OdeBlock');
  if (ode) layerNodes(new GraphWriter(), ode, []);
  const w = new GraphWriter();
  const [h, wd, c] = graph.inputShape;
  const values = new Map<number, Exported>([[graph.input, { name: 'input', spatial: true }]]);
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((id) => values.get(id)!);
    values.set(node.output, layerNodes(w, node, inputs));
  }
  const out = values.get(graph.output)!;
  if (out.spatial || out.chw) throw new ModelFormatError('ONNX export needs a model that ends in class scores.');
  const classes = meta.classNames.length;
  // The output gets its fixed name through an Identity (the last node's output name is generated).
  w.nodes.push({ name: 'logits', opType: 'Identity', input: [out.name], output: ['logits'] });
  const proto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'robustness-playground',
    producerVersion,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    metadataProps: [{ key: META_KEY, value: JSON.stringify(meta) }],
    graph: {
      name: meta.arch,
      node: w.nodes,
      initializer: w.initializers,
      input: [valueInfo('input', ['N', c, h, wd])],
      output: [valueInfo('logits', ['N', classes])],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}

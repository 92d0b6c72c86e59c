/**
 * Walks an ONNX graph node by node (ONNX keeps nodes in topological order) and lowers it to the importer's
 * operations (onnxOps.ts), inferring each value's shape on the way. Anything outside the supported subset is
 * refused in one sentence naming the operator, the node and what is supported, before any layer is built,
 * so nothing is ever half loaded.
 */
import { ModelFormatError } from '../../util/errors';
import type { ConstTensor, OnnxGraph, OnnxNode } from './onnxFile';
import { HANDLERS } from './onnxHandlers';
import { composeAffine, type IrOp, type LoweredGraph, type Shape } from './onnxOps';

/** What the importer reads, as the refusals list it. */
export const SUPPORTED_OPERATORS = [
  'Conv',
  'Gemm',
  'MatMul',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Relu',
  'LeakyRelu',
  'Sigmoid',
  'Tanh',
  'Softmax',
  'LogSoftmax',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'BatchNormalization',
  'Flatten',
  'Reshape',
  'Transpose',
  'Pad',
  'Identity',
  'Dropout',
  'Constant',
] as const;

const SUPPORTED_TEXT =
  'the importer supports Conv (group 1, dilation 1), Gemm, MatMul, Add, Sub/Mul/Div by constants, Relu, ' +
  'LeakyRelu, Sigmoid, Tanh, Softmax/LogSoftmax at the end, MaxPool, AveragePool, GlobalAveragePool, ' +
  'BatchNormalization, Flatten, Reshape to [N, features], zero Pad, Identity, Dropout, Constant, and Transpose ' +
  'between NHWC and NCHW (Keras graphs)';

type Value = { kind: 'const'; tensor: ConstTensor } | { kind: 'dynamic'; shape: Shape };

export class Lowering {
  readonly ops: IrOp[] = [];
  readonly notes: string[] = [];
  private readonly values = new Map<string, Value>();
  private readonly aliases = new Map<string, string>();
  private readonly producers = new Map<string, IrOp>();
  private readonly readers = new Map<string, number>();

  constructor(private readonly graph: OnnxGraph) {
    for (const [name, t] of graph.initializers) this.values.set(name, { kind: 'const', tensor: t });
    for (const n of graph.nodes) for (const i of n.inputs) this.readers.set(i, (this.readers.get(i) ?? 0) + 1);
    this.readers.set(graph.outputName, (this.readers.get(graph.outputName) ?? 0) + 1);
  }

  refuse(node: OnnxNode, why: string): never {
    throw new ModelFormatError(`Node "${node.name}" (${node.opType}) ${why}`);
  }

  resolve(name: string): string {
    let n = name;
    while (this.aliases.has(n)) n = this.aliases.get(n)!;
    return n;
  }

  value(node: OnnxNode, index: number): Value {
    const name = node.inputs[index];
    const v = name ? this.values.get(this.resolve(name)) : undefined;
    if (!v) this.refuse(node, `reads "${name ?? `input ${index}`}", which no earlier node produced.`);
    return v;
  }

  dynamic(node: OnnxNode, index: number, rank?: 1 | 3): Shape {
    const v = this.value(node, index);
    if (v.kind !== 'dynamic')
      this.refuse(node, `takes a constant as input ${index}; the importer needs the data there.`);
    if (this.readsChannelsLast(node, index) && !['Transpose', 'Flatten', 'Reshape'].includes(node.opType)) {
      this.refuse(node, 'reads a channels-last [N, H, W, C] tensor; only a Transpose to NCHW or a flatten may.');
    }
    if (rank && v.shape.length !== rank) {
      const what = rank === 3 ? 'an image-shaped [N, C, H, W]' : 'a flat [N, features]';
      this.refuse(node, `needs ${what} input but reads one of shape [N, ${v.shape.join(', ')}].`);
    }
    return v.shape;
  }

  constant(node: OnnxNode, index: number, what: string): ConstTensor {
    const v = this.value(node, index);
    if (v.kind !== 'const') this.refuse(node, `has a computed ${what}; the importer needs it to be a constant.`);
    return v.tensor;
  }

  /** Registers an op writing the node's first output, of the given shape. */
  emit(node: OnnxNode, op: IrOp, shape: Shape): void {
    this.ops.push(op);
    this.producers.set(op.output, op);
    this.values.set(op.output, { kind: 'dynamic', shape });
    if (node.outputs.length > 1 && node.outputs.slice(1).some((o) => o && this.readers.has(o))) {
      this.refuse(node, 'has a second output in use (training-mode statistics or indices); export for inference.');
    }
  }

  /** The node's output is `to` itself: its readers become the readers of `to` (this node no longer reads it). */
  alias(node: OnnxNode, to: string): void {
    const target = this.resolve(to);
    const out = node.outputs[0];
    this.readers.set(target, (this.readers.get(target) ?? 0) - 1 + (this.readers.get(out) ?? 0));
    this.aliases.set(out, target);
  }

  /** The op writing `name` when this graph reads it only once (so it can be folded into). */
  soleProducer(name: string): IrOp | undefined {
    const resolved = this.resolve(name);
    return (this.readers.get(resolved) ?? 0) === 1 ? this.producers.get(resolved) : undefined;
  }

  /** y = x·scale + shift, merged into the affine op before it when that op has no other reader. */
  affine(node: OnnxNode, input: string, shape: Shape, scale: Float32Array, shift: Float32Array): void {
    const before = this.soleProducer(input);
    if (before?.kind === 'affine') {
      const merged = composeAffine(before, { scale, shift });
      before.scale = merged.scale;
      before.shift = merged.shift;
      this.alias(node, before.output);
      return;
    }
    this.emit(node, { kind: 'affine', input: this.resolve(input), output: node.outputs[0], scale, shift }, shape);
  }

  lower(node: OnnxNode): void {
    const handler = HANDLERS[node.opType];
    if (!handler) {
      throw new ModelFormatError(
        `Node "${node.name}" is ${node.opType || 'an unnamed operator'}, which the playground cannot import; ` +
          `${SUPPORTED_TEXT}.`,
      );
    }
    handler(this, node);
  }

  setConst(node: OnnxNode, tensor: ConstTensor): void {
    this.values.set(node.outputs[0], { kind: 'const', tensor });
  }

  isGraphOutput(name: string): boolean {
    return name === this.graph.outputName;
  }

  finish(): LoweredGraph {
    const output = this.resolve(this.graph.outputName);
    const v = this.values.get(output);
    if (v?.kind !== 'dynamic') {
      throw new ModelFormatError(`The graph's output "${this.graph.outputName}" is not computed from its input.`);
    }
    const shapes = new Map<string, Shape>();
    for (const [name, val] of this.values) if (val.kind === 'dynamic') shapes.set(name, val.shape);
    const stated = shapes.get(this.graph.inputName)!;
    return {
      ops: this.ops,
      input: this.graph.inputName,
      inputShape: this.channelsLast.has(this.graph.inputName) ? [stated[2], stated[0], stated[1]] : stated,
      output,
      outputShape: v.shape,
      shapes,
      notes: this.notes,
    };
  }

  /** Values in ONNX's channels-last [H, W, C] layout (Keras graphs, around their Transposes). */
  readonly channelsLast = new Set<string>();

  start(inputShape: Shape, channelsLastInput: boolean): void {
    const [c, h, w] = inputShape;
    this.values.set(this.graph.inputName, { kind: 'dynamic', shape: channelsLastInput ? [h, w, c] : inputShape });
    if (channelsLastInput) this.channelsLast.add(this.graph.inputName);
  }

  /** Whether input `index` of the node is a channels-last value. */
  readsChannelsLast(node: OnnxNode, index: number): boolean {
    return this.channelsLast.has(this.resolve(node.inputs[index] ?? ''));
  }
}

/**
 * Lowers every node; `inputShape` is the graph input's [C, H, W], and `channelsLastInput` says the file states it
 * as [N, H, W, C] (a Keras model converted by tf2onnx, which transposes to NCHW first).
 */
export function lowerGraph(graph: OnnxGraph, inputShape: Shape, channelsLastInput = false): LoweredGraph {
  const l = new Lowering(graph);
  l.start(inputShape, channelsLastInput);
  for (const node of graph.nodes) l.lower(node);
  return l.finish();
}

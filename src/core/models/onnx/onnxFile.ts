/**
 * An ONNX file as plain data: the ModelProto decoded by the format's own protobuf schema (the `onnx-proto`
 * package, ONNX's onnx.proto compiled for protobufjs), then reduced to what the importer reads — nodes with
 * their attributes as numbers, constant tensors as Float32Arrays, the one graph input's shape, and the
 * producer and opset the card reports. No tfjs here.
 */
import onnxProto from 'onnx-proto';
import { ModelFormatError } from '../../util/errors';

const { onnx } = onnxProto;

/** TensorProto.DataType values the importer reads (onnx.proto). */
const DATA_TYPE = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;

export type AttributeValue = number | number[] | string | ConstTensor;

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, AttributeValue>;
}

/** A constant tensor (an initializer, a Constant node's value, a shape). */
export interface ConstTensor {
  dims: number[];
  data: Float32Array;
}

export interface OnnxGraph {
  producer: string;
  producerVersion: string;
  /** The default domain's opset. */
  opset: number;
  irVersion: number;
  inputName: string;
  /** The input's dimensions, a symbolic (batch) dimension as null. */
  inputDims: (number | null)[];
  outputName: string;
  nodes: OnnxNode[];
  initializers: Map<string, ConstTensor>;
  /** The model's metadata_props (the playground's own metadata travels there on export). */
  metadata: Map<string, string>;
}

const toNumber = (v: number | { toNumber(): number } | null | undefined): number =>
  v == null ? 0 : typeof v === 'number' ? v : v.toNumber();

/** A TensorProto's values as float32 (int64 shapes fit exactly: they are small). */
export function tensorValues(t: onnxProto.onnx.ITensorProto, where: string): ConstTensor {
  const dims = (t.dims ?? []).map(toNumber);
  const count = dims.reduce((a, b) => a * b, 1);
  const type = t.dataType ?? 0;
  let data: Float32Array;
  const raw = t.rawData && t.rawData.byteLength > 0 ? t.rawData : null;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new ModelFormatError(`${where} keeps its values in an external file; export the model as one .onnx file.`);
  }
  if (type === DATA_TYPE.FLOAT) {
    data = raw ? new Float32Array(copy(raw).buffer) : Float32Array.from(t.floatData ?? []);
  } else if (type === DATA_TYPE.DOUBLE) {
    data = Float32Array.from(raw ? new Float64Array(copy(raw).buffer) : (t.doubleData ?? []));
  } else if (type === DATA_TYPE.INT64) {
    data = raw
      ? Float32Array.from(new BigInt64Array(copy(raw).buffer), (v) => Number(v))
      : Float32Array.from((t.int64Data ?? []).map(toNumber));
  } else if (type === DATA_TYPE.INT32) {
    data = raw ? Float32Array.from(new Int32Array(copy(raw).buffer)) : Float32Array.from(t.int32Data ?? []);
  } else {
    throw new ModelFormatError(`${where} has data type ${type}; the importer reads float, double and integer tensors.`);
  }
  if (data.length !== count) {
    throw new ModelFormatError(`${where} holds ${data.length} values but its shape [${dims}] needs ${count}.`);
  }
  return { dims, data };
}

/** An aligned copy (raw_data may start at any byte offset of the file). */
function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function attributeValue(a: onnxProto.onnx.IAttributeProto, where: string): AttributeValue | undefined {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT:
      return a.f ?? 0;
    case T.INT:
      return toNumber(a.i);
    case T.FLOATS:
      return [...(a.floats ?? [])];
    case T.INTS:
      return (a.ints ?? []).map(toNumber);
    case T.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.TENSOR:
      return a.t ? tensorValues(a.t, where) : undefined;
    default:
      return undefined;
  }
}

function dimsOf(v: onnxProto.onnx.IValueInfoProto): (number | null)[] {
  const shape = v.type?.tensorType?.shape;
  if (!shape?.dim) return [];
  return shape.dim.map((d) => (d.dimValue != null && toNumber(d.dimValue) > 0 ? toNumber(d.dimValue) : null));
}

/** Decodes the file; a clear error for anything that is not an ONNX model with one input and one output. */
export function readOnnx(bytes: Uint8Array, fileName: string): OnnxGraph {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelFormatError(`${fileName} is not an ONNX model (${(err as Error).message}).`);
  }
  const graph = model.graph;
  if (!graph?.node || graph.node.length === 0) {
    throw new ModelFormatError(`${fileName} holds no graph: it is not an ONNX model, or an empty one.`);
  }
  const initializers = new Map<string, ConstTensor>();
  for (const t of graph.initializer ?? []) {
    initializers.set(t.name ?? '', tensorValues(t, `Initializer "${t.name}"`));
  }
  // Old exporters list the initializers among the inputs too; the data input is the one that is not one.
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(v.name ?? ''));
  if (inputs.length !== 1 || (graph.output ?? []).length !== 1) {
    throw new ModelFormatError(
      `${fileName} has ${inputs.length} inputs and ${(graph.output ?? []).length} outputs; ` +
        'the playground imports classifiers with one image input and one output.',
    );
  }
  const opset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const nodes: OnnxNode[] = graph.node.map((n, i) => {
    const name = n.name || `#${i}`;
    const attributes = new Map<string, AttributeValue>();
    for (const a of n.attribute ?? []) {
      const value = attributeValue(a, `Attribute "${a.name}" of node "${name}"`);
      if (value !== undefined) attributes.set(a.name ?? '', value);
    }
    if (n.domain && n.domain !== 'ai.onnx') {
      throw new ModelFormatError(
        `Node "${name}" is ${n.opType} from the custom domain "${n.domain}"; only standard ONNX operators import.`,
      );
    }
    return { name, opType: n.opType ?? '', inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attributes };
  });
  return {
    producer: model.producerName || 'unknown producer',
    producerVersion: model.producerVersion ?? '',
    opset: toNumber(opset?.version),
    irVersion: toNumber(model.irVersion),
    inputName: inputs[0].name ?? '',
    inputDims: dimsOf(inputs[0]),
    outputName: graph.output?.[0].name ?? '',
    nodes,
    initializers,
    metadata: new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}

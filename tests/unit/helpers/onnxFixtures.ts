/**
 * ONNX helpers for the importer's tests: the PyTorch fixtures (tests/fixtures/onnx, made by make_fixtures.py),
 * onnxruntime-web as the independent runtime, and a builder of one-node graphs for the refusals.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const FIXTURE_DIR = 'tests/fixtures/onnx';
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(`${FIXTURE_DIR}/${name}`));
export const fixtureReport = (): Record<string, Record<string, number>> =>
  JSON.parse(readFileSync(`${FIXTURE_DIR}/fixtures.json`, 'utf8'));

/** The same graph with a trailing Softmax/LogSoftmax cut off, so the runtime returns logits. */
export function withoutFinalSoftmax(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  const last = graph.node!.at(-1)!;
  if (last.opType !== 'Softmax' && last.opType !== 'LogSoftmax') return bytes;
  graph.node!.pop();
  const outputName = graph.output![0].name!;
  for (const n of graph.node!) n.output = n.output!.map((o) => (o === last.input![0] ? outputName : o));
  return onnx.ModelProto.encode(model).finish();
}

/** Logits from onnxruntime-web (wasm, one thread) for NCHW input. */
export async function runtimeLogits(bytes: Uint8Array, nchw: Float32Array, dims: number[]): Promise<Float32Array> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', nchw, dims) };
    const out = await session.run(feeds);
    return Float32Array.from(out[session.outputNames[0]].data as Float32Array);
  } finally {
    await session.release();
  }
}

/** NHWC values of n images [h, w, c] to NCHW. */
export function toNchw(nhwc: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(nhwc.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) out[((i * c + ch) * h + y) * w + x] = nhwc[((i * h + y) * w + x) * c + ch];
  return out;
}

type Attr = { name: string; ints?: number[]; i?: number; f?: number; s?: string };

export interface TestNode {
  op: string;
  inputs: string[];
  output: string;
  attrs?: Attr[];
}

/** A small model: input "x" of `inputDims`, float initializers by name, nodes in order, output "y". */
export function makeModel(
  inputDims: (number | string)[],
  nodes: TestNode[],
  initializers: Record<string, { dims: number[]; values: number[]; int64?: boolean }> = {},
  opset = 13,
): Uint8Array {
  const T = onnx.AttributeProto.AttributeType;
  const attribute = (a: Attr) =>
    a.ints
      ? { name: a.name, type: T.INTS, ints: a.ints }
      : a.s !== undefined
        ? { name: a.name, type: T.STRING, s: new TextEncoder().encode(a.s) }
        : a.f !== undefined
          ? { name: a.name, type: T.FLOAT, f: a.f }
          : { name: a.name, type: T.INT, i: a.i ?? 0 };
  const dim = (d: number | string) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'test',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'g',
      node: nodes.map((n, k) => ({
        name: `n${k}`,
        opType: n.op,
        input: n.inputs,
        output: [n.output],
        attribute: (n.attrs ?? []).map(attribute),
      })),
      initializer: Object.entries(initializers).map(([name, t]) =>
        t.int64
          ? { name, dims: t.dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: t.values }
          : { name, dims: t.dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: t.values },
      ),
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: inputDims.map(dim) } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: ['N', 10].map(dim) } } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

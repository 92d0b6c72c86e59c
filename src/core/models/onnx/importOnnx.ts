/**
 * Importing an ONNX classifier: read the file, check its input is MNIST's [N,1,28,28] or CIFAR-10's
 * [N,3,32,32], lower the graph (refusing anything outside the subset), build the NHWC layers model and record
 * where it came from. `inspectOnnx` does the checks and the summary without building anything, so the app can
 * say what it found and ask for the input scaling before loading.
 */
import type { DatasetName } from '../../data/dataset';
import { ModelFormatError } from '../../util/errors';
import { asClassifier, type Classifier } from '../classifier';
import type { ModelMeta } from '../modelMeta';
import { DATASET_INPUTS } from '../registry';
import { readOnnx, type OnnxGraph } from './onnxFile';
import { lowerGraph } from './onnxLowering';
import type { LoweredGraph } from './onnxOps';
import { buildLayersModel } from './onnxToLayers';

export const ONNX_ARCH = 'onnx-import';

/** What the app shows before loading: "ONNX opset 13 from pytorch 1.13.0: 16 nodes — … — input 1×28×28, MNIST". */
export interface OnnxSummary {
  file: string;
  producer: string;
  opset: number;
  nodes: number;
  operators: string[];
  notes: string[];
  dataset: DatasetName;
  /** [C, H, W], as ONNX states it. */
  inputShape: [number, number, number];
  /** The graph's own input normalisation ((x − mean)/std per channel), or null when it has none. */
  normalisation: { mean: number[]; std: number[] } | null;
  sentence: string;
}

/** How the user says [0,1] pixels are to be scaled for a graph without its own normalisation. */
export type InputScalingChoice = { kind: 'unit' } | { kind: 'normalise'; mean: number[]; std: number[] };

const DATASET_LABEL: Record<DatasetName, string> = { mnist: 'MNIST', cifar10: 'CIFAR-10' };

function datasetOf(
  graph: OnnxGraph,
  file: string,
): { dataset: DatasetName; shape: [number, number, number]; channelsLast: boolean } {
  const dims = graph.inputDims;
  const shown = dims
    .map((d) => (d === null ? 'N' : d))
    .slice(1)
    .join(',');
  if (shown === '1,28,28') return { dataset: 'mnist', shape: [1, 28, 28], channelsLast: false };
  if (shown === '3,32,32') return { dataset: 'cifar10', shape: [3, 32, 32], channelsLast: false };
  // Keras models come through tf2onnx channels-last, with a Transpose to NCHW after the input.
  if (shown === '28,28,1') return { dataset: 'mnist', shape: [1, 28, 28], channelsLast: true };
  if (shown === '32,32,3') return { dataset: 'cifar10', shape: [3, 32, 32], channelsLast: true };
  throw new ModelFormatError(
    `${file}: the graph's input "${graph.inputName}" has shape [${dims.map((d) => d ?? 'N').join(', ')}]; the ` +
      'playground imports [N, 1, 28, 28] (MNIST) or [N, 3, 32, 32] (CIFAR-10), or the same channels-last.',
  );
}

/** The normalisation the graph applies first, if its first operation on the input is an affine one. */
function graphNormalisation(g: LoweredGraph): { mean: number[]; std: number[] } | null {
  const first = g.ops.find((op) => 'input' in op && op.input === g.input);
  if (first?.kind !== 'affine' || g.ops.some((op) => op.kind === 'add' && op.inputs.includes(g.input))) return null;
  // x·s + t = (x − mean)/std with std = 1/s and mean = −t/s.
  const n = Math.max(first.scale.length, first.shift.length);
  const at = (a: Float32Array, i: number) => (a.length === 1 ? a[0] : a[i]);
  const std = Array.from({ length: n }, (_, i) => 1 / at(first.scale, i));
  const mean = Array.from({ length: n }, (_, i) => -at(first.shift, i) / at(first.scale, i));
  return { mean, std };
}

const round = (v: number) => Number(v.toPrecision(4));

function summarise(graph: OnnxGraph, lowered: LoweredGraph, file: string, dataset: DatasetName): OnnxSummary {
  const operators = [...new Set(graph.nodes.map((n) => n.opType))];
  const notes = [...new Set(lowered.notes)];
  const normalisation = graphNormalisation(lowered);
  const [c, h, w] = lowered.inputShape;
  const producer = `${graph.producer}${graph.producerVersion ? ` ${graph.producerVersion}` : ''}`;
  const listed = operators.map((op) =>
    op === 'BatchNormalization' ? (notes.find((n) => n.startsWith('BatchNormalization')) ?? op) : op,
  );
  const scaling = normalisation
    ? `; input normalised in the graph, (x − ${normalisation.mean.map(round).join('/')}) / ` +
      `${normalisation.std.map(round).join('/')}`
    : '';
  const dropped = notes.filter((n) => !n.startsWith('BatchNormalization'));
  return {
    file,
    producer,
    opset: graph.opset,
    nodes: graph.nodes.length,
    operators,
    notes,
    dataset,
    inputShape: [c, h, w],
    normalisation,
    sentence:
      `ONNX opset ${graph.opset} from ${producer}: ${graph.nodes.length} nodes — ${listed.join(', ')} — ` +
      `input ${c}×${h}×${w}, ${DATASET_LABEL[dataset]}${scaling}${dropped.length ? `; ${dropped.join('; ')}` : ''}.`,
  };
}

function readAndLower(bytes: Uint8Array, file: string) {
  const graph = readOnnx(bytes, file);
  const { dataset, shape, channelsLast } = datasetOf(graph, file);
  let lowered: LoweredGraph;
  try {
    lowered = lowerGraph(graph, shape, channelsLast);
  } catch (err) {
    if (err instanceof ModelFormatError) throw new ModelFormatError(`${file}: ${err.message}`);
    throw err;
  }
  const classes = DATASET_INPUTS[dataset].classNames.length;
  if (lowered.outputShape.length !== 1 || lowered.outputShape[0] !== classes) {
    throw new ModelFormatError(
      `${file}: the graph outputs [N, ${lowered.outputShape.join(', ')}], but ${DATASET_LABEL[dataset]} has ` +
        `${classes} classes.`,
    );
  }
  return { graph, lowered, dataset, summary: summarise(graph, lowered, file, dataset) };
}

/** Reads and checks the file and says what it holds, without building the model. */
export function inspectOnnx(bytes: Uint8Array, file: string): OnnxSummary {
  return readAndLower(bytes, file).summary;
}

/**
 * The imported classifier. `scaling` is needed only when the graph has no normalisation of its own (default:
 * pixels in [0,1] as they are).
 */
export function classifierFromOnnx(
  bytes: Uint8Array,
  file: string,
  scaling: InputScalingChoice = { kind: 'unit' },
): { clf: Classifier; summary: OnnxSummary } {
  const { graph, lowered, dataset, summary } = readAndLower(bytes, file);
  const added = scaling.kind === 'normalise' && !summary.normalisation ? scaling : null;
  if (scaling.kind === 'normalise' && summary.normalisation) {
    throw new ModelFormatError(
      `${file} normalises its input inside the graph already; give no input mean and std for it.`,
    );
  }
  if (added) checkScaling(added, summary.inputShape[0]);
  const model = buildLayersModel(lowered, added, 'onnx_import');
  const input = DATASET_INPUTS[dataset];
  const inputScaling = summary.normalisation
    ? { ...summary.normalisation, where: 'graph' as const }
    : added
      ? { mean: added.mean, std: added.std, where: 'added' as const }
      : undefined;
  const meta: ModelMeta = {
    arch: ONNX_ARCH,
    dataset,
    inputShape: [...input.inputShape] as [number, number, number],
    classNames: [...input.classNames],
    description: `Imported from ${file} (ONNX opset ${graph.opset}, ${summary.producer}); ${model
      .countParams()
      .toLocaleString('en')} parameters.`,
    importedFrom: {
      format: 'onnx',
      file,
      producer: summary.producer,
      opset: graph.opset,
      nodes: summary.nodes,
      operators: summary.operators,
      notes: summary.notes,
      importedAt: new Date().toISOString(),
    },
    ...(inputScaling ? { inputScaling } : {}),
  };
  try {
    return { clf: asClassifier(model, meta), summary };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

function checkScaling(s: { mean: number[]; std: number[] }, channels: number): void {
  for (const [name, values] of [
    ['mean', s.mean],
    ['std', s.std],
  ] as const) {
    if (values.length !== 1 && values.length !== channels) {
      throw new ModelFormatError(`The input ${name} needs 1 or ${channels} values; ${values.length} were given.`);
    }
    if (values.some((v) => !Number.isFinite(v))) throw new ModelFormatError(`The input ${name} must be numbers.`);
  }
  if (s.std.some((v) => !(v > 0))) throw new ModelFormatError('The input std must be positive.');
}

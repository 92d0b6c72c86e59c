/**
 * A model's card ("About this model"): what it is (layers and parameter count), what it reads (data set and input
 * scaling), where it came from (the training command and time, or the imported file, producer and opset) and what
 * was measured on it, each figure with the command that reproduces it — all read from the model and its metadata,
 * never typed twice. The card is plain JSON: the worker builds it, the page only shows it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelMeta, RobustnessFigure } from './modelMeta';

export interface CardLayer {
  name: string;
  /** The layer's class, with its fused activation when it has one, e.g. "Conv2D + relu". */
  kind: string;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  parameters: number;
}

export type CardProvenance =
  | {
      kind: 'trained';
      command: string;
      seconds: number;
      epochs: number;
      trainExamples: number;
      backend: string;
      seed: number;
    }
  | {
      kind: 'imported';
      file: string;
      producer: string;
      opset: number;
      nodes: number;
      operators: string[];
      notes: string[];
      importedAt: string;
    }
  | { kind: 'unrecorded' };

export interface ModelCard {
  description: string;
  architecture: string;
  dataset: ModelMeta['dataset'];
  /** e.g. "28×28×1". */
  input: string;
  /** How [0,1] pixels reach the first layer, in words. */
  inputScaling: string;
  classes: number;
  parameters: number;
  layers: CardLayer[];
  provenance: CardProvenance;
  heldOutAccuracy: ModelMeta['heldOutAccuracy'] | null;
  figures: RobustnessFigure[];
}

const DATASET_LABEL = { mnist: 'MNIST', cifar10: 'CIFAR-10' } as const;

function describeScaling(meta: ModelMeta): string {
  const s = meta.inputScaling;
  if (!s) return 'Pixels in [0, 1], as they are (no normalisation).';
  const list = (v: number[]) => v.map((x) => Number(x.toPrecision(4))).join(', ');
  const where = s.where === 'graph' ? 'inside the imported graph' : 'added at import, as the user gave it';
  return `Pixels in [0, 1], then (x − ${list(s.mean)}) / ${list(s.std)} per channel, ${where}.`;
}

function provenanceOf(meta: ModelMeta): CardProvenance {
  if (meta.importedFrom) {
    const { format: _format, ...rest } = meta.importedFrom;
    return { kind: 'imported', ...rest };
  }
  if (meta.training) {
    const t = meta.training;
    return {
      kind: 'trained',
      command: t.command,
      seconds: t.seconds,
      epochs: t.epochs,
      trainExamples: t.trainExamples,
      backend: t.backend,
      seed: t.seed,
    };
  }
  return { kind: 'unrecorded' };
}

function layerKind(layer: tf.layers.Layer): string {
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  const cls = layer.getClassName();
  return typeof activation === 'string' && activation !== 'linear' && cls !== 'Activation'
    ? `${cls} + ${activation}`
    : cls === 'Activation'
      ? `Activation (${String(activation)})`
      : cls;
}

/** The card of a model and its metadata. */
export function modelCard(model: tf.LayersModel, meta: ModelMeta): ModelCard {
  const layers = model.layers
    .filter((l) => l.getClassName() !== 'InputLayer')
    .map((l) => {
      const shape = l.outputShape as (number | null)[];
      return {
        name: l.name,
        kind: layerKind(l),
        outputShape: shape.slice(1).map((d) => d ?? 0),
        parameters: l.countParams(),
      };
    });
  const [h, w, c] = meta.inputShape;
  return {
    description: meta.description,
    architecture: meta.arch,
    dataset: meta.dataset,
    input: `${h}×${w}×${c} (${DATASET_LABEL[meta.dataset]})`,
    inputScaling: describeScaling(meta),
    classes: meta.classNames.length,
    parameters: model.countParams(),
    layers,
    provenance: provenanceOf(meta),
    heldOutAccuracy: meta.heldOutAccuracy ?? null,
    figures: meta.evaluations ?? [],
  };
}

/**
 * What the project records about a model beside its weights, in model.json's
 * `userDefinedMetadata.robustnessPlayground`. It lets the app and the CLI check that a model fits
 * the data it is used on, and tells a user where a shipped model came from.
 */
import type { DatasetName } from '../data/dataset';

export const META_KEY = 'robustnessPlayground';

export interface ModelMeta {
  /** Architecture id in the model registry, e.g. "mnist-cnn-small". */
  arch: string;
  dataset: DatasetName;
  /** [height, width, channels] of one input in [0,1]. */
  inputShape: [number, number, number];
  classNames: string[];
  /** One sentence for the model picker. */
  description: string;
  training?: {
    command: string;
    epochs: number;
    batchSize: number;
    seed: number;
    trainExamples: number;
    seconds: number;
    backend: string;
  };
  /** Accuracy on held-out data, measured when the model was written. */
  heldOutAccuracy?: { value: number; n: number; split: string };
  /** Where an imported model came from (absent for the project's own models). */
  importedFrom?: ImportedFrom;
  /**
   * How [0,1] pixels are scaled before the first layer, when the model does it: (x − mean)/std per channel,
   * inside the imported graph ('graph') or added at import because the user said so ('added'). Absent: the model
   * reads [0,1] pixels as they are.
   */
  inputScaling?: { mean: number[]; std: number[]; where: 'graph' | 'added' };
  /**
   * Robustness figures measured after training, each naming what produced it — an attack (an upper bound on the
   * true robust accuracy) or a certificate (a lower bound) — and the command that reproduces it.
   */
  evaluations?: RobustnessFigure[];
  /** Split batch norm (Xie & Yuille 2020, §4): the model evaluates with BN_clean or BN_adv (`--bn clean|adv`). */
  splitBatchNorm?: boolean;
  /** A JEM's figures (Grathwohl et al. 2020), each with the command that measured it (see README). */
  jem?: Record<string, unknown>;
}

/** The provenance of an imported model, for its card. */
export interface ImportedFrom {
  format: 'onnx';
  /** The file's name as the user gave it. */
  file: string;
  /** e.g. "pytorch 1.13.0". */
  producer: string;
  opset: number;
  /** Nodes in the graph, and their operators in order of first use. */
  nodes: number;
  operators: string[];
  /** What the import did beyond a one-to-one mapping (folds, a dropped softmax). */
  notes: string[];
  /** When it was imported (ISO 8601). */
  importedAt: string;
}

export interface RobustnessFigure {
  kind: 'attack' | 'certificate';
  /** e.g. "autoattack-lite", "pgd", "ibp", "crown", "smoothing". */
  method: string;
  norm: 'linf' | 'l2';
  /** The budget (the L2 radius for smoothing). */
  eps: number;
  /** Images, and which: e.g. the first 1,000 of the test split. */
  n: number;
  split: string;
  cleanAccuracy: number;
  /** Robust accuracy under the attack, or certified accuracy. */
  accuracy: number;
  command: string;
}

export function isModelMeta(value: unknown): value is ModelMeta {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.arch === 'string' &&
    (m.dataset === 'mnist' || m.dataset === 'cifar10') &&
    Array.isArray(m.inputShape) &&
    m.inputShape.length === 3 &&
    Array.isArray(m.classNames)
  );
}

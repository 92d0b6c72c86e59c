/**
 * Every architecture the project can build, by id, with its metadata: the one place the CLI,
 * the worker and the training lab look up "what is an odenet".
 *
 *   cnn       the attack lab's small MNIST CNN (mnistCnn.ts)
 *   yan-cnn   Yan et al.'s CNN baseline with a residual block (yanModels.ts)
 *   odenet    Yan et al.'s ODENet
 *   tisode    Yan et al.'s TisODE
 *   mlp       ReLU MLP for the width × depth × initialisation studies of Zhu et al. (mlp.ts)
 *   homogeneous-cnn  Lyu & Li's bias-free MNIST CNN (homogeneousCnn.ts)
 *   cifar-cnn a small colour CNN for CIFAR-10 (cifarCnn.ts)
 *   strided-cnn  the small strided convnet of robust training (Wong et al. 2020, Gowal et al. 2018; stridedCnn.ts)
 *   res-cnn   a residual CNN with D blocks at fixed width, for depth studies (Xie & Yuille 2020; residualCnn.ts)
 *
 * `norm` (cnn, cifar-cnn, res-cnn) puts batch norm — split into BN_clean/BN_adv with `splitBatchNorm` — or
 * group norm after each conv.
 *
 * `dataset` picks the input (MNIST 28×28×1 or CIFAR-10 32×32×3) and the class names; cifar-cnn,
 * the Yan et al. models and the MLP take either, cnn and homogeneous-cnn are MNIST models.
 */
import type * as tf from '@tensorflow/tfjs';
import { CIFAR10_CHANNELS, CIFAR10_CLASS_NAMES, CIFAR10_SIDE } from '../data/cifar10Constants';
import type { DatasetName } from '../data/dataset';
import { MNIST_CLASS_NAMES, MNIST_SIDE } from '../data/mnist';
import { InvalidOptionError } from '../util/errors';
import type { SolverName } from '../ode/solverNames';
import { buildCifarCnn, CIFAR_CNN_ARCH } from './cifarCnn';
import { buildHomogeneousCnn } from './homogeneousCnn';
import type { Initialisation } from './layers/initialisations';
import { buildMlp } from './mlp';
import { buildMnistCnn, MNIST_CNN_ARCH } from './mnistCnn';
import { checkNormSettings, type NormSettings } from './normalisationNames';
import { buildResidualCnn, RESIDUAL_CNN_DEFAULTS } from './residualCnn';
import { ARCHITECTURES, type Architecture, MNIST_ONLY_ARCHITECTURES } from './architectures';
import type { ModelMeta } from './modelMeta';
import { buildStridedCnn, STRIDED_CNN_DEFAULTS } from './stridedCnn';
import { buildYanModel, yanConfig, type ModelSize, type YanArch, type YanModelConfig } from './yanModels';
import { ARCH_SIZE_DEFAULTS } from '../options/trainingOptions';

export interface BuildOptions {
  seed: number;
  /** The data the model is for (default mnist): input shape and class names. */
  dataset?: DatasetName;
  /** Class names to record (e.g. from CIFAR-10's batches.meta.txt); the data set's official list by default. */
  classNames?: readonly string[];
  size?: ModelSize;
  channels?: number;
  solver?: SolverName;
  steps?: number;
  endTime?: number;
  /** mlp */
  width?: number;
  depth?: number;
  useBias?: boolean;
  init?: Initialisation;
  /** cnn, cifar-cnn, res-cnn: normalisation after each conv (none by default). */
  norm?: NormSettings;
}

/** Architectures that take `norm`. */
export const NORMALISED_ARCHITECTURES: readonly Architecture[] = ['cnn', 'cifar-cnn', 'res-cnn'];

function normText(n: NormSettings): string {
  if (n.norm === 'none') return '';
  if (n.norm === 'group') return ', group norm';
  return n.splitBatchNorm ? ', split batch norm (BN_clean, BN_adv)' : ', batch norm';
}

export interface BuiltModel {
  model: tf.LayersModel;
  meta: ModelMeta;
  /** The Yan config, for ODE models (the trainer needs the TisODE settings). */
  yan?: YanModelConfig;
}

const YAN_NAMES: Record<YanArch, string> = { cnn: 'CNN (residual block)', odenet: 'ODENet', tisode: 'TisODE' };

/** Input shape and class names of each data set's images. */
export const DATASET_INPUTS: Record<
  DatasetName,
  { inputShape: [number, number, number]; classNames: readonly string[] }
> = {
  mnist: { inputShape: [MNIST_SIDE, MNIST_SIDE, 1], classNames: MNIST_CLASS_NAMES },
  cifar10: { inputShape: [CIFAR10_SIDE, CIFAR10_SIDE, CIFAR10_CHANNELS], classNames: CIFAR10_CLASS_NAMES },
};

/** What every model's meta records of its data. */
interface ModelBase {
  dataset: DatasetName;
  inputShape: [number, number, number];
  classNames: string[];
  splitBatchNorm?: boolean;
}

export function buildModel(arch: Architecture, o: BuildOptions): BuiltModel {
  const dataset = o.dataset ?? 'mnist';
  const input = DATASET_INPUTS[dataset];
  if (!input) throw new InvalidOptionError(`Unknown data set "${dataset}". Choose mnist or cifar10.`);
  if (dataset !== 'mnist' && MNIST_ONLY_ARCHITECTURES.includes(arch)) {
    throw new InvalidOptionError(
      `${arch} is an MNIST model (28×28×1 input); for ${dataset} choose one of: ` +
        `${ARCHITECTURES.filter((a) => !MNIST_ONLY_ARCHITECTURES.includes(a)).join(', ')}.`,
    );
  }
  const classNames = [...(o.classNames ?? input.classNames)];
  if (classNames.length !== input.classNames.length) {
    throw new InvalidOptionError(
      `${dataset} has ${input.classNames.length} classes, but ${classNames.length} class names were given.`,
    );
  }
  const norm = o.norm ?? { norm: 'none' };
  checkNormSettings(norm);
  if (norm.norm !== 'none' && !NORMALISED_ARCHITECTURES.includes(arch)) {
    throw new InvalidOptionError(`--norm applies to ${NORMALISED_ARCHITECTURES.join(', ')}, not ${arch}.`);
  }
  const base: ModelBase = {
    dataset,
    inputShape: [...input.inputShape] as [number, number, number],
    classNames,
    // Recorded so a view can offer BN_clean / BN_adv without loading the weights.
    ...(norm.splitBatchNorm ? { splitBatchNorm: true } : {}),
  };
  const build = BUILDERS[arch];
  return build ? build(o, base, norm) : buildYanArchitecture(arch, o, base, dataset);
}

function buildCifarCnnModel(o: BuildOptions, base: ModelBase, norm: NormSettings): BuiltModel {
  const size = o.size ?? 'classroom';
  const model = buildCifarCnn(o.seed, size, base.inputShape, base.classNames.length, norm);
  return {
    model,
    meta: {
      ...base,
      arch: CIFAR_CNN_ARCH,
      description:
        `Small colour CNN, ${size} size${normText(norm)} ` +
        `(${model.countParams().toLocaleString('en')} parameters).`,
    },
  };
}

function buildMlpModel(o: BuildOptions, base: ModelBase): BuiltModel {
  const config = {
    width: o.width ?? ARCH_SIZE_DEFAULTS.mlp.width,
    depth: o.depth ?? ARCH_SIZE_DEFAULTS.mlp.depth,
    useBias: o.useBias ?? true,
    init: o.init ?? 'he',
    seed: o.seed,
    inputShape: base.inputShape,
    classes: 10,
  };
  const model = buildMlp(config);
  return {
    model,
    meta: {
      ...base,
      arch: 'mlp',
      description:
        `ReLU MLP, ${config.depth} × ${config.width}, ${config.init} ` +
        `initialisation${config.useBias ? '' : ', no biases'}; ${model.countParams().toLocaleString('en')} ` +
        `parameters.`,
    },
  };
}

function buildHomogeneousCnnModel(o: BuildOptions, base: ModelBase): BuiltModel {
  const size = o.size ?? 'classroom';
  const model = buildHomogeneousCnn(o.seed, size);
  return {
    model,
    meta: {
      ...base,
      arch: 'homogeneous-cnn',
      description:
        `Lyu & Li's homogeneous CNN (bias only in the first layer, L = 4), ${size} size; ` +
        `${model.countParams().toLocaleString('en')} parameters.`,
    },
  };
}

function buildStridedCnnModel(o: BuildOptions, base: ModelBase): BuiltModel {
  const channels = o.channels ?? STRIDED_CNN_DEFAULTS.channels;
  const hidden = o.width ?? STRIDED_CNN_DEFAULTS.hidden;
  const model = buildStridedCnn(o.seed, base.inputShape, base.classNames.length, channels, hidden);
  return {
    model,
    meta: {
      ...base,
      arch: 'strided-cnn',
      description:
        `Strided CNN (conv 4×4/2 ×${channels} → conv 4×4/2 ×${2 * channels} → dense ${hidden}; ` +
        `${model.countParams().toLocaleString('en')} parameters).`,
    },
  };
}

function buildMnistCnnModel(o: BuildOptions, base: ModelBase, norm: NormSettings): BuiltModel {
  const model = buildMnistCnn(o.seed, norm);
  return {
    model,
    meta: {
      ...base,
      arch: MNIST_CNN_ARCH,
      description: `Small MNIST CNN${normText(norm)} (${model.countParams().toLocaleString('en')} parameters).`,
    },
  };
}

function buildResidualCnnModel(o: BuildOptions, base: ModelBase, norm: NormSettings): BuiltModel {
  const width = o.width ?? RESIDUAL_CNN_DEFAULTS.width;
  const depth = o.depth ?? RESIDUAL_CNN_DEFAULTS.depth;
  const model = buildResidualCnn({
    seed: o.seed,
    inputShape: base.inputShape,
    classes: base.classNames.length,
    width,
    depth,
    norm,
  });
  return {
    model,
    meta: {
      ...base,
      arch: 'res-cnn',
      description:
        `Residual CNN, ${depth} block(s) at width ${width}${normText(norm)} ` +
        `(${model.countParams().toLocaleString('en')} parameters).`,
    },
  };
}

/** Yan et al.'s CNN, ODENet and TisODE (yan-cnn, odenet, tisode). */
function buildYanArchitecture(arch: Architecture, o: BuildOptions, base: ModelBase, dataset: DatasetName): BuiltModel {
  const yanArch: YanArch = arch === 'yan-cnn' ? 'cnn' : (arch as YanArch);
  const overrides: Partial<YanModelConfig> = {};
  if (o.channels !== undefined) overrides.channels = o.channels;
  if (o.solver !== undefined) overrides.solver = o.solver;
  if (o.steps !== undefined) overrides.steps = o.steps;
  if (o.endTime !== undefined) overrides.endTime = o.endTime;
  if (dataset !== 'mnist') overrides.inputShape = base.inputShape;
  const size = o.size ?? 'classroom';
  const yan = yanConfig(yanArch, size, o.seed, overrides);
  const model = buildYanModel(yan);
  const solverText = yanArch === 'cnn' ? '' : `, ${yan.solver} × ${yan.steps} steps over [0, ${yan.endTime}]`;
  return {
    model,
    yan,
    meta: {
      ...base,
      arch,
      description:
        `${YAN_NAMES[yanArch]} after Yan et al. (2020), ${size} size: ${yan.channels} ` +
        `channels${solverText}; ${model.countParams().toLocaleString('en')} parameters.`,
    },
  };
}

/** The builder of each architecture but Yan et al.'s, which share one (buildYanArchitecture). */
const BUILDERS: Partial<Record<Architecture, (o: BuildOptions, base: ModelBase, norm: NormSettings) => BuiltModel>> = {
  'cifar-cnn': buildCifarCnnModel,
  mlp: buildMlpModel,
  'homogeneous-cnn': buildHomogeneousCnnModel,
  'strided-cnn': buildStridedCnnModel,
  cnn: buildMnistCnnModel,
  'res-cnn': buildResidualCnnModel,
};

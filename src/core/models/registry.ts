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
 */
import type * as tf from '@tensorflow/tfjs';
import { MNIST_CLASS_NAMES } from '../data/mnist';
import { InvalidOptionError } from '../util/errors';
import type { SolverName } from '../ode/solvers';
import { buildHomogeneousCnn } from './homogeneousCnn';
import type { Initialisation } from './layers/exactNormal';
import { buildMlp } from './mlp';
import { buildMnistCnn, MNIST_CNN_ARCH } from './mnistCnn';
import type { ModelMeta } from './modelMeta';
import { buildYanModel, yanConfig, type ModelSize, type YanArch, type YanModelConfig } from './yanModels';

export const ARCHITECTURES = ['cnn', 'yan-cnn', 'odenet', 'tisode', 'mlp', 'homogeneous-cnn'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export interface BuildOptions {
  seed: number;
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
}

export interface BuiltModel {
  model: tf.LayersModel;
  meta: ModelMeta;
  /** The Yan config, for ODE models (the trainer needs the TisODE settings). */
  yan?: YanModelConfig;
}

export function parseArchitecture(value: string): Architecture {
  if ((ARCHITECTURES as readonly string[]).includes(value)) return value as Architecture;
  throw new InvalidOptionError(`Unknown architecture "${value}". Choose one of: ${ARCHITECTURES.join(', ')}.`);
}

const YAN_NAMES: Record<YanArch, string> = { cnn: 'CNN (residual block)', odenet: 'ODENet', tisode: 'TisODE' };

export function buildModel(arch: Architecture, o: BuildOptions): BuiltModel {
  const base = { dataset: 'mnist' as const, inputShape: [28, 28, 1] as [number, number, number], classNames: [...MNIST_CLASS_NAMES] };
  if (arch === 'mlp') {
    const config = { width: o.width ?? 256, depth: o.depth ?? 2, useBias: o.useBias ?? true, init: o.init ?? 'he', seed: o.seed, inputShape: base.inputShape, classes: 10 };
    const model = buildMlp(config);
    return {
      model,
      meta: { ...base, arch, description: `ReLU MLP, ${config.depth} × ${config.width}, ${config.init} initialisation${config.useBias ? '' : ', no biases'}; ${model.countParams().toLocaleString('en')} parameters.` },
    };
  }
  if (arch === 'homogeneous-cnn') {
    const size = o.size ?? 'classroom';
    const model = buildHomogeneousCnn(o.seed, size);
    return {
      model,
      meta: { ...base, arch, description: `Lyu & Li's homogeneous CNN (bias only in the first layer, L = 4), ${size} size; ${model.countParams().toLocaleString('en')} parameters.` },
    };
  }
  if (arch === 'cnn') {
    const model = buildMnistCnn(o.seed);
    return {
      model,
      meta: { ...base, arch: MNIST_CNN_ARCH, description: `Small MNIST CNN (${model.countParams().toLocaleString('en')} parameters).` },
    };
  }
  const yanArch: YanArch = arch === 'yan-cnn' ? 'cnn' : (arch as YanArch);
  const overrides: Partial<YanModelConfig> = {};
  if (o.channels !== undefined) overrides.channels = o.channels;
  if (o.solver !== undefined) overrides.solver = o.solver;
  if (o.steps !== undefined) overrides.steps = o.steps;
  if (o.endTime !== undefined) overrides.endTime = o.endTime;
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
      description: `${YAN_NAMES[yanArch]} after Yan et al. (2020), ${size} size: ${yan.channels} channels${solverText}; ${model.countParams().toLocaleString('en')} parameters.`,
    },
  };
}

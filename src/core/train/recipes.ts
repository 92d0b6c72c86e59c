/**
 * The default training recipe of each architecture: the one place the CLI's `train` and the
 * training lab get "how is an odenet trained". Any field can be overridden by the caller.
 *
 *  - cnn, mlp: Adam 2e-3, batch 64, learning rate ×0.3 at 50 % and 75 % of the epochs.
 *  - yan-cnn, odenet, tisode (Yan et al. 2020): Adam 1e-3, weight decay 5e-4, batch 128,
 *    ×0.2 at 30/60/90 % of the epochs, Gaussian-noise augmentation; TisODE adds the steady-state
 *    loss with weight 0.01 from epoch min(5, ⌊E/3⌋).
 *  - homogeneous-cnn (Lyu & Li 2020): plain SGD on batches of 100 at 0.01, no schedule; the
 *    loss-based learning rate is the alternative the margin preset compares it with.
 */
import type { Architecture } from '../models/architectures';
import type { OptimizerConfig, TrainerConfig } from './trainerConfig';

export type OptimizerKind = OptimizerConfig['kind'];

export interface RecipeOverrides {
  batchSize?: number;
  optimizer?: OptimizerKind;
  learningRate?: number;
  weightDecay?: number;
  noiseAugmentation?: boolean;
  /** Random crop (pad 4) + horizontal flip, for colour images (off by default). */
  cropFlipAugmentation?: boolean;
  /** TisODE steady-state loss weight and the epoch it starts. */
  steadyStateWeight?: number;
  steadyStateStart?: number;
}

export type Recipe = Omit<TrainerConfig, 'heldOut' | 'reportEvery' | 'marginSubset'>;

export function isYanArchitecture(arch: Architecture): boolean {
  return arch === 'yan-cnn' || arch === 'odenet' || arch === 'tisode';
}

export function trainingRecipe(arch: Architecture, epochs: number, seed: number, o: RecipeOverrides = {}): Recipe {
  const yan = isYanArchitecture(arch);
  const homogeneous = arch === 'homogeneous-cnn';
  const kind: OptimizerKind = o.optimizer ?? (homogeneous ? 'sgd' : 'adam');
  const learningRate =
    o.learningRate ?? (kind === 'loss-based' ? 0.1 : homogeneous || kind === 'sgd' ? 0.01 : yan ? 1e-3 : 2e-3);
  const optimizer: OptimizerConfig =
    kind === 'adam'
      ? { kind, learningRate }
      : kind === 'sgd'
        ? { kind, learningRate, momentum: homogeneous ? 0 : 0.9 }
        : { kind, learningRate };
  // The loss-based schedule sets the step size itself; milestones would fight it.
  const scheduled = kind !== 'loss-based' && !homogeneous;
  const milestones = !scheduled
    ? []
    : yan
      ? [0.3, 0.6, 0.9].map((f) => Math.round(f * epochs)).filter((e) => e > 0)
      : epochs > 1
        ? [Math.floor(epochs / 2), Math.floor((3 * epochs) / 4)]
        : [];
  return {
    epochs,
    seed,
    batchSize: o.batchSize ?? (yan ? 128 : homogeneous ? 100 : 64),
    optimizer,
    weightDecay: o.weightDecay ?? (yan ? 5e-4 : 0),
    lrMilestones: milestones,
    lrDecay: yan ? 0.2 : 0.3,
    noiseAugmentation: o.noiseAugmentation ?? yan,
    cropFlipAugmentation: o.cropFlipAugmentation ?? false,
    auxiliaryLoss:
      arch === 'tisode'
        ? { weight: o.steadyStateWeight ?? 0.01, startEpoch: o.steadyStateStart ?? Math.min(5, Math.floor(epochs / 3)) }
        : undefined,
  };
}

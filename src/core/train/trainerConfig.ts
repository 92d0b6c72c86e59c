/**
 * What a training run is given and what it reports: the optimizer and run configuration (checked by
 * validateTrainerConfig), the report at every N batches and the summary at the end. Kept apart from the
 * Trainer (trainer.ts) so the worker's API, the CLI and the stores can name them without the training loop.
 */
import type { ImageDataset } from '../data/dataset';
import { checkValue } from '../options/field';
import { TRAINING_RUN_FIELDS } from '../options/trainingOptions';
import { InvalidOptionError } from '../util/errors';
import type { TrainingObjective } from './objective';
import {
  type CertifiedProbeConfig,
  type CollapseReport,
  type RobustProbeConfig,
  validateRobustProbe,
} from './robustProbe';

export type OptimizerConfig =
  | { kind: 'adam'; learningRate: number }
  | { kind: 'sgd'; learningRate: number; momentum: number }
  /**
   * Lyu & Li's loss-based learning rate on plain SGD: step α/𝓛 with 𝓛 the previous epoch's
   * mean training loss (α/𝓛_sum on the summed loss is the same step on the mean loss); after an
   * epoch whose loss did not rise α ×= 2^(1/5), otherwise that epoch is rolled back and α /= 2^(1/10).
   * `learningRate` is the initial α.
   */
  | { kind: 'loss-based'; learningRate: number };

export interface TrainerConfig {
  epochs: number;
  batchSize: number;
  seed: number;
  optimizer: OptimizerConfig;
  /** L2 penalty (wd/2)·‖W‖² on weights, as PyTorch's weight_decay does for SGD/Adam. */
  weightDecay?: number;
  /** Multiply the learning rate by lrDecay at the start of each listed epoch (0-based). */
  lrMilestones?: number[];
  lrDecay?: number;
  /** Yan et al.'s Gaussian-noise augmentation. */
  noiseAugmentation?: boolean;
  /** Random crop (zero padding 4) + horizontal flip, the standard CIFAR augmentation; before any noise. */
  cropFlipAugmentation?: boolean;
  /** Weight of the ODE blocks' auxiliary loss (TisODE steady state) and the epoch it starts. */
  auxiliaryLoss?: { weight: number; startEpoch: number };
  reportEvery?: number;
  /** Held-out examples for the test accuracy in reports. */
  heldOut?: ImageDataset;
  /** Homogeneous nets: report q_min/ρ^L over these training examples, L weight layers (Lyu & Li). */
  marginTracking?: { subset: ImageDataset; layers: number };
  /** What each step minimises (adversarial or certified training); plain cross-entropy by default. */
  objective?: TrainingObjective;
  /** PGD accuracy on held-out images at every report (the "robust accuracy" curve). */
  robustProbe?: RobustProbeConfig;
  /** IBP-certified accuracy on held-out images at every report (certified training's curve). */
  certifiedProbe?: CertifiedProbeConfig;
  /**
   * With a robust probe: on catastrophic overfitting (Wong et al. 2020) report it, and with `stop` end the run
   * and restore the weights of the report with the best robust accuracy.
   */
  catastrophicOverfitting?: { stop: boolean };
}

export interface TrainReport {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Fraction of the whole run done. */
  fraction: number;
  loss: number;
  trainAccuracy: number;
  heldOutAccuracy?: number;
  auxiliaryLoss?: number;
  samplesPerSecond: number;
  learningRate: number;
  parameterNorm: number;
  lazyRatio: number;
  /** Lyu & Li's q_min / ρ^L on `TrainerConfig.marginTracking`'s subset (homogeneous nets). */
  normalisedMargin?: number;
  /** Accuracy under PGD on `TrainerConfig.robustProbe`'s images. */
  robustAccuracy?: number;
  /** IBP-certified accuracy on `TrainerConfig.certifiedProbe`'s images. */
  certifiedAccuracy?: number;
  /** The objective's schedule at this report (e.g. the warmed-up ε). */
  schedule?: Record<string, number>;
  /** True from the report at which robust accuracy collapsed (catastrophic overfitting). */
  catastrophicOverfitting?: boolean;
}

export interface TrainSummary {
  epochs: number;
  batches: number;
  samples: number;
  seconds: number;
  samplesPerSecond: number;
  finalLoss: number;
  /** When and how robust accuracy collapsed, if it did. */
  catastrophicOverfitting?: CollapseReport;
  /** The run ended before its epochs (a collapse or a divergence); earlier weights were restored. */
  stoppedEarly?: boolean;
  /** The objective's divergence check stopped the run here; the weights of the last report were restored. */
  divergence?: { epoch: number; batch: number; reason: string };
}

export function validateTrainerConfig(c: TrainerConfig): void {
  checkValue(TRAINING_RUN_FIELDS.epochs, c.epochs, {}, (message) => new InvalidOptionError(message));
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1 || c.batchSize > 4096) {
    throw new InvalidOptionError('batch size must be a whole number from 1 to 4096.');
  }
  const lr = c.optimizer.learningRate;
  if (!(lr > 0 && lr < 10)) throw new InvalidOptionError(`learning rate must be in (0, 10), got ${lr}.`);
  if (c.optimizer.kind === 'sgd' && !(c.optimizer.momentum >= 0 && c.optimizer.momentum < 1)) {
    throw new InvalidOptionError('momentum must be in [0, 1).');
  }
  if (c.weightDecay !== undefined && !(c.weightDecay >= 0 && c.weightDecay < 1))
    throw new InvalidOptionError('weight decay must be in [0, 1).');
  if (c.robustProbe) validateRobustProbe(c.robustProbe);
}

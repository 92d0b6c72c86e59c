/**
 * Zhu et al. (NeurIPS 2022, §5) after training: each MLP of the width × depth × initialisation sweep is trained
 * before its perturbation stability is measured, with the shape of their §5.1 schedule — plain SGD on the
 * cross-entropy, the learning rate cut by a constant factor at fixed epochs — and the lazy-training ratio
 * ‖θ_t − θ₀‖/‖θ₀‖ recorded after every epoch (their Figs. 2–3: flat and shrinking with width when lazy, growing
 * when not). They train for 50 epochs on all of MNIST; the classroom defaults below are far smaller, and a
 * result says what it used.
 */
import { takeFirst, type ImageDataset } from '../data/dataset';
import { Trainer } from '../train/trainer';
import { CancelledError, InvalidOptionError } from '../util/errors';
import type { LongTask } from '../util/progress';
import type { MlpSweepHooks, PreparedTraining } from './stabilitySweep';

export interface SweepTraining {
  epochs: number;
  /** The first N training images. */
  examples: number;
  batchSize: number;
  learningRate: number;
  /** The learning rate is multiplied by `lrDecay` at the start of each milestone epoch (0-based). */
  lrDecay: number;
  lrMilestones: number[];
}

/** Classroom defaults: a few epochs on a few thousand images, the rate cut ×0.1 at ½ and ¾ of the run. */
export const CLASSROOM_SWEEP_TRAINING = {
  epochs: 4,
  examples: 2000,
  batchSize: 64,
  learningRate: 0.05,
  lrDecay: 0.1,
} as const;

/** Zhu et al.'s milestones scaled to a run of E epochs: the rate drops at ½ and ¾ of it. */
export function defaultMilestones(epochs: number): number[] {
  return [...new Set([Math.floor(epochs / 2), Math.floor((3 * epochs) / 4)])].filter((e) => e > 0 && e < epochs);
}

export function resolveSweepTraining(t: Partial<SweepTraining> & { epochs: number }): SweepTraining {
  const s: SweepTraining = {
    epochs: t.epochs,
    examples: t.examples ?? CLASSROOM_SWEEP_TRAINING.examples,
    batchSize: t.batchSize ?? CLASSROOM_SWEEP_TRAINING.batchSize,
    learningRate: t.learningRate ?? CLASSROOM_SWEEP_TRAINING.learningRate,
    lrDecay: t.lrDecay ?? CLASSROOM_SWEEP_TRAINING.lrDecay,
    lrMilestones: t.lrMilestones ?? defaultMilestones(t.epochs),
  };
  if (!(Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= 200)) {
    throw new InvalidOptionError('the sweep trains for a whole number of epochs from 1 to 200.');
  }
  if (!(s.learningRate > 0 && s.learningRate < 10)) {
    throw new InvalidOptionError(`the sweep's learning rate must be in (0, 10), got ${s.learningRate}.`);
  }
  if (!(s.lrDecay > 0 && s.lrDecay <= 1)) {
    throw new InvalidOptionError(`the learning-rate decay must be a factor in (0, 1], got ${s.lrDecay}.`);
  }
  if (s.lrMilestones.some((e) => !Number.isInteger(e) || e < 0 || e >= s.epochs)) {
    throw new InvalidOptionError(`the learning-rate milestones must be epochs from 0 to ${s.epochs - 1}.`);
  }
  return s;
}

/**
 * The sweep's `prepare` hook: trains each network with plain SGD (no momentum, Zhu et al. §5.1) on the first
 * `examples` images of `data`, seeded, and returns the lazy-training ratio after each epoch and, given
 * `heldOut`, the accuracy after training.
 */
export function sweepTrainingHook(
  data: ImageDataset,
  training: SweepTraining,
  seed: number,
  heldOut?: ImageDataset,
  task?: LongTask,
): NonNullable<MlpSweepHooks['prepare']> {
  const t = resolveSweepTraining(training);
  return async (model) => {
    const trainer = new Trainer(model, takeFirst(data, t.examples), {
      epochs: t.epochs,
      batchSize: t.batchSize,
      seed,
      optimizer: { kind: 'sgd', learningRate: t.learningRate, momentum: 0 },
      lrMilestones: t.lrMilestones,
      lrDecay: t.lrDecay,
      // One report per epoch: the trainer reports at every epoch's end.
      reportEvery: Number.MAX_SAFE_INTEGER,
      heldOut,
    });
    const ratios: number[] = [];
    let last: { loss: number; heldOutAccuracy?: number } = { loss: NaN };
    try {
      const outcome = await trainer.run({
        isCancelled: task?.isCancelled,
        onReport: (r) => {
          ratios.push(r.lazyRatio);
          last = r;
        },
      });
      if (outcome === 'stopped') throw new CancelledError();
    } finally {
      trainer.dispose();
    }
    const record: PreparedTraining = { epochs: t.epochs, lazyRatioByEpoch: ratios, finalLoss: last.loss };
    if (last.heldOutAccuracy !== undefined) record.heldOutAccuracy = last.heldOutAccuracy;
    return record;
  };
}

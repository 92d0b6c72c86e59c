/**
 * One-call training with Adam (what the `train` command and the tests use): a Trainer run to the
 * end, where a cancelled run throws CancelledError instead of pausing.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset';
import { CancelledError } from '../util/errors';
import type { LongTask } from '../util/progress';
import { Trainer } from './trainer';
import type { TrainerConfig, TrainReport, TrainSummary } from './trainerConfig';

export type { TrainReport, TrainSummary };

export interface TrainOptions extends LongTask, Omit<TrainerConfig, 'optimizer'> {
  learningRate: number;
  onReport?: (r: TrainReport) => void;
}

export async function trainClassifier(
  model: tf.LayersModel,
  data: ImageDataset,
  options: TrainOptions,
): Promise<TrainSummary> {
  const { learningRate, onReport, onProgress, isCancelled, ...config } = options;
  const trainer = new Trainer(model, data, { ...config, optimizer: { kind: 'adam', learningRate } });
  try {
    const outcome = await trainer.run({ onReport, onProgress, isCancelled });
    if (outcome === 'stopped') throw new CancelledError();
    return trainer.summary();
  } finally {
    trainer.dispose();
  }
}

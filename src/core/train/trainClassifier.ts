/**
 * Minibatch training of a classifier with Adam and softmax cross-entropy: seeded data order,
 * step learning-rate decay, progress every few batches, cancellation, and a guard that stops on
 * NaN/Inf and restores the last good weights.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, type ImageDataset } from '../data/dataset';
import { DivergedError, InvalidOptionError } from '../util/errors';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { seededPermutation } from '../util/random';

export interface TrainOptions extends LongTask {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Multiply the learning rate by `lrDecay` at the start of each listed epoch (0-based). */
  lrMilestones?: number[];
  lrDecay?: number;
  seed: number;
  /** Report (and check for divergence) every this many batches. */
  reportEvery?: number;
  onReport?: (r: TrainReport) => void;
}

export interface TrainReport {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Mean training loss and accuracy over the batches since the last report. */
  loss: number;
  trainAccuracy: number;
  samplesPerSecond: number;
  learningRate: number;
}

export interface TrainSummary {
  epochs: number;
  batches: number;
  samples: number;
  seconds: number;
  samplesPerSecond: number;
  finalLoss: number;
}

function validate(o: TrainOptions): void {
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new InvalidOptionError('epochs must be a whole number ≥ 1.');
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 4096) {
    throw new InvalidOptionError('batch size must be a whole number from 1 to 4096.');
  }
  if (!(o.learningRate > 0 && o.learningRate < 10)) throw new InvalidOptionError('learning rate must be in (0, 10).');
}

export async function trainClassifier(
  model: tf.LayersModel,
  data: ImageDataset,
  options: TrainOptions,
): Promise<TrainSummary> {
  validate(options);
  const { epochs, batchSize, seed } = options;
  const reportEvery = options.reportEvery ?? 50;
  const optimizer = tf.train.adam(options.learningRate);
  const batchesPerEpoch = Math.ceil(data.count / batchSize);
  const totalBatches = epochs * batchesPerEpoch;
  const started = performance.now();
  let lastGood = snapshotWeights(model);
  let windowLoss = 0;
  let windowCorrect = 0;
  let windowSamples = 0;
  let windowStart = performance.now();
  let samples = 0;
  let batches = 0;
  let finalLoss = NaN;
  let learningRate = options.learningRate;

  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      if (options.lrMilestones?.includes(epoch)) {
        learningRate *= options.lrDecay ?? 0.1;
        // AdamOptimizer reads this field on every step; tfjs exposes no setter.
        (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      }
      const order = seededPermutation(data.count, seed * 7919 + epoch);
      for (let b = 0; b < batchesPerEpoch; b++) {
        throwIfCancelled(options);
        const indices = order.subarray(b * batchSize, Math.min(data.count, (b + 1) * batchSize));
        const { x, y } = batchTensors(data, indices);
        const stats = tf.tidy(() => {
          let correct: tf.Scalar | undefined;
          const loss = optimizer.minimize(() => {
            const logits = model.apply(x, { training: true }) as tf.Tensor2D;
            correct = tf.keep(tf.equal(tf.argMax(logits, 1), y).sum() as tf.Scalar);
            return tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1]), logits) as tf.Scalar;
          }, true)!;
          return tf.stack([loss, correct!.toFloat()]);
        });
        const [lossValue, correctValue] = stats.dataSync();
        stats.dispose();
        x.dispose();
        y.dispose();
        if (!Number.isFinite(lossValue)) {
          restoreWeights(model, lastGood);
          throw new DivergedError(
            `Training diverged at epoch ${epoch + 1}, batch ${b + 1}: the loss became ${lossValue}. ` +
              'The last good weights were restored; try a smaller learning rate.',
          );
        }
        batches++;
        samples += indices.length;
        windowLoss += lossValue * indices.length;
        windowCorrect += correctValue;
        windowSamples += indices.length;
        finalLoss = lossValue;
        const isLast = b === batchesPerEpoch - 1;
        if (batches % reportEvery === 0 || isLast) {
          const now = performance.now();
          options.onReport?.({
            epoch,
            batch: b + 1,
            batchesPerEpoch,
            loss: windowLoss / windowSamples,
            trainAccuracy: windowCorrect / windowSamples,
            samplesPerSecond: (windowSamples / (now - windowStart)) * 1000,
            learningRate,
          });
          options.onProgress?.({
            fraction: batches / totalBatches,
            message: `epoch ${epoch + 1}/${epochs}, batch ${b + 1}/${batchesPerEpoch}`,
          });
          disposeWeights(lastGood);
          lastGood = snapshotWeights(model);
          windowLoss = windowCorrect = windowSamples = 0;
          windowStart = now;
          await yieldToEventLoop();
        }
      }
    }
  } finally {
    disposeWeights(lastGood);
    optimizer.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  return { epochs, batches, samples, seconds, samplesPerSecond: samples / seconds, finalLoss };
}

function snapshotWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => w.clone());
}

function restoreWeights(model: tf.LayersModel, weights: tf.Tensor[]): void {
  model.setWeights(weights);
}

function disposeWeights(weights: tf.Tensor[]): void {
  for (const w of weights) w.dispose();
}

/** Top-1 accuracy of a classifier over a data set, in batches. */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range, type ImageDataset } from '../data/dataset';
import type { LogitsFn } from '../models/classifier';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';

export const DEFAULT_EVAL_BATCH = 256;

/** Number of examples in the batch whose argmax logit equals the label. */
export async function countCorrect(logits: LogitsFn, x: tf.Tensor4D, y: tf.Tensor1D): Promise<number> {
  const correct = tf.tidy(() => tf.equal(tf.argMax(logits(x), 1), y).sum());
  const n = (await correct.data())[0]; // async: WebGPU's sync read can lose the device
  correct.dispose();
  return n;
}

export async function accuracy(
  logits: LogitsFn,
  ds: ImageDataset,
  task?: LongTask & { batchSize?: number },
): Promise<number> {
  const batchSize = task?.batchSize ?? DEFAULT_EVAL_BATCH;
  let correct = 0;
  for (let start = 0; start < ds.count; start += batchSize) {
    throwIfCancelled(task);
    const { x, y } = batchTensors(ds, range(start, Math.min(ds.count, start + batchSize)));
    correct += await countCorrect(logits, x, y);
    x.dispose();
    y.dispose();
    task?.onProgress?.({ fraction: Math.min(1, (start + batchSize) / ds.count), message: 'evaluating' });
    await yieldToEventLoop();
  }
  return ds.count === 0 ? 0 : correct / ds.count;
}

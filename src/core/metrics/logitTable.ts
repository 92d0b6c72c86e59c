/**
 * Logits and labels of a whole evaluation set as plain arrays. Calibration, temperature scaling
 * and energy scores are cheap per-row arithmetic that is run many times (a 1-D search evaluates
 * the NLL dozens of times), so the logits are read back once and everything after that runs in
 * double precision in JavaScript: nothing to dispose, identical on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range, type ImageDataset } from '../data/dataset';
import type { LogitsFn } from '../models/classifier';
import { InvalidOptionError } from '../util/errors';
import { forwardInChunks } from '../util/memoryBudget';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';

export interface LogitTable {
  n: number;
  numClasses: number;
  /** n × numClasses, row-major. */
  logits: Float32Array;
  labels: Int32Array;
}

export function makeLogitTable(logits: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): LogitTable {
  const n = labels.length;
  if (!(Number.isInteger(numClasses) && numClasses >= 2))
    throw new InvalidOptionError(`Need at least 2 classes, got ${numClasses}.`);
  if (logits.length !== n * numClasses) {
    throw new InvalidOptionError(`${logits.length} logits do not make ${n} rows of ${numClasses} classes.`);
  }
  const lab = Int32Array.from(labels);
  for (const y of lab) {
    if (!(y >= 0 && y < numClasses)) throw new InvalidOptionError(`Label ${y} is outside 0…${numClasses - 1}.`);
  }
  return { n, numClasses, logits: Float32Array.from(logits), labels: lab };
}

export function selectRows(t: LogitTable, indices: ArrayLike<number>): LogitTable {
  const k = t.numClasses;
  const logits = new Float32Array(indices.length * k);
  const labels = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    logits.set(t.logits.subarray(i * k, (i + 1) * k), r * k);
    labels[r] = t.labels[i];
  }
  return { n: indices.length, numClasses: k, logits, labels };
}

/** Inputs [start, end) of some set, made on demand; the caller disposes what it returns. */
export type BatchMaker = (start: number, end: number) => Promise<tf.Tensor4D>;

/**
 * Runs the model over `count` inputs made batch by batch and keeps only the logits, read back
 * asynchronously (WebGPU's synchronous read can lose the device).
 */
export async function logitsOfBatches(
  logitsFn: LogitsFn,
  count: number,
  makeBatch: BatchMaker,
  numClasses: number,
  task?: LongTask & { batchSize?: number; label?: string },
): Promise<Float32Array> {
  const batchSize = task?.batchSize ?? 256;
  const logits = new Float32Array(count * numClasses);
  for (let start = 0; start < count; start += batchSize) {
    throwIfCancelled(task);
    const end = Math.min(count, start + batchSize);
    const x = await makeBatch(start, end);
    const z = await forwardInChunks(logitsFn, x); // within the memory budget, whatever the batch size
    logits.set(await z.data(), start * numClasses);
    tf.dispose([x, z]);
    task?.onProgress?.({ fraction: end / count, message: `${task.label ?? 'logits'} ${end}/${count}` });
    await yieldToEventLoop();
  }
  return logits;
}

/** The images of a data set as a batch maker (labels dropped). */
export function datasetBatches(ds: ImageDataset): BatchMaker {
  return async (start, end) => {
    const { x, y } = batchTensors(ds, range(start, end));
    y.dispose();
    return x;
  };
}

/** Runs the model over the data set in batches and keeps only the logits. */
export async function collectLogits(
  logitsFn: LogitsFn,
  ds: ImageDataset,
  numClasses: number,
  task?: LongTask & { batchSize?: number },
): Promise<LogitTable> {
  const logits = await logitsOfBatches(logitsFn, ds.count, datasetBatches(ds), numClasses, task);
  return { n: ds.count, numClasses, logits, labels: Int32Array.from(ds.labels.subarray(0, ds.count)) };
}

/** log Σ_j exp(z_j / T) of one row, stabilised by the row maximum. */
export function logSumExpRow(z: ArrayLike<number>, offset: number, k: number, temperature = 1): number {
  let m = -Infinity;
  for (let j = 0; j < k; j++) m = Math.max(m, z[offset + j] / temperature);
  let s = 0;
  for (let j = 0; j < k; j++) s += Math.exp(z[offset + j] / temperature - m);
  return m + Math.log(s);
}

export function argMaxRow(z: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (z[offset + j] > z[offset + best]) best = j;
  return best;
}

/**
 * Confidence (the largest softmax probability of z/T) and correctness (argmax = label) per row.
 * Dividing by T > 0 never changes the argmax, so correctness does not depend on T.
 */
export function confidenceAndCorrectness(
  t: LogitTable,
  temperature = 1,
): { confidence: Float64Array; correct: Uint8Array } {
  const k = t.numClasses;
  const confidence = new Float64Array(t.n);
  const correct = new Uint8Array(t.n);
  for (let i = 0; i < t.n; i++) {
    const off = i * k;
    const top = argMaxRow(t.logits, off, k);
    confidence[i] = Math.exp(t.logits[off + top] / temperature - logSumExpRow(t.logits, off, k, temperature));
    correct[i] = top === t.labels[i] ? 1 : 0;
  }
  return { confidence, correct };
}

/** Mean negative log-likelihood of the labels under softmax(z/T). */
export function meanNll(t: LogitTable, temperature = 1): number {
  const k = t.numClasses;
  let s = 0;
  for (let i = 0; i < t.n; i++) {
    const off = i * k;
    s += logSumExpRow(t.logits, off, k, temperature) - t.logits[off + t.labels[i]] / temperature;
  }
  return t.n ? s / t.n : NaN;
}

export function accuracyOf(t: LogitTable): number {
  let c = 0;
  for (let i = 0; i < t.n; i++) if (argMaxRow(t.logits, i * t.numClasses, t.numClasses) === t.labels[i]) c++;
  return t.n ? c / t.n : NaN;
}

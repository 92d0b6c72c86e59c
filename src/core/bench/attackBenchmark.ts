/**
 * Attack throughput and latency of a classifier on the current backend, on real test images:
 * FGSM and PGD-20 on a batch (images/s), and warm single-image FGSM latency (ms). Shared by the
 * Node benchmark and the in-app "benchmark this device" action, so both print the same figures.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range, type ImageDataset } from '../data/dataset';
import type { Classifier } from '../models/classifier';
import { disposeAttackRun, runAttack } from '../attacks/runAttack';
import type { AttackOptions } from '../attacks/types';

export const BENCH_BATCH = 256;
export const BENCH_PGD_STEPS = 20;
export const BENCH_EPS = 0.3;
const LATENCY_REPEATS = 10;

export interface AttackBenchmark {
  backend: string;
  batch: number;
  fgsmImagesPerSecond: number;
  pgd20ImagesPerSecond: number;
  fgsmSingleImageMs: number;
}

function options(method: 'fgsm' | 'pgd', steps: number): AttackOptions {
  return { method, norm: 'linf', eps: BENCH_EPS, steps, restarts: 1, target: { kind: 'untargeted' }, seed: 0 };
}

async function timeAttack(clf: Classifier, x: tf.Tensor4D, y: tf.Tensor1D, o: AttackOptions): Promise<number> {
  const started = performance.now();
  const run = await runAttack(clf.logits, x, y, clf.meta.classNames.length, o);
  await run.adversarial.data(); // wait for the device (GPU backends run asynchronously)
  const ms = performance.now() - started;
  disposeAttackRun(run);
  return ms;
}

export async function benchmarkAttacks(
  clf: Classifier,
  ds: ImageDataset,
  batch = BENCH_BATCH,
  onProgress?: (message: string) => void,
): Promise<AttackBenchmark> {
  const n = Math.min(batch, ds.count);
  const { x, y } = batchTensors(ds, range(0, n));
  const one = batchTensors(ds, range(0, 1));
  try {
    onProgress?.('warm-up');
    await timeAttack(clf, x, y, options('pgd', 2)); // compile shaders / JIT before timing
    onProgress?.('FGSM');
    const fgsmMs = await timeAttack(clf, x, y, options('fgsm', 1));
    onProgress?.('PGD-20');
    const pgdMs = await timeAttack(clf, x, y, options('pgd', BENCH_PGD_STEPS));
    onProgress?.('single-image FGSM');
    await timeAttack(clf, one.x, one.y, options('fgsm', 1));
    let latency = 0;
    for (let i = 0; i < LATENCY_REPEATS; i++) latency += await timeAttack(clf, one.x, one.y, options('fgsm', 1));
    return {
      backend: tf.getBackend(),
      batch: n,
      fgsmImagesPerSecond: (n / fgsmMs) * 1000,
      pgd20ImagesPerSecond: (n / pgdMs) * 1000,
      fgsmSingleImageMs: latency / LATENCY_REPEATS,
    };
  } finally {
    x.dispose();
    y.dispose();
    one.x.dispose();
    one.y.dispose();
  }
}

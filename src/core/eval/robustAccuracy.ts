/**
 * Clean and robust accuracy of a classifier on a data set under one threat: none, Gaussian noise,
 * or a gradient attack. Robust accuracy counts an example as robust only if it is classified
 * correctly both clean and perturbed (already-misclassified points are not robust — Carlini et al.).
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range, type ImageDataset } from '../data/dataset';
import type { Classifier } from '../models/classifier';
import { InvalidOptionError } from '../util/errors';
import { subTask, throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { gaussianNoise } from '../attacks/gaussianNoise';
import { disposeAttackRun, runAttack } from '../attacks/runAttack';
import { forwardInChunks } from '../util/memoryBudget';
import type { AttackOptions, ResolvedAttackOptions } from '../attacks/types';

export type Threat =
  | { kind: 'none' }
  | { kind: 'gaussian'; sigma: number; seed: number }
  | { kind: 'attack'; options: AttackOptions };

export interface RobustnessResult {
  n: number;
  cleanAccuracy: number;
  robustAccuracy: number;
  /** What ran, defaults filled in. */
  threat:
    | { kind: 'none' }
    | { kind: 'gaussian'; sigma: number; seed: number }
    | { kind: 'attack'; options: ResolvedAttackOptions };
  seconds: number;
  /**
   * Minimal-perturbation attacks (Carlini–Wagner): over the images classified correctly, the median ‖δ‖₂ of the
   * closest adversarial example found (Infinity when fewer than half were broken) and how many were broken.
   */
  minimalL2?: { median: number; found: number; of: number };
}

export const DEFAULT_ATTACK_BATCH = 256;

export async function robustAccuracy(
  clf: Classifier,
  ds: ImageDataset,
  threat: Threat,
  task?: LongTask & { batchSize?: number },
): Promise<RobustnessResult> {
  if (threat.kind === 'gaussian' && !(threat.sigma >= 0 && threat.sigma <= 10)) {
    throw new InvalidOptionError(`σ must be between 0 and 10 (pixel units), got ${threat.sigma}.`);
  }
  const batchSize = task?.batchSize ?? DEFAULT_ATTACK_BATCH;
  const numClasses = clf.meta.classNames.length;
  const started = performance.now();
  let clean = 0;
  let robust = 0;
  let resolved: RobustnessResult['threat'] = threat.kind === 'attack' ? { kind: 'none' } : threat;
  let distances: number[] | undefined;
  for (let start = 0; start < ds.count; start += batchSize) {
    throwIfCancelled(task);
    const end = Math.min(ds.count, start + batchSize);
    const { x, y } = batchTensors(ds, range(start, end));
    // Forward passes in chunks within the memory budget (a batch of 256 paper-size ODENets exceeds wasm's heap).
    const cleanLogits = await forwardInChunks(clf.logits, x);
    const cleanCorrect = tf.tidy(() => tf.equal(tf.argMax(cleanLogits, 1), y));
    cleanLogits.dispose();
    try {
      let perturbed: tf.Tensor4D;
      if (threat.kind === 'none') perturbed = x.clone();
      else if (threat.kind === 'gaussian') perturbed = gaussianNoise(x, threat.sigma, threat.seed + start);
      else {
        // Each batch gets its own seed offset so random starts differ across batches but the run stays reproducible.
        const run = await runAttack(
          clf.logits,
          x,
          y,
          numClasses,
          { ...threat.options, seed: threat.options.seed + start },
          subTask(task, start / ds.count, end / ds.count),
        );
        resolved = { kind: 'attack', options: { ...run.options, seed: threat.options.seed } };
        if (run.minimalL2) {
          const correct = await cleanCorrect.data();
          distances ??= [];
          run.minimalL2.forEach((d, i) => {
            if (correct[i]) distances!.push(d);
          });
        }
        perturbed = run.adversarial.clone();
        disposeAttackRun(run);
      }
      const advLogits = await forwardInChunks(clf.logits, perturbed);
      const counts = tf.tidy(() => {
        const advCorrect = tf.equal(tf.argMax(advLogits, 1), y);
        return tf.stack([cleanCorrect.sum(), tf.logicalAnd(cleanCorrect, advCorrect).sum()]);
      });
      advLogits.dispose();
      const [c, r] = await counts.data();
      clean += c;
      robust += r;
      counts.dispose();
      perturbed.dispose();
    } finally {
      x.dispose();
      y.dispose();
      cleanCorrect.dispose();
    }
    task?.onProgress?.({ fraction: end / ds.count, message: `${end}/${ds.count} images` });
    await yieldToEventLoop();
  }
  const n = ds.count;
  return {
    n,
    cleanAccuracy: n ? clean / n : 0,
    robustAccuracy: n ? robust / n : 0,
    threat: resolved,
    seconds: (performance.now() - started) / 1000,
    minimalL2: distances ? medianDistance(distances) : undefined,
  };
}

function medianDistance(distances: number[]): { median: number; found: number; of: number } {
  const sorted = [...distances].sort((a, b) => a - b);
  const m = sorted.length;
  const median = m === 0 ? Infinity : m % 2 ? sorted[(m - 1) / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
  return { median, found: sorted.filter(Number.isFinite).length, of: m };
}

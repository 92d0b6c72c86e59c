/**
 * One entry point for every gradient attack: resolves the options, chooses targets, dispatches to
 * FGSM or the projected-gradient iteration, and reports per-example success. The caller owns the
 * returned tensors.
 *
 * A batch runs in chunks sized to the backend's memory budget (src/core/util/memoryBudget.ts),
 * measured on the attack's own gradient; the results are those of the whole batch at once (the
 * targets and the random starts are drawn for the whole batch). Running out of memory anyway
 * ends in OutOfMemoryError, one sentence.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import { chunkRanges, chunkSizeFor, mapChunks, withMemoryErrors } from '../util/memoryBudget';
import type { LongTask } from '../util/progress';
import { fgsm } from './fgsm';
import { attackSucceeded, objectiveGradient, type AttackGoal } from './objective';
import { projectedGradientAttack } from './pgd';
import { resolveAttackOptions } from './resolveOptions';
import { chooseTargets } from './targets';
import type { AttackOptions, ResolvedAttackOptions } from './types';

export interface AttackRun {
  adversarial: tf.Tensor4D;
  /** int32 [n] target classes, for targeted attacks. */
  targets?: tf.Tensor1D;
  /** float [n], 1 where the attack succeeded. */
  success: tf.Tensor1D;
  options: ResolvedAttackOptions;
}

export async function runAttack(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
  options: AttackOptions,
  task?: LongTask,
): Promise<AttackRun> {
  const o = resolveAttackOptions(options, numClasses);
  const n = x.shape[0];
  const job = o.method === 'fgsm' ? 'FGSM' : `${o.method.toUpperCase()}-${o.steps}`;
  return withMemoryErrors(job, n, async () => {
    const chunk = await attackChunkSize(logitsFn, x, labels);
    const targets = await chooseTargets(o.target, logitsFn, x, labels, numClasses, o.seed, chunk);
    try {
      const chunks = chunkRanges(n, chunk).length;
      const inputs = targets ? [x, labels, targets] : [x, labels];
      const [adversarial, success] = await mapChunks(inputs, chunk, async (slices, start, end) => {
        const [xc, yc, tc] = slices as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D?];
        const goal: AttackGoal = { labels: yc, targets: tc };
        const part = chunks > 1 ? chunkTask(task, start, end, n, Math.floor(start / chunk), chunks) : task;
        const adv =
          o.method === 'fgsm'
            ? fgsm(logitsFn, xc, goal, o.eps, o.norm)
            : await projectedGradientAttack(logitsFn, xc, goal, { ...o, batch: { start, total: n } }, part);
        const ok = tf.tidy(() => attackSucceeded(logitsFn(adv), goal));
        return [adv, ok] as [tf.Tensor4D, tf.Tensor1D];
      });
      return { adversarial, targets, success, options: o };
    } catch (err) {
      targets?.dispose();
      throw err;
    }
  });
}

/** Examples per chunk: the attack's gradient step, measured on two examples, within the memory budget. */
function attackChunkSize(logitsFn: LogitsFn, x: tf.Tensor4D, labels: tf.Tensor1D): Promise<number> {
  return chunkSizeFor(
    x.shape[0],
    (m) =>
      tf.tidy(() => objectiveGradient(logitsFn, tf.slice(x, 0, m), { labels: tf.slice(labels, 0, m) as tf.Tensor1D })),
    { cache: { key: logitsFn, kind: 'input-gradient' } },
  );
}

/** The task of one chunk: progress as a share of the whole batch, labelled with the chunk's examples. */
function chunkTask(
  task: LongTask | undefined,
  start: number,
  end: number,
  n: number,
  index: number,
  chunks: number,
): LongTask | undefined {
  if (!task) return undefined;
  return {
    isCancelled: task.isCancelled,
    onProgress: task.onProgress
      ? (p) =>
          task.onProgress?.({
            fraction: (index + p.fraction) / chunks,
            message: `examples ${start + 1}–${end} of ${n}: ${p.message}`,
          })
      : undefined,
  };
}

export function disposeAttackRun(run: AttackRun): void {
  run.adversarial.dispose();
  run.targets?.dispose();
  run.success.dispose();
}

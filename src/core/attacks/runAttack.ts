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
import { autoProjectedGradientAttack } from './apgd';
import { apgdTargeted, autoAttackLite } from './autoAttackLite';
import { carliniWagnerL2 } from './carliniWagner';
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
  /** Carlini–Wagner: ‖x' − x‖₂ of the closest adversarial example found per image (Infinity: none found). */
  minimalL2?: Float32Array;
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
      const minimalL2 = o.method === 'cw-l2' ? new Float32Array(n) : undefined;
      const [adversarial, success] = await mapChunks(inputs, chunk, async (slices, start, end) => {
        const [xc, yc, tc] = slices as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D?];
        const part = chunks > 1 ? chunkTask(task, start, end, n, Math.floor(start / chunk), chunks) : task;
        const run = await attackChunk(
          logitsFn,
          xc,
          { labels: yc, targets: tc },
          numClasses,
          o,
          { start, total: n },
          part,
        );
        if (minimalL2 && run.minimalL2) minimalL2.set(run.minimalL2, start);
        return [run.adversarial, run.success] as [tf.Tensor4D, tf.Tensor1D];
      });
      return { adversarial, targets, success, options: o, ...(minimalL2 ? { minimalL2 } : {}) };
    } catch (err) {
      targets?.dispose();
      throw err;
    }
  });
}

/**
 * One chunk of the batch (the whole batch when it fits). FGSM, BIM and PGD give exactly the
 * whole batch's result (their random starts are drawn for the whole batch); APGD and C&W draw
 * theirs per chunk.
 */
async function attackChunk(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  goal: AttackGoal,
  numClasses: number,
  o: ResolvedAttackOptions,
  batch: { start: number; total: number },
  task?: LongTask,
): Promise<{ adversarial: tf.Tensor4D; success: tf.Tensor1D; minimalL2?: Float32Array }> {
  const { labels, targets } = goal;
  if (o.method === 'cw-l2') {
    // The closest point found counts within the budget ε only: robust accuracy at ε stays meaningful.
    const cw = await carliniWagnerL2(
      logitsFn,
      x,
      labels,
      targets,
      { steps: o.steps, confidence: o.confidence, binarySearchSteps: o.binarySearchSteps },
      task,
    );
    const within = tf.tensor1d(Array.from(cw.distances, (d) => (d <= o.eps ? 1 : 0)));
    const success = tf.tidy(() => tf.mul(cw.success, within)) as tf.Tensor1D;
    within.dispose();
    cw.success.dispose();
    return { adversarial: cw.adversarial, success, minimalL2: cw.distances };
  }
  if (o.method === 'apgd-ce' || o.method === 'apgd-dlr' || o.method === 'apgd-t' || o.method === 'autoattack-lite') {
    const p = { eps: o.eps, norm: o.norm, steps: o.steps, restarts: o.restarts, seed: o.seed };
    const run =
      o.method === 'apgd-t'
        ? await apgdTargeted(logitsFn, x, labels, numClasses, p, o.targetClasses, task)
        : o.method === 'autoattack-lite'
          ? await autoAttackLite(logitsFn, x, labels, numClasses, p, o.targetClasses, task)
          : await autoProjectedGradientAttack(
              logitsFn,
              x,
              { ...goal, loss: o.method === 'apgd-dlr' ? 'dlr' : 'ce' },
              p,
              'goal',
              task,
            );
    run.success.dispose();
    const success = tf.tidy(() => attackSucceeded(logitsFn(run.adversarial), goal));
    return { adversarial: run.adversarial, success };
  }
  const adversarial =
    o.method === 'fgsm'
      ? fgsm(logitsFn, x, goal, o.eps, o.norm)
      : await projectedGradientAttack(logitsFn, x, goal, { ...o, batch }, task);
  const success = tf.tidy(() => attackSucceeded(logitsFn(adversarial), goal));
  return { adversarial, success };
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

/**
 * APGD-T and "AutoAttack-lite".
 *
 * APGD-T (Croce & Hein 2020, §4 and §5): APGD on the targeted DLR loss, run once per target class — the classes
 * with the 2nd, 3rd, … highest clean logits — each run only on the examples no earlier run has fooled. It counts
 * any misclassification as a success (the aim is robust accuracy, not a chosen class).
 *
 * AutoAttack-lite: APGD-CE, then APGD-T on the images still classified correctly. It is a SUBSET of Croce &
 * Hein's AutoAttack (which adds FAB-T and the black-box Square attack) and must never be reported as AutoAttack:
 * Croce & Hein found the two APGD members account for almost all of AutoAttack's successes on non-masked models,
 * but a model that masks gradients can survive them and fall to Square.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import type { LongTask } from '../util/progress';
import { type ApgdParams, type ApgdResult, autoProjectedGradientAttack, onSubset } from './apgd';

/** AutoAttack's number of target classes for APGD-T (all of them on a 10-class problem). */
export const APGD_T_DEFAULT_TARGETS = 9;

type StepTask = LongTask & { stepOffset?: number; totalSteps?: number };

/** Indices of the examples with success = 0. */
async function remainingOf(result: ApgdResult): Promise<Int32Array> {
  const s = await result.success.data();
  return Int32Array.from(Array.from(s.keys()).filter((i) => s[i] === 0));
}

/** APGD-T over `targetCount` target classes; success means misclassified. */
export async function apgdTargeted(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
  p: ApgdParams,
  targetCount = APGD_T_DEFAULT_TARGETS,
  task?: StepTask,
  prior?: ApgdResult,
): Promise<ApgdResult> {
  const targets = Math.min(targetCount, numClasses - 1);
  // Classes ranked by the clean logits; rank 0 is the prediction (the label on a correctly classified image).
  const ranked = tf.tidy(() => tf.topk(logitsFn(x), Math.min(numClasses, targets + 1)).indices);
  const totalSteps = task?.totalSteps ?? targets * p.restarts * p.steps;
  const offset = task?.stepOffset ?? 0;
  let result: ApgdResult = prior ?? {
    adversarial: x.clone(),
    success: tf.tidy(() => tf.notEqual(ranked.slice([0, 0], [-1, 1]).reshape([-1]), labels).toFloat() as tf.Tensor1D),
  };
  try {
    for (let t = 1; t <= targets; t++) {
      const remaining = await remainingOf(result);
      if (remaining.length === 0) break;
      const targetColumn = tf.tidy(() => ranked.slice([0, t], [-1, 1]).reshape([-1]).toInt() as tf.Tensor1D);
      try {
        result = await onSubset(x, { labels, targets: targetColumn, loss: 'dlr' }, remaining, result, (xs, goal) =>
          autoProjectedGradientAttack(logitsFn, xs, goal, { ...p, seed: p.seed + 104_729 * t }, 'misclassified', {
            ...task,
            stepOffset: offset + (t - 1) * p.restarts * p.steps,
            totalSteps,
          }),
        );
      } finally {
        targetColumn.dispose();
      }
    }
    return result;
  } finally {
    ranked.dispose();
  }
}

/** APGD-CE on every image, then APGD-T on those it did not fool: a subset of AutoAttack, never AutoAttack. */
export async function autoAttackLite(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
  p: ApgdParams,
  targetCount = APGD_T_DEFAULT_TARGETS,
  task?: LongTask,
): Promise<ApgdResult> {
  const targets = Math.min(targetCount, numClasses - 1);
  const perRun = p.restarts * p.steps;
  const totalSteps = perRun * (1 + targets);
  const ce = await autoProjectedGradientAttack(logitsFn, x, { labels, loss: 'ce' }, p, 'goal', {
    ...task,
    stepOffset: 0,
    totalSteps,
  });
  return apgdTargeted(logitsFn, x, labels, numClasses, p, targets, { ...task, stepOffset: perRun, totalSteps }, ce);
}

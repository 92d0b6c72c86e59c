/**
 * What an attack climbs, per example, from the logits z:
 *
 *  - `ce` (default): the cross-entropy of the true label (untargeted), or minus the cross-entropy of the
 *    target (targeted, so climbing it moves toward the target).
 *  - `dlr`: Croce & Hein's (2020, §4, eq. 6) Difference of Logits Ratio,
 *      untargeted  −(z_y − max_{i≠y} z_i) / (z_π1 − z_π3 + 10⁻¹²)
 *      targeted    −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2 + 10⁻¹²)
 *    with π sorting the logits in decreasing order. It is invariant to shifting and to scaling the logits, so a
 *    saturated softmax (whose cross-entropy gradient vanishes) does not hide the boundary from it.
 *
 * Summing the per-example objectives keeps each example's input gradient independent of the others.
 */
import * as tf from '@tensorflow/tfjs';
import { withInputGradientsOnly } from '../backend/inputGradientScope';
import type { LogitsFn } from '../models/classifier';

export type AttackLoss = 'ce' | 'dlr';

export interface AttackGoal {
  /** True labels, int32 [n]. */
  labels: tf.Tensor1D;
  /** Target classes, int32 [n], for targeted attacks. */
  targets?: tf.Tensor1D;
  /** The loss climbed; cross-entropy unless given. */
  loss?: AttackLoss;
}

/** Keeps the DLR denominator away from 0 when the top logits tie (Croce & Hein's 10⁻¹²). */
const DLR_EPSILON = 1e-12;

/** Per-example objective [n] from logits [n, k]. */
export function attackObjective(logits: tf.Tensor2D, goal: AttackGoal): tf.Tensor1D {
  return goal.loss === 'dlr' ? dlrLoss(logits, goal) : crossEntropyObjective(logits, goal);
}

function crossEntropyObjective(logits: tf.Tensor2D, goal: AttackGoal): tf.Tensor1D {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const k = logits.shape[1];
    if (goal.targets) return tf.sum(tf.mul(tf.oneHot(goal.targets, k), logProbs), 1) as tf.Tensor1D;
    return tf.neg(tf.sum(tf.mul(tf.oneHot(goal.labels, k), logProbs), 1)) as tf.Tensor1D;
  });
}

/**
 * The 1st, 2nd, … `count`-th largest logits per example, as [n] tensors that gradients flow through (tfjs' topk
 * has no gradient): each is the max after pushing the ones above it out of the way.
 */
function largestLogits(logits: tf.Tensor2D, count: number): tf.Tensor1D[] {
  const out: tf.Tensor1D[] = [];
  let rest: tf.Tensor2D = logits;
  for (let j = 0; j < count; j++) {
    out.push(tf.max(rest, 1) as tf.Tensor1D);
    rest = tf.add(rest, tf.mul(tf.oneHot(tf.argMax(rest, 1), logits.shape[1]), -1e30)) as tf.Tensor2D;
  }
  return out;
}

/** Croce & Hein's DLR loss (untargeted) or its targeted form, per example. Needs at least 4 classes when targeted. */
export function dlrLoss(logits: tf.Tensor2D, goal: Pick<AttackGoal, 'labels' | 'targets'>): tf.Tensor1D {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const sorted = largestLogits(logits, Math.min(k, goal.targets ? 4 : 3));
    const yMask = tf.oneHot(goal.labels, k);
    const zy = tf.sum(tf.mul(yMask, logits), 1);
    if (goal.targets) {
      const zt = tf.sum(tf.mul(tf.oneHot(goal.targets, k), logits), 1);
      const scale = tf.sub(sorted[0], tf.div(tf.add(sorted[2], sorted[3]), 2));
      return tf.neg(tf.div(tf.sub(zy, zt), tf.add(scale, DLR_EPSILON))) as tf.Tensor1D;
    }
    // max_{i≠y} z_i: the largest logit once the label's is pushed below every other.
    const runnerUp = tf.max(tf.add(logits, tf.mul(yMask, -1e30)), 1);
    return tf.neg(tf.div(tf.sub(zy, runnerUp), tf.add(tf.sub(sorted[0], sorted[2]), DLR_EPSILON))) as tf.Tensor1D;
  });
}

/** ∇ₓ of the summed objective: one input gradient per example (no parameter gradients are computed). */
export function objectiveGradient(logitsFn: LogitsFn, x: tf.Tensor4D, goal: AttackGoal): tf.Tensor4D {
  return tf.tidy(() => {
    const g = tf.grad((input: tf.Tensor) => tf.sum(attackObjective(logitsFn(input as tf.Tensor4D), goal)));
    return withInputGradientsOnly(() => g(x) as tf.Tensor4D);
  });
}

/**
 * The objective and its input gradient from one forward and one backward pass (APGD needs both at every
 * iterate): [objective [n], ∇ₓ [n,h,w,c], logits [n,k]].
 */
export function objectiveValueAndGradient(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  goal: AttackGoal,
): { value: tf.Tensor1D; grad: tf.Tensor4D; logits: tf.Tensor2D } {
  let logits: tf.Tensor2D | undefined;
  let value: tf.Tensor1D | undefined;
  // Kept so they outlive the gradient's own scope; the caller disposes all three.
  const grad = tf.tidy(() =>
    tf.grad((input: tf.Tensor) => {
      logits = tf.keep(logitsFn(input as tf.Tensor4D));
      value = tf.keep(attackObjective(logits, goal));
      return tf.sum(value);
    })(x),
  ) as tf.Tensor4D;
  return { value: value!, grad, logits: logits! };
}

/** 1 where the attack has succeeded: argmax ≠ label (untargeted) or argmax = target (targeted). */
export function attackSucceeded(logits: tf.Tensor2D, goal: AttackGoal): tf.Tensor1D {
  return tf.tidy(() => {
    const predicted = tf.argMax(logits, 1);
    return (
      goal.targets ? tf.equal(predicted, goal.targets) : tf.notEqual(predicted, goal.labels)
    ).toFloat() as tf.Tensor1D;
  });
}

/**
 * What an attack climbs: per-example cross-entropy of the true label (untargeted), or minus the
 * cross-entropy of the target (targeted, so climbing it moves toward the target). Summing the
 * per-example objectives keeps each example's input gradient independent of the others.
 */
import * as tf from '@tensorflow/tfjs';
import { withInputGradientsOnly } from '../backend/inputGradientScope';
import type { LogitsFn } from '../models/classifier';

export interface AttackGoal {
  /** True labels, int32 [n]. */
  labels: tf.Tensor1D;
  /** Target classes, int32 [n], for targeted attacks. */
  targets?: tf.Tensor1D;
}

/** Per-example objective [n] from logits [n, k]. */
export function attackObjective(logits: tf.Tensor2D, goal: AttackGoal): tf.Tensor1D {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const k = logits.shape[1];
    if (goal.targets) return tf.sum(tf.mul(tf.oneHot(goal.targets, k), logProbs), 1) as tf.Tensor1D;
    return tf.neg(tf.sum(tf.mul(tf.oneHot(goal.labels, k), logProbs), 1)) as tf.Tensor1D;
  });
}

/** ∇ₓ of the summed objective: one input gradient per example (no parameter gradients are computed). */
export function objectiveGradient(logitsFn: LogitsFn, x: tf.Tensor4D, goal: AttackGoal): tf.Tensor4D {
  return tf.tidy(() => {
    const g = tf.grad((input: tf.Tensor) => tf.sum(attackObjective(logitsFn(input as tf.Tensor4D), goal)));
    return withInputGradientsOnly(() => g(x) as tf.Tensor4D);
  });
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

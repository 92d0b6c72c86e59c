/**
 * One entry point for every gradient attack: resolves the options, chooses targets, dispatches to
 * FGSM or the projected-gradient iteration, and reports per-example success. The caller owns the
 * returned tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import type { LongTask } from '../util/progress';
import { fgsm } from './fgsm';
import { attackSucceeded, type AttackGoal } from './objective';
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
  const targets = await chooseTargets(o.target, logitsFn, x, labels, numClasses, o.seed);
  const goal: AttackGoal = { labels, targets };
  try {
    const adversarial =
      o.method === 'fgsm'
        ? fgsm(logitsFn, x, goal, o.eps, o.norm)
        : await projectedGradientAttack(logitsFn, x, goal, o, task);
    const success = tf.tidy(() => attackSucceeded(logitsFn(adversarial), goal));
    return { adversarial, targets, success, options: o };
  } catch (err) {
    targets?.dispose();
    throw err;
  }
}

export function disposeAttackRun(run: AttackRun): void {
  run.adversarial.dispose();
  run.targets?.dispose();
  run.success.dispose();
}

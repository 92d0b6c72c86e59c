/**
 * One entry point for every gradient attack: resolves the options, chooses targets, dispatches to
 * FGSM or the projected-gradient iteration, and reports per-example success. The caller owns the
 * returned tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import type { LongTask } from '../util/progress';
import { autoProjectedGradientAttack } from './apgd';
import { apgdTargeted, autoAttackLite } from './autoAttackLite';
import { carliniWagnerL2 } from './carliniWagner';
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
  const targets = await chooseTargets(o.target, logitsFn, x, labels, numClasses, o.seed);
  const goal: AttackGoal = { labels, targets };
  try {
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
      return { adversarial: cw.adversarial, targets, success, options: o, minimalL2: cw.distances };
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
      return { adversarial: run.adversarial, targets, success, options: o };
    }
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

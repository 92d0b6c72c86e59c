/**
 * Projected gradient ascent on the attack objective: PGD (Madry et al. 2018) with a uniform
 * random start in the ε-ball and restarts, and BIM / I-FGSM (Kurakin et al. 2016), which is the
 * same iteration started at x with one run.
 *
 *   x₀ = x (+ δ₀ ~ U(ball) for PGD), clipped to [0,1]
 *   x_{t+1} = Π_{ball(x,ε) ∩ [0,1]^d}( x_t + α·dir(∇ₓL(x_t)) ),  dir = sign (L∞) or g/‖g‖₂ (L2)
 *
 * Restarts are aggregated per example (the max in Madry et al. 2018, eq. 2.1, is per example):
 * an example keeps the run that succeeded, or, if none did, the run with the highest objective.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { attackObjective, attackSucceeded, objectiveGradient, type AttackGoal } from './objective';
import { projectPerturbed, steepestAscentDirection, uniformInBall } from './norms';
import type { Norm } from './types';

export interface IterativeAttackParams {
  eps: number;
  alpha: number;
  steps: number;
  norm: Norm;
  randomStart: boolean;
  restarts: number;
  seed: number;
  /**
   * When x is the slice [start, start + n) of a larger batch of `total` (a chunk), the random
   * starts are those of the whole batch, so chunked and unchunked runs agree.
   */
  batch?: { start: number; total: number };
}

/** The random start δ₀ of restart r: drawn for the whole batch, then this chunk's rows. */
function randomStart(x: tf.Tensor4D, p: IterativeAttackParams, r: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const total = p.batch?.total ?? n;
  const start = p.batch?.start ?? 0;
  const delta = uniformInBall([total, h, w, c], p.eps, p.norm, p.seed + 7919 * r);
  return total === n ? delta : (tf.slice(delta, start, n) as tf.Tensor4D);
}

/** Bonus added to the score of a successful run so it beats any unsuccessful one. */
const SUCCESS_BONUS = 1e6;

export async function projectedGradientAttack(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  goal: AttackGoal,
  p: IterativeAttackParams,
  task?: LongTask,
): Promise<tf.Tensor4D> {
  let best: tf.Tensor4D | undefined;
  let bestScore: tf.Tensor1D | undefined;
  const totalSteps = p.restarts * p.steps;
  try {
    for (let r = 0; r < p.restarts; r++) {
      let xAdv = tf.tidy(() =>
        p.randomStart && p.eps > 0 ? (tf.clipByValue(tf.add(x, randomStart(x, p, r)), 0, 1) as tf.Tensor4D) : x.clone(),
      );
      try {
        for (let t = 0; t < p.steps; t++) {
          throwIfCancelled(task);
          const next = tf.tidy(() => {
            const grad = objectiveGradient(logitsFn, xAdv, goal);
            const stepped = tf.add(xAdv, tf.mul(p.alpha, steepestAscentDirection(grad, p.norm))) as tf.Tensor4D;
            return projectPerturbed(x, stepped, p.eps, p.norm);
          });
          xAdv.dispose();
          xAdv = next;
          if (task?.onProgress) {
            const done = r * p.steps + t + 1;
            task.onProgress({
              fraction: done / totalSteps,
              message: `restart ${r + 1}/${p.restarts}, step ${t + 1}/${p.steps}`,
            });
          }
          if (task) await yieldToEventLoop();
        }
      } catch (err) {
        xAdv.dispose();
        throw err;
      }
      if (p.restarts === 1) return xAdv;
      const score = tf.tidy(() => {
        const logits = logitsFn(xAdv);
        return tf.add(
          attackObjective(logits, goal),
          tf.mul(attackSucceeded(logits, goal), SUCCESS_BONUS),
        ) as tf.Tensor1D;
      });
      if (!best || !bestScore) {
        best = xAdv;
        bestScore = score;
        continue;
      }
      const [nextBest, nextScore] = tf.tidy(() => {
        const better = tf.greater(score, bestScore!);
        const mask = better.reshape([-1, 1, 1, 1]).tile([1, ...x.shape.slice(1)]);
        return [tf.where(mask, xAdv, best!) as tf.Tensor4D, tf.where(better, score, bestScore!) as tf.Tensor1D];
      });
      best.dispose();
      bestScore.dispose();
      xAdv.dispose();
      score.dispose();
      best = nextBest;
      bestScore = nextScore;
    }
    bestScore?.dispose();
    const result = best!;
    best = undefined;
    return result;
  } catch (err) {
    best?.dispose();
    bestScore?.dispose();
    throw err;
  }
}

/**
 * Auto-PGD (Croce & Hein 2020, "Reliable evaluation of adversarial robustness with an ensemble of diverse
 * parameter-free attacks", §3, Algorithm 1): PGD whose step size needs no tuning.
 *
 *   η⁽⁰⁾ = 2ε;  z⁽ᵏ⁺¹⁾ = P(x⁽ᵏ⁾ + η·dir(∇f(x⁽ᵏ⁾)))
 *   x⁽ᵏ⁺¹⁾ = P(x⁽ᵏ⁾ + α(z⁽ᵏ⁺¹⁾ − x⁽ᵏ⁾) + (1 − α)(x⁽ᵏ⁾ − x⁽ᵏ⁻¹⁾)),  α = 0.75 (α = 1 on the first step)
 *
 * with P the projection onto the ε-ball ∩ [0,1]^d and dir = sign (L∞) or g/‖g‖₂ (L2). At checkpoints w_j —
 * p₀ = 0, p₁ = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06), w_j = ⌈p_j·N⌉ — an example halves its step
 * and restarts from its best point when (1) its objective rose in fewer than ρ = 0.75 of the steps since the last
 * checkpoint, or (2) neither its step nor its best objective changed since then. Everything is per example. The
 * best point (highest objective) and any iterate that fooled the model are kept: the attack is only as strong as
 * the best thing it ever saw (§3.2 and the authors' AutoAttack code).
 *
 * The random start is the authors': x + ε·t/‖t‖ with t ~ U(−1, 1)^d (L∞) or N(0, I) (L2), i.e. on the sphere.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import { tfNormalSeed } from '../util/random';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { l2NormPerExample, linfNormPerExample, projectPerturbed, steepestAscentDirection } from './norms';
import { attackSucceeded, objectiveValueAndGradient, type AttackGoal } from './objective';
import type { Norm } from './types';

/** Croce & Hein's defaults (§3.1); their 100 iterations are the attack schema's (core/options/attackOptions.ts). */
export const APGD_MOMENTUM = 0.75;
export const APGD_RHO = 0.75;
export const APGD_INITIAL_STEP_FACTOR = 2;
const FIRST_CHECKPOINT = 0.22;
const CHECKPOINT_DECREASE = 0.03;
const MIN_CHECKPOINT_GAP = 0.06;
const TINY = 1e-12;

export interface ApgdParams {
  eps: number;
  norm: Norm;
  /** N_iter: iterations per run. */
  steps: number;
  /** Runs from fresh random starts; each later run attacks only the examples not yet fooled. */
  restarts: number;
  seed: number;
}

/**
 * What counts as a success: the goal's own (argmax = target when targeted, ≠ label otherwise), or any
 * misclassification (APGD-T in AutoAttack aims at one class but is satisfied by any wrong one).
 */
export type ApgdSuccess = 'goal' | 'misclassified';

/** Progress within a longer run (restarts, AutoAttack-lite's members), and a window on the step-size schedule. */
export interface ApgdTask extends LongTask {
  stepOffset?: number;
  totalSteps?: number;
  /** Called after each checkpoint with the iteration count and every example's step size (for teaching and tests). */
  onCheckpoint?: (iteration: number, stepSizes: Float32Array) => void;
}

export interface ApgdResult {
  /** Per example: an iterate that succeeded if one did, else the iterate with the highest objective. */
  adversarial: tf.Tensor4D;
  /** float [n], 1 where some iterate succeeded. */
  success: tf.Tensor1D;
}

/**
 * The iteration counts after which APGD checks its progress, for a budget of `steps` iterations: ⌈p_j·N⌉ with
 * gaps 0.22·N, then shrinking by 0.03·N, never below 0.06·N (as whole iterations, at least 1; the authors' code).
 */
export function apgdCheckpoints(steps: number): number[] {
  const out: number[] = [];
  let gap = Math.max(Math.floor(FIRST_CHECKPOINT * steps), 1);
  const decrease = Math.max(Math.floor(CHECKPOINT_DECREASE * steps), 1);
  const minGap = Math.max(Math.floor(MIN_CHECKPOINT_GAP * steps), 1);
  for (let at = gap; at <= steps; at += gap) {
    out.push(at);
    gap = Math.max(gap - decrease, minGap);
  }
  return out;
}

/** A random start on the ε-sphere of the norm, in [0,1] (the authors' initialisation). */
function randomStart(x: tf.Tensor4D, eps: number, norm: Norm, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const t =
      norm === 'linf'
        ? tf.randomUniform(x.shape, -1, 1, 'float32', seed)
        : tf.randomNormal(x.shape, 0, 1, 'float32', tfNormalSeed(seed));
    const size = norm === 'linf' ? linfNormPerExample(t) : l2NormPerExample(t);
    return tf.clipByValue(tf.add(x, tf.mul(eps, tf.div(t, tf.add(size, TINY)))), 0, 1) as tf.Tensor4D;
  });
}

const asColumn = (v: tf.Tensor) => v.reshape([-1, 1, 1, 1]) as tf.Tensor4D;

/**
 * The per-example tensors one APGD run carries from iteration to iteration, by name: setting one disposes the
 * tensor it replaces, and `dispose` frees them all (the run's `finally`).
 */
class ApgdState {
  private readonly slots: Record<string, tf.Tensor> = {};

  get<T extends tf.Tensor = tf.Tensor4D>(name: string): T {
    return this.slots[name] as T;
  }

  set(name: string, t: tf.Tensor): void {
    this.slots[name]?.dispose();
    this.slots[name] = t;
  }

  /** Sets without disposing the old tensor (it has moved to another slot). */
  move(name: string, t: tf.Tensor): void {
    this.slots[name] = t;
  }

  dispose(): void {
    for (const t of Object.values(this.slots)) t.dispose();
  }
}

/** Whether each example's logits count as a success for this run. */
type SuccessTest = (logits: tf.Tensor2D) => tf.Tensor;

/** The random start, its objective and gradient, and every slot the loop reads, before the first step. */
function startRun(
  s: ApgdState,
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  goal: AttackGoal,
  p: Omit<ApgdParams, 'restarts'>,
  succeeded: SuccessTest,
): void {
  const n = x.shape[0];
  s.set('xAdv', randomStart(x, p.eps, p.norm, p.seed));
  const first = objectiveValueAndGradient(logitsFn, s.get('xAdv'), goal);
  s.set('grad', first.grad);
  s.set('loss', first.value);
  s.set(
    'fooled',
    tf.tidy(() => succeeded(first.logits)),
  );
  first.logits.dispose();
  s.set('xPrev', s.get('xAdv').clone());
  s.set('xBest', s.get('xAdv').clone());
  s.set('xFooled', s.get('xAdv').clone());
  s.set('gradBest', s.get('grad').clone());
  s.set('lossBest', s.get('loss').clone());
  s.set('step', tf.fill([n, 1, 1, 1], APGD_INITIAL_STEP_FACTOR * p.eps));
  s.set('increases', tf.zeros([n]));
  s.set('lossBestAtCheck', s.get('loss').clone());
  s.set('reducedAtCheck', tf.ones([n]));
}

/**
 * Croce & Hein's momentum step (Algorithm 1): z = P(x⁽ᵏ⁾ + η·dir(∇)), then
 * x⁽ᵏ⁺¹⁾ = P(x⁽ᵏ⁾ + α(z − x⁽ᵏ⁾) + (1 − α)(x⁽ᵏ⁾ − x⁽ᵏ⁻¹⁾)).
 */
function momentumStep(s: ApgdState, x: tf.Tensor4D, p: Omit<ApgdParams, 'restarts'>, a: number): tf.Tensor4D {
  return tf.tidy(() => {
    const xAdv = s.get('xAdv');
    const momentum = tf.sub(xAdv, s.get('xPrev'));
    const z = projectPerturbed(
      x,
      tf.add(xAdv, tf.mul(s.get('step'), steepestAscentDirection(s.get('grad'), p.norm))) as tf.Tensor4D,
      p.eps,
      p.norm,
    );
    const moved = tf.add(tf.add(xAdv, tf.mul(tf.sub(z, xAdv), a)), tf.mul(momentum, 1 - a)) as tf.Tensor4D;
    return projectPerturbed(x, moved, p.eps, p.norm);
  });
}

/**
 * Takes the new iterate in: counts the examples whose objective rose, keeps any iterate that fooled the model,
 * and the best point (highest objective) with its gradient.
 */
function takeIterate(
  s: ApgdState,
  next: tf.Tensor4D,
  logitsFn: LogitsFn,
  goal: AttackGoal,
  succeeded: SuccessTest,
): void {
  s.set('xPrev', s.get('xAdv'));
  s.move('xAdv', next); // the old iterate moved to xPrev (not disposed)
  const { value, grad, logits } = objectiveValueAndGradient(logitsFn, next, goal);
  const fooledNow = tf.tidy(() => succeeded(logits));
  logits.dispose();
  s.set(
    'increases',
    tf.tidy(() => tf.add(s.get('increases'), tf.greater(value, s.get('loss')).toFloat())),
  );
  s.set('loss', value);
  s.set('grad', grad);
  s.set(
    'xFooled',
    tf.tidy(() => tf.where(asColumn(fooledNow).cast('bool'), next, s.get('xFooled'))),
  );
  s.set(
    'fooled',
    tf.tidy(() => tf.maximum(s.get('fooled'), fooledNow)),
  );
  fooledNow.dispose();
  const improved = tf.tidy(() => tf.greater(value, s.get('lossBest')));
  s.set(
    'xBest',
    tf.tidy(() => tf.where(asColumn(improved.toFloat()).cast('bool'), next, s.get('xBest'))),
  );
  s.set(
    'gradBest',
    tf.tidy(() => tf.where(asColumn(improved.toFloat()).cast('bool'), grad, s.get('gradBest'))),
  );
  s.set(
    'lossBest',
    tf.tidy(() => tf.where(improved, value, s.get('lossBest'))),
  );
  improved.dispose();
}

/**
 * The step-size rule at a checkpoint (§3.2): an example whose objective rose in at most ρ of the `gap` steps
 * since the last checkpoint, or whose step and best objective both stayed, halves its step and restarts from its
 * best point with that point's gradient.
 */
function checkpointStepRule(s: ApgdState, gap: number, n: number): void {
  const reduce = tf.tidy(() => {
    const oscillating = tf.lessEqual(s.get('increases'), gap * APGD_RHO);
    const stalled = tf.logicalAnd(
      tf.equal(s.get('reducedAtCheck'), 0),
      tf.greaterEqual(s.get('lossBestAtCheck'), s.get('lossBest')),
    );
    return tf.logicalOr(oscillating, stalled);
  });
  const column = tf.tidy(() => asColumn(reduce.toFloat()).cast('bool'));
  s.set(
    'step',
    tf.tidy(() => tf.where(column, tf.div(s.get('step'), 2), s.get('step'))),
  );
  s.set(
    'xAdv',
    tf.tidy(() => tf.where(column, s.get('xBest'), s.get('xAdv'))),
  );
  s.set(
    'grad',
    tf.tidy(() => tf.where(column, s.get('gradBest'), s.get('grad'))),
  );
  s.set('reducedAtCheck', reduce.toFloat());
  s.set('lossBestAtCheck', s.get('lossBest').clone());
  s.set('increases', tf.zeros([n]));
  reduce.dispose();
  column.dispose();
}

/** One APGD run on the whole batch. */
export async function apgdRun(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  goal: AttackGoal,
  p: Omit<ApgdParams, 'restarts'>,
  success: ApgdSuccess = 'goal',
  task?: ApgdTask,
): Promise<ApgdResult> {
  const n = x.shape[0];
  const succeeded: SuccessTest = (logits) =>
    success === 'goal' ? attackSucceeded(logits, goal) : attackSucceeded(logits, { labels: goal.labels });
  const checkpoints = new Set(apgdCheckpoints(p.steps));
  let windowStart = 0;
  const s = new ApgdState();
  try {
    startRun(s, logitsFn, x, goal, p, succeeded);
    for (let i = 0; i < p.steps; i++) {
      throwIfCancelled(task);
      const next = momentumStep(s, x, p, i === 0 ? 1 : APGD_MOMENTUM);
      takeIterate(s, next, logitsFn, goal, succeeded);
      if (checkpoints.has(i + 1)) {
        checkpointStepRule(s, i + 1 - windowStart, n);
        windowStart = i + 1;
        if (task?.onCheckpoint) task.onCheckpoint(i + 1, (await s.get('step').data()) as Float32Array);
      }
      if (task?.onProgress) {
        const done = (task.stepOffset ?? 0) + i + 1;
        task.onProgress({ fraction: done / (task.totalSteps ?? p.steps), message: `APGD step ${i + 1}/${p.steps}` });
      }
      if (task) await yieldToEventLoop();
    }
    const adversarial = tf.tidy(() =>
      tf.where(asColumn(s.get('fooled')).cast('bool'), s.get('xFooled'), s.get('xBest')),
    );
    return { adversarial: adversarial as tf.Tensor4D, success: s.get<tf.Tensor1D>('fooled').clone() };
  } finally {
    s.dispose();
  }
}

/**
 * APGD with restarts: run 1 on the batch, then each further run (a new random start) on the examples no run has
 * fooled yet — the authors' way, which also saves work. Returns per example the first success found, or the last
 * run's best point.
 */
export async function autoProjectedGradientAttack(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  goal: AttackGoal,
  p: ApgdParams,
  success: ApgdSuccess = 'goal',
  task?: ApgdTask,
): Promise<ApgdResult> {
  const totalSteps = task?.totalSteps ?? p.restarts * p.steps;
  const offset = task?.stepOffset ?? 0;
  let result = await apgdRun(logitsFn, x, goal, { ...p }, success, { ...task, stepOffset: offset, totalSteps });
  for (let r = 1; r < p.restarts; r++) {
    const fooled = await result.success.data();
    const remaining = Int32Array.from(Array.from(fooled.keys()).filter((i) => fooled[i] === 0));
    if (remaining.length === 0) break;
    result = await onSubset(x, goal, remaining, result, (xs, gs) =>
      apgdRun(logitsFn, xs, gs, { ...p, seed: p.seed + 7919 * r }, success, {
        ...task,
        stepOffset: offset + r * p.steps,
        totalSteps,
      }),
    );
  }
  return result;
}

/**
 * Runs `attack` on the examples at `indices` and writes its adversarial points and successes back into `prior`
 * (which it consumes): where the subset run succeeded, its point replaces the prior one.
 */
export async function onSubset(
  x: tf.Tensor4D,
  goal: AttackGoal,
  indices: Int32Array,
  prior: ApgdResult,
  attack: (xs: tf.Tensor4D, goal: AttackGoal) => Promise<ApgdResult>,
): Promise<ApgdResult> {
  const idx = tf.tensor1d(indices, 'int32');
  const xs = tf.gather(x, idx) as tf.Tensor4D;
  const sub: AttackGoal = {
    labels: tf.gather(goal.labels, idx) as tf.Tensor1D,
    targets: goal.targets ? (tf.gather(goal.targets, idx) as tf.Tensor1D) : undefined,
    loss: goal.loss,
  };
  try {
    const run = await attack(xs, sub);
    const merged = tf.tidy(() => {
      const n = x.shape[0];
      // Scatter the subset back: rows outside the subset get 0 and a "not from the subset" flag.
      const shape = [n, ...x.shape.slice(1)];
      const adv = tf.scatterND(tf.expandDims(idx, 1), run.adversarial, shape);
      const won = tf.scatterND(tf.expandDims(idx, 1), run.success, [n]);
      const column = won.reshape([-1, 1, 1, 1]).cast('bool');
      return {
        adversarial: tf.where(column, adv, prior.adversarial) as tf.Tensor4D,
        success: tf.maximum(prior.success, won) as tf.Tensor1D,
      };
    });
    run.adversarial.dispose();
    run.success.dispose();
    return merged;
  } finally {
    prior.adversarial.dispose();
    prior.success.dispose();
    tf.dispose([idx, xs, sub.labels, ...(sub.targets ? [sub.targets] : [])]);
  }
}

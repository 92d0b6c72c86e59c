/**
 * The smallest L∞ budget at which PGD (Madry et al. 2018, §2.1) breaks each example, by bisection
 * on ε (an attack's upper bound on the safe radius). Per example: run PGD at the top of the bracket;
 * then halve the bracket, moving its top down where PGD succeeded and its bottom up where it
 * failed. The bracket's top is an upper bound on the robust radius (an adversarial example was
 * found there); its bottom is only "PGD failed here", not a certificate.
 *
 * Bisection assumes success is monotone in ε, which holds for an exact attack and only
 * approximately for PGD. Every bracket starts as [0, ε_max], so at each round the midpoints are
 * dyadic fractions of ε_max shared by many examples: the examples are grouped by midpoint and each
 * group runs as one batch of the existing PGD (which takes one scalar ε).
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import { InvalidOptionError } from '../util/errors';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { attackSucceeded } from '../attacks/objective';
import { projectedGradientAttack } from '../attacks/pgd';
import { MARGINS_FIELDS } from '../options/analysisOptions';
import { defaultStepSize, MAX_RESTARTS, MAX_STEPS } from '../options/attackOptions';

/** Above ε = 0.5 every MNIST image can be turned into the same grey image: nothing survives. */
export const DEFAULT_BISECTION_EPS_MAX = MARGINS_FIELDS.epsMax.default;
/** One grey level: finer resolution than a saved 8-bit image can carry means nothing. */
export const DEFAULT_BISECTION_TOLERANCE = 1 / 255;
export const DEFAULT_BISECTION_PGD_STEPS = MARGINS_FIELDS.bisectionSteps.default;

export interface BisectionOptions {
  epsMax?: number;
  tolerance?: number;
  steps?: number;
  restarts?: number;
  seed?: number;
}

export interface MinimalDistanceResult {
  /** Smallest ε found adversarial per example; 0 when misclassified clean; Infinity when PGD failed at ε_max. */
  upper: Float64Array;
  /** Largest ε at which PGD failed (not a certificate). */
  lower: Float64Array;
  /** Batched PGD runs used. */
  pgdRuns: number;
  options: Required<BisectionOptions>;
}

function resolve(o: BisectionOptions): Required<BisectionOptions> {
  const r = {
    epsMax: o.epsMax ?? DEFAULT_BISECTION_EPS_MAX,
    tolerance: o.tolerance ?? DEFAULT_BISECTION_TOLERANCE,
    steps: o.steps ?? DEFAULT_BISECTION_PGD_STEPS,
    restarts: o.restarts ?? 1,
    seed: o.seed ?? 0,
  };
  if (!(r.epsMax > 0 && r.epsMax <= 1)) throw new InvalidOptionError(`ε_max must be in (0, 1], got ${r.epsMax}.`);
  if (!(r.tolerance > 0 && r.tolerance < r.epsMax))
    throw new InvalidOptionError(`The tolerance must be in (0, ε_max), got ${r.tolerance}.`);
  if (!(Number.isInteger(r.steps) && r.steps >= 1 && r.steps <= MAX_STEPS))
    throw new InvalidOptionError(`PGD steps must be 1 to ${MAX_STEPS}, got ${r.steps}.`);
  if (!(Number.isInteger(r.restarts) && r.restarts >= 1 && r.restarts <= MAX_RESTARTS))
    throw new InvalidOptionError(`Restarts must be 1 to ${MAX_RESTARTS}, got ${r.restarts}.`);
  return r;
}

/** 1/0 per example: does L∞ PGD at ε find an adversarial example for the examples at `indices`? */
async function pgdSucceeds(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  indices: number[],
  eps: number,
  o: Required<BisectionOptions>,
  task?: LongTask,
): Promise<Uint8Array> {
  const idx = tf.tensor1d(indices, 'int32');
  const xs = tf.gather(x, idx) as tf.Tensor4D;
  const ys = tf.gather(labels, idx) as tf.Tensor1D;
  try {
    const adv = await projectedGradientAttack(
      logitsFn,
      xs,
      { labels: ys },
      {
        eps,
        alpha: defaultStepSize(eps, o.steps),
        steps: o.steps,
        norm: 'linf',
        randomStart: true,
        restarts: o.restarts,
        seed: o.seed,
      },
      { isCancelled: task?.isCancelled },
    );
    const success = tf.tidy(() => attackSucceeded(logitsFn(adv), { labels: ys }));
    const out = Uint8Array.from(await success.data());
    tf.dispose([adv, success]);
    return out;
  } finally {
    tf.dispose([idx, xs, ys]);
  }
}

export async function pgdMinimalLinfDistance(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: BisectionOptions = {},
  task?: LongTask,
): Promise<MinimalDistanceResult> {
  const o = resolve(options);
  const n = x.shape[0];
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const pred = tf.tidy(() => tf.equal(tf.argMax(logitsFn(x), 1), labels));
  const correct = await pred.data();
  pred.dispose();
  const rounds = Math.ceil(Math.log2(o.epsMax / o.tolerance));
  let pgdRuns = 0;
  const report = (done: number, message: string) => task?.onProgress?.({ fraction: done / (rounds + 1), message });

  // Round 0: the whole budget. Examples PGD cannot break there keep upper = ∞.
  let active: number[] = [];
  const candidates = Array.from({ length: n }, (_, i) => i).filter((i) => correct[i]);
  if (candidates.length > 0) {
    throwIfCancelled(task);
    const ok = await pgdSucceeds(logitsFn, x, labels, candidates, o.epsMax, o, task);
    pgdRuns++;
    candidates.forEach((i, k) => {
      if (ok[k]) {
        upper[i] = o.epsMax;
        active.push(i);
      } else {
        upper[i] = Infinity;
        lower[i] = o.epsMax;
      }
    });
  }
  report(1, `ε = ${o.epsMax}`);
  for (let round = 0; round < rounds && active.length > 0; round++) {
    const groups = new Map<number, number[]>();
    for (const i of active) {
      const mid = (lower[i] + upper[i]) / 2;
      groups.set(mid, [...(groups.get(mid) ?? []), i]);
    }
    for (const [mid, members] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
      throwIfCancelled(task);
      const ok = await pgdSucceeds(logitsFn, x, labels, members, mid, o, task);
      pgdRuns++;
      members.forEach((i, k) => {
        if (ok[k]) upper[i] = mid;
        else lower[i] = mid;
      });
    }
    active = active.filter((i) => upper[i] - lower[i] > o.tolerance);
    report(round + 2, `bisection round ${round + 1}/${rounds}`);
    if (task) await yieldToEventLoop();
  }
  return { upper, lower, pgdRuns, options: o };
}

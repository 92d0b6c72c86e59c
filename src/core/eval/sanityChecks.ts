/**
 * Red flags of a broken or gradient-masked robustness evaluation (Carlini et al. 2019, "On
 * Evaluating Adversarial Robustness", §5). Each check is a pure
 * function of measured accuracies, so it also applies to sweep results, plus one runner that
 * makes the measurements. A check passes when the red flag is absent:
 *
 *   pgd-not-weaker-than-fgsm   PGD accuracy ≤ FGSM accuracy at the same ε (an iterative attack
 *                              that does worse than its own first step is a bug or masking)
 *   large-eps-breaks-model     at a budget that allows any image, accuracy is near 0
 *   gradient-beats-noise       random noise of the same norm hurts less than the gradient attack
 *   converged-in-steps         4× the PGD steps does not lower accuracy further
 *   converged-in-restarts      4× the restarts does not lower accuracy further
 *   apgd-not-weaker-than-pgd   APGD-CE accuracy ≤ PGD accuracy at the same ε and iterations (Croce & Hein 2020:
 *                              APGD is PGD with a step size it adapts; losing to plain PGD is a bug or masking)
 *   restarts-never-raise       more restarts never raise accuracy (restarts are aggregated per example: an
 *                              image broken once stays broken; a rise means restarts are chosen per batch)
 *   fgsm-not-far-above-pgd     a model that resists FGSM but falls to PGD has learnt to defeat one step, not
 *                              to be robust — what FGSM training without a random start produces (Wong, Rice &
 *                              Kolter 2020, §4: catastrophic overfitting)
 *
 * Accuracies are compared with a slack of max(1 percentage point, one image), so that a single
 * image flipping between two runs is not reported as a problem.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range, takeFirst, type ImageDataset } from '../data/dataset';
import type { Classifier } from '../models/classifier';
import { normMatchedNoise } from '../attacks/normMatchedNoise';
import type { Norm } from '../attacks/types';
import { InvalidOptionError } from '../util/errors';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { robustAccuracy } from './robustAccuracy';
import type { SweepSummary } from './robustnessSweep';
import { threatFor } from './robustnessSweep';

export const SANITY_TOLERANCE = 0.01;
/** "Near 0": Carlini et al. expect 100 % attack success once the budget allows any image. */
export const NEAR_ZERO_ACCURACY = 0.05;
/**
 * Budgets that allow any image on [0,1]^784: every pixel may move by 1 (L∞); 10 > ‖x − x'‖₂ for most digit pairs (L2).
 */
export const UNBOUNDED_EPS: Record<Norm, number> = { linf: 1, l2: 10 };
export const CONVERGENCE_FACTOR = 4;

export type SanityCheckId =
  | 'pgd-not-weaker-than-fgsm'
  | 'large-eps-breaks-model'
  | 'gradient-beats-noise'
  | 'converged-in-steps'
  | 'converged-in-restarts'
  | 'apgd-not-weaker-than-pgd'
  | 'restarts-never-raise'
  | 'fgsm-not-far-above-pgd';

/** FGSM accuracy above this with PGD under a quarter of it: the signature of catastrophic overfitting. */
export const FGSM_COLLAPSE_MIN_ACCURACY = 0.5;
export const FGSM_COLLAPSE_RATIO = 4;

export interface SanityCheck {
  id: SanityCheckId;
  passed: boolean;
  message: string;
  /** The model the check is about, where several were measured together (a sweep). */
  model?: string;
}

const pct = (a: number) => `${(100 * a).toFixed(1)} %`;

export function sanityTolerance(n: number): number {
  return Math.max(SANITY_TOLERANCE, n > 0 ? 1 / n : 0);
}

export function checkPgdNotWeakerThanFgsm(
  fgsmAccuracy: number,
  pgdAccuracy: number,
  eps: number,
  tolerance = SANITY_TOLERANCE,
): SanityCheck {
  const passed = pgdAccuracy <= fgsmAccuracy + tolerance;
  return {
    id: 'pgd-not-weaker-than-fgsm',
    passed,
    message: passed
      ? `At ε = ${eps}, PGD (${pct(pgdAccuracy)}) is at least as strong as FGSM (${pct(fgsmAccuracy)}).`
      : `At ε = ${eps}, PGD leaves ${pct(pgdAccuracy)} accurate but FGSM only ${pct(fgsmAccuracy)}: PGD is weaker ` +
        `than its own first step — a bug, a too-small step size, or gradient masking.`,
  };
}

export function checkLargeEpsBreaksModel(accuracy: number, eps: number, threshold = NEAR_ZERO_ACCURACY): SanityCheck {
  const passed = accuracy <= threshold;
  return {
    id: 'large-eps-breaks-model',
    passed,
    message: passed
      ? `At ε = ${eps}, accuracy falls to ${pct(accuracy)}: the attack breaks the model when the budget allows it.`
      : `At ε = ${eps}, accuracy is still ${pct(accuracy)} (expected ≤ ${pct(threshold)}): an attack that cannot ` +
        `win with a budget this large is not working — suspect gradient masking or a bug.`,
  };
}

export function checkGradientBeatsNoise(
  noiseAccuracy: number,
  gradientAccuracy: number,
  eps: number,
  norm: Norm,
  tolerance = SANITY_TOLERANCE,
): SanityCheck {
  const passed = noiseAccuracy + tolerance >= gradientAccuracy;
  return {
    id: 'gradient-beats-noise',
    passed,
    message: passed
      ? `At ${norm} ε = ${eps}, random noise of the same norm leaves ${pct(noiseAccuracy)} accurate, the gradient ` +
        `attack ${pct(gradientAccuracy)}.`
      : `At ${norm} ε = ${eps}, random noise of the same norm (${pct(noiseAccuracy)}) hurts more than the gradient ` +
        `attack (${pct(gradientAccuracy)}): the gradients are not pointing anywhere useful.`,
  };
}

export function checkConverged(
  id: 'converged-in-steps' | 'converged-in-restarts',
  baseAccuracy: number,
  strongerAccuracy: number,
  description: string,
  tolerance = SANITY_TOLERANCE,
): SanityCheck {
  const passed = strongerAccuracy >= baseAccuracy - tolerance;
  return {
    id,
    passed,
    message: passed
      ? `${description} leaves accuracy at ${pct(strongerAccuracy)} (was ${pct(baseAccuracy)}): the attack had ` +
        `converged.`
      : `${description} lowers accuracy from ${pct(baseAccuracy)} to ${pct(strongerAccuracy)}: the attack had not ` +
        `converged; report the stronger figure.`,
  };
}

export function checkApgdNotWeakerThanPgd(
  pgdAccuracy: number,
  apgdAccuracy: number,
  eps: number,
  tolerance = SANITY_TOLERANCE,
): SanityCheck {
  const passed = apgdAccuracy <= pgdAccuracy + tolerance;
  return {
    id: 'apgd-not-weaker-than-pgd',
    passed,
    message: passed
      ? `At ε = ${eps}, APGD-CE (${pct(apgdAccuracy)}) is at least as strong as PGD (${pct(pgdAccuracy)}).`
      : `At ε = ${eps}, APGD-CE leaves ${pct(apgdAccuracy)} accurate but PGD only ${pct(pgdAccuracy)}: APGD ` +
        `should never lose to PGD with the same iterations — a bug, or a loss surface that defeats step-size ` +
        `control (try APGD-DLR).`,
  };
}

export function checkRestartsNeverRaise(
  fewerAccuracy: number,
  moreAccuracy: number,
  description: string,
  tolerance = SANITY_TOLERANCE,
): SanityCheck {
  const passed = moreAccuracy <= fewerAccuracy + tolerance;
  return {
    id: 'restarts-never-raise',
    passed,
    message: passed
      ? `${description} does not raise accuracy (${pct(fewerAccuracy)} → ${pct(moreAccuracy)}).`
      : `${description} raises accuracy from ${pct(fewerAccuracy)} to ${pct(moreAccuracy)}: restarts must be ` +
        `aggregated per image (an image broken by any restart stays broken).`,
  };
}

export function checkFgsmNotFarAbovePgd(fgsmAccuracy: number, pgdAccuracy: number, eps: number): SanityCheck {
  const passed = !(fgsmAccuracy >= FGSM_COLLAPSE_MIN_ACCURACY && pgdAccuracy < fgsmAccuracy / FGSM_COLLAPSE_RATIO);
  return {
    id: 'fgsm-not-far-above-pgd',
    passed,
    message: passed
      ? `At ε = ${eps}, FGSM (${pct(fgsmAccuracy)}) and PGD (${pct(pgdAccuracy)}) tell a consistent story.`
      : `At ε = ${eps}, the model resists FGSM (${pct(fgsmAccuracy)}) but PGD leaves only ${pct(pgdAccuracy)}: it ` +
        `has learnt to defeat a single gradient step, not to be robust — the catastrophic overfitting of FGSM ` +
        `training without a random start (Wong, Rice & Kolter 2020).`,
  };
}

/**
 * The checks a sweep already has the numbers for, per model (each check names its model): PGD vs FGSM and APGD vs
 * PGD at every shared ε, and the strongest attack at the model's largest ε.
 */
export function sanityChecksFromSweep(summary: readonly SweepSummary[], tolerance = SANITY_TOLERANCE): SanityCheck[] {
  const checks: SanityCheck[] = [];
  const find = (model: string, attack: string, eps: number) =>
    summary.find((s) => s.model === model && s.attack === attack && s.eps === eps);
  for (const model of new Set(summary.map((s) => s.model))) {
    const of = (c: SanityCheck): SanityCheck => ({ ...c, model });
    for (const s of summary) {
      if (s.model !== model || s.attack !== 'pgd' || !(s.eps > 0)) continue;
      const f = find(model, 'fgsm', s.eps);
      if (f) {
        checks.push(of(checkPgdNotWeakerThanFgsm(f.mean, s.mean, s.eps, tolerance)));
        checks.push(of(checkFgsmNotFarAbovePgd(f.mean, s.mean, s.eps)));
      }
      const a = find(model, 'apgd-ce', s.eps);
      if (a) checks.push(of(checkApgdNotWeakerThanPgd(s.mean, a.mean, s.eps, tolerance)));
    }
    const gradient = summary.filter((s) => s.model === model && s.attack !== 'gaussian');
    if (gradient.length > 0) {
      const largest = Math.max(...gradient.map((s) => s.eps));
      const strongest = Math.min(...gradient.filter((s) => s.eps === largest).map((s) => s.mean));
      checks.push(of(checkLargeEpsBreaksModel(strongest, largest)));
    }
  }
  return checks;
}

export interface SanityRunOptions {
  eps: number;
  norm?: Norm;
  steps?: number;
  restarts?: number;
  seed?: number;
  /** The budget for the large-ε check (UNBOUNDED_EPS by default). */
  largeEps?: number;
  images?: number;
  batchSize?: number;
}

export interface SanityRunResult {
  n: number;
  checks: SanityCheck[];
  /** Every accuracy the checks used. */
  accuracies: Record<string, number>;
}

/** Robust accuracy under norm-matched random noise (clean-and-perturbed correct, as elsewhere). */
async function noiseAccuracy(
  clf: Classifier,
  ds: ImageDataset,
  eps: number,
  norm: Norm,
  seed: number,
  batchSize: number,
  task?: LongTask,
): Promise<number> {
  let robust = 0;
  for (let start = 0; start < ds.count; start += batchSize) {
    throwIfCancelled(task);
    const { x, y } = batchTensors(ds, range(start, Math.min(ds.count, start + batchSize)));
    const count = tf.tidy(() => {
      const cleanOk = tf.equal(tf.argMax(clf.logits(x), 1), y);
      const noisyOk = tf.equal(tf.argMax(clf.logits(normMatchedNoise(x, eps, norm, seed + start)), 1), y);
      return tf.sum(tf.cast(tf.logicalAnd(cleanOk, noisyOk), 'int32'));
    });
    robust += (await count.data())[0];
    tf.dispose([x, y, count]);
    await yieldToEventLoop();
  }
  return ds.count ? robust / ds.count : 0;
}

export async function runSanityChecks(
  clf: Classifier,
  data: ImageDataset,
  o: SanityRunOptions,
  task?: LongTask,
): Promise<SanityRunResult> {
  const norm = o.norm ?? 'linf';
  if (!(o.eps > 0)) throw new InvalidOptionError(`The sanity checks need ε > 0, got ${o.eps}.`);
  const steps = o.steps ?? 20;
  const restarts = o.restarts ?? 1;
  const seed = o.seed ?? 0;
  const batchSize = o.batchSize ?? 256;
  const ds = o.images === undefined ? data : takeFirst(data, o.images);
  const tolerance = sanityTolerance(ds.count);
  const largeEps = o.largeEps ?? UNBOUNDED_EPS[norm];
  const runs: [string, () => Promise<number>][] = [];
  const accuracy = (attack: Parameters<typeof threatFor>[0], eps: number) => async () =>
    (await robustAccuracy(clf, ds, threatFor(attack, eps, seed), { batchSize, isCancelled: task?.isCancelled }))
      .robustAccuracy;
  runs.push(['fgsm', accuracy({ name: 'fgsm', norm }, o.eps)]);
  runs.push(['pgd', accuracy({ name: 'pgd', norm, steps, restarts }, o.eps)]);
  runs.push(['pgdLargeEps', accuracy({ name: 'pgd', norm, steps, restarts }, largeEps)]);
  runs.push(['noise', () => noiseAccuracy(clf, ds, o.eps, norm, seed, batchSize, task)]);
  runs.push(['pgdMoreSteps', accuracy({ name: 'pgd', norm, steps: steps * CONVERGENCE_FACTOR, restarts }, o.eps)]);
  runs.push([
    'pgdMoreRestarts',
    accuracy({ name: 'pgd', norm, steps, restarts: restarts * CONVERGENCE_FACTOR }, o.eps),
  ]);
  runs.push(['apgd', accuracy({ name: 'apgd-ce', norm, steps, restarts }, o.eps)]);
  const acc: Record<string, number> = {};
  for (const [i, [name, run]] of runs.entries()) {
    throwIfCancelled(task);
    task?.onProgress?.({ fraction: i / runs.length, message: `sanity check: ${name}` });
    acc[name] = await run();
  }
  task?.onProgress?.({ fraction: 1, message: 'sanity checks done' });
  return {
    n: ds.count,
    accuracies: acc,
    checks: [
      checkPgdNotWeakerThanFgsm(acc.fgsm, acc.pgd, o.eps, tolerance),
      checkLargeEpsBreaksModel(acc.pgdLargeEps, largeEps),
      checkGradientBeatsNoise(acc.noise, Math.min(acc.fgsm, acc.pgd), o.eps, norm, tolerance),
      checkConverged(
        'converged-in-steps',
        acc.pgd,
        acc.pgdMoreSteps,
        `PGD with ${steps * CONVERGENCE_FACTOR} steps instead of ${steps}`,
        tolerance,
      ),
      checkConverged(
        'converged-in-restarts',
        acc.pgd,
        acc.pgdMoreRestarts,
        `PGD with ${restarts * CONVERGENCE_FACTOR} restarts instead of ${restarts}`,
        tolerance,
      ),
      checkRestartsNeverRaise(
        acc.pgd,
        acc.pgdMoreRestarts,
        `PGD with ${restarts * CONVERGENCE_FACTOR} restarts instead of ${restarts}`,
        tolerance,
      ),
      checkApgdNotWeakerThanPgd(acc.pgd, acc.apgd, o.eps, tolerance),
      checkFgsmNotFarAbovePgd(acc.fgsm, acc.pgd, o.eps),
    ],
  };
}

/**
 * Defaults and validation of attack options, at the core's boundary: the UI, the URL and the
 * command line can all pass anything, so every attack entry point calls `resolveAttackOptions`.
 */
import { InvalidOptionError } from '../util/errors';
import {
  APGD_METHODS,
  ATTACK_METHODS,
  type AttackOptions,
  NORMS,
  type ResolvedAttackOptions,
  SELF_TARGETING_METHODS,
} from './types';

/**
 * Default step size α = 2.5·ε/steps: the total path (2.5·ε) can cross the whole ball and come
 * back, so the budget is reachable whatever the step count (α tied to ε;
 * the factor is Madry et al.'s choice for their MNIST challenge, 40 steps of 0.01 at ε = 0.3 ≈ 1.33·ε/steps,
 * rounded up as in foolbox/robustness-library practice).
 */
export const DEFAULT_STEP_SIZE_FACTOR = 2.5;
/** The one home of the gradient attacks' limits: the core refuses beyond them, the UI and the CLI read them here. */
export const MAX_STEPS = 1000;
export const MAX_RESTARTS = 100;
export const MAX_EPS_LINF = 1;
/** The L2 diameter of [0,1]^784 is 28; allow a little more for larger images. */
export const MAX_EPS_L2 = 100;

export function defaultStepSize(eps: number, steps: number): number {
  return (DEFAULT_STEP_SIZE_FACTOR * eps) / Math.max(1, steps);
}

export function resolveAttackOptions(o: AttackOptions, numClasses: number): ResolvedAttackOptions {
  if (!(ATTACK_METHODS as readonly string[]).includes(o.method)) {
    throw new InvalidOptionError(`Unknown attack "${o.method}". Choose one of: ${ATTACK_METHODS.join(', ')}.`);
  }
  if (!(NORMS as readonly string[]).includes(o.norm)) {
    throw new InvalidOptionError(`Unknown norm "${o.norm}". Choose linf or l2.`);
  }
  const maxEps = o.norm === 'linf' ? MAX_EPS_LINF : MAX_EPS_L2;
  if (!(Number.isFinite(o.eps) && o.eps >= 0 && o.eps <= maxEps)) {
    throw new InvalidOptionError(`ε must be between 0 and ${maxEps} for the ${o.norm} norm, got ${o.eps}.`);
  }
  const steps = o.method === 'fgsm' ? 1 : o.steps;
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= MAX_STEPS)) {
    throw new InvalidOptionError(`steps must be a whole number from 1 to ${MAX_STEPS}, got ${o.steps}.`);
  }
  const restarts = o.method === 'pgd' || APGD_METHODS.includes(o.method) ? o.restarts : 1;
  if (!(Number.isInteger(restarts) && restarts >= 1 && restarts <= MAX_RESTARTS)) {
    throw new InvalidOptionError(`restarts must be a whole number from 1 to ${MAX_RESTARTS}, got ${o.restarts}.`);
  }
  // APGD sets its own step (2ε, then halved); C&W's Adam step is its learning rate: α means nothing to them.
  const alpha =
    o.method === 'fgsm' || APGD_METHODS.includes(o.method) || o.method === 'cw-l2'
      ? o.method === 'fgsm'
        ? o.eps
        : 0
      : (o.alpha ?? defaultStepSize(o.eps, steps));
  if (!(Number.isFinite(alpha) && alpha >= 0)) {
    throw new InvalidOptionError(`step size must be a number ≥ 0, got ${o.alpha}.`);
  }
  if (!(Number.isInteger(o.seed) && o.seed >= 0)) {
    throw new InvalidOptionError(`seed must be a whole number ≥ 0, got ${o.seed}.`);
  }
  if (o.target.kind === 'class') {
    const t = o.target.classIndex;
    if (!(Number.isInteger(t) && t >= 0 && t < numClasses)) {
      throw new InvalidOptionError(`target class must be a whole number from 0 to ${numClasses - 1}, got ${t}.`);
    }
  }
  if (SELF_TARGETING_METHODS.includes(o.method) && o.target.kind !== 'untargeted') {
    throw new InvalidOptionError(
      `${o.method} chooses its own target classes (Croce & Hein's APGD-T); give no target, or use apgd-ce/apgd-dlr.`,
    );
  }
  if (o.method === 'cw-l2' && o.norm !== 'l2') {
    throw new InvalidOptionError('cw-l2 is an L2 attack (Carlini & Wagner 2017): use --norm l2.');
  }
  if (o.targetClasses !== undefined && !(Number.isInteger(o.targetClasses) && o.targetClasses >= 1)) {
    throw new InvalidOptionError(`the number of target classes must be a whole number ≥ 1, got ${o.targetClasses}.`);
  }
  if (o.confidence !== undefined && !(Number.isFinite(o.confidence) && o.confidence >= 0)) {
    throw new InvalidOptionError(`the C&W confidence κ must be a number ≥ 0, got ${o.confidence}.`);
  }
  if (
    o.binarySearchSteps !== undefined &&
    !(Number.isInteger(o.binarySearchSteps) && o.binarySearchSteps >= 1 && o.binarySearchSteps <= 30)
  ) {
    throw new InvalidOptionError(
      `the C&W binary-search steps must be a whole number from 1 to 30, got ${o.binarySearchSteps}.`,
    );
  }
  const extras: Partial<ResolvedAttackOptions> = {};
  if (SELF_TARGETING_METHODS.includes(o.method)) extras.targetClasses = Math.min(o.targetClasses ?? 9, numClasses - 1);
  if (o.method === 'cw-l2') {
    extras.confidence = o.confidence ?? 0;
    extras.binarySearchSteps = o.binarySearchSteps ?? 9;
  }
  return {
    ...extras,
    method: o.method,
    norm: o.norm,
    eps: o.eps,
    steps,
    alpha,
    restarts,
    seed: o.seed,
    target: o.target,
    randomStart: o.method === 'pgd' || APGD_METHODS.includes(o.method),
  };
}

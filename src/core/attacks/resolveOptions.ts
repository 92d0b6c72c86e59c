/**
 * Defaults and validation of attack options, at the core's boundary: the UI, the URL and the
 * command line can all pass anything, so every attack entry point calls `resolveAttackOptions`.
 * The limits are the attack schema's (core/options/attackOptions.ts); the rules that tie options
 * to a method (FGSM takes one step, only PGD and APGD restart) live here.
 */
import { ATTACK_FIELDS, STRONG_ATTACK_FIELDS, attackContext, defaultStepSize } from '../options/attackOptions';
import { checkValue, type OptionField } from '../options/field';
import { InvalidOptionError } from '../util/errors';
import {
  APGD_METHODS,
  ATTACK_METHODS,
  type AttackOptions,
  NORMS,
  type ResolvedAttackOptions,
  SELF_TARGETING_METHODS,
} from './types';

const refuse = (message: string) => new InvalidOptionError(message);

/** Checks a value the caller gave against its schema field (undefined: not given, the default applies). */
function checkGiven(field: OptionField, value: unknown, ctx: Parameters<typeof checkValue>[2]): void {
  if (value !== undefined) checkValue(field, value, ctx, refuse);
}

export function resolveAttackOptions(o: AttackOptions, numClasses: number): ResolvedAttackOptions {
  if (!(ATTACK_METHODS as readonly string[]).includes(o.method)) {
    throw new InvalidOptionError(`Unknown attack "${o.method}". Choose one of: ${ATTACK_METHODS.join(', ')}.`);
  }
  if (!(NORMS as readonly string[]).includes(o.norm)) {
    throw new InvalidOptionError(`Unknown norm "${o.norm}". Choose linf or l2.`);
  }
  const ctx = attackContext('mnist', o.norm, o.method);
  checkValue(ATTACK_FIELDS.eps, o.eps, ctx, (m) => refuse(m.replace(/, got/, ` for the ${o.norm} norm, got`)));
  const steps = o.method === 'fgsm' ? 1 : o.steps;
  checkValue(ATTACK_FIELDS.steps, steps, ctx, refuse);
  const restarts = o.method === 'pgd' || APGD_METHODS.includes(o.method) ? o.restarts : 1;
  checkValue(ATTACK_FIELDS.restarts, restarts, ctx, refuse);
  checkGiven(ATTACK_FIELDS.stepSize, o.alpha, ctx);
  // APGD sets its own step (2ε, then halved); C&W's Adam step is its learning rate: α means nothing to them.
  const alpha =
    o.method === 'fgsm' || APGD_METHODS.includes(o.method) || o.method === 'cw-l2'
      ? o.method === 'fgsm'
        ? o.eps
        : 0
      : (o.alpha ?? defaultStepSize(o.eps, steps));
  checkValue(ATTACK_FIELDS.seed, o.seed, ctx, refuse);
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
  checkGiven(STRONG_ATTACK_FIELDS.targetClasses, o.targetClasses, ctx);
  checkGiven(STRONG_ATTACK_FIELDS.confidence, o.confidence, ctx);
  checkGiven(STRONG_ATTACK_FIELDS.binarySearchSteps, o.binarySearchSteps, ctx);
  const extras: Partial<ResolvedAttackOptions> = {};
  if (SELF_TARGETING_METHODS.includes(o.method)) {
    extras.targetClasses = Math.min(o.targetClasses ?? STRONG_ATTACK_FIELDS.targetClasses.default, numClasses - 1);
  }
  if (o.method === 'cw-l2') {
    extras.confidence = o.confidence ?? STRONG_ATTACK_FIELDS.confidence.default;
    extras.binarySearchSteps = o.binarySearchSteps ?? STRONG_ATTACK_FIELDS.binarySearchSteps.default;
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

/** The attack options shared by `eval` and `attack`, parsed and checked. */
import type { AttackMethod, AttackOptions, Norm, TargetSpec } from '../core/attacks/types';
import { MAX_RESTARTS, MAX_STEPS } from '../core/attacks/resolveOptions';
import { ATTACK_METHODS, METHOD_DEFAULT_STEPS, NORMS } from '../core/attacks/types';
import { InvalidOptionError } from '../core/util/errors';
import { choiceOption, numberOption, stringOption, type OptionSpec, type Values } from './args';

export const ATTACK_OPTION_SPEC: OptionSpec = {
  attack: { type: 'string' },
  norm: { type: 'string' },
  eps: { type: 'string' },
  steps: { type: 'string' },
  alpha: { type: 'string' },
  restarts: { type: 'string' },
  sigma: { type: 'string' },
  seed: { type: 'string' },
  target: { type: 'string' },
};

/**
 * Defaults when an option is not given: the MNIST challenge's ε = 0.3, 20 steps (APGD and C&W: their own 100),
 * one restart.
 */
export const CLI_DEFAULTS = { eps: 0.3, steps: 20, restarts: 1, sigma: 0.3, seed: 0 };

/** FGSM, BIM and PGD keep the CLI's 20; APGD and C&W take the iterations their authors' defaults are built on. */
const STEP_DEFAULT = (method: AttackMethod): number =>
  method === 'fgsm' || method === 'bim' || method === 'pgd' ? CLI_DEFAULTS.steps : METHOD_DEFAULT_STEPS[method];

export function parseTarget(raw: string | undefined): TargetSpec {
  if (raw === undefined || raw === 'none' || raw === 'untargeted') return { kind: 'untargeted' };
  if (raw === 'random') return { kind: 'random' };
  if (raw === 'least-likely') return { kind: 'least-likely' };
  const t = Number(raw);
  if (!Number.isInteger(t)) {
    throw new InvalidOptionError(`--target must be a class index, "random" or "least-likely", got "${raw}".`);
  }
  return { kind: 'class', classIndex: t };
}

export function parseGradientAttack(method: string, v: Values): AttackOptions {
  if (!(ATTACK_METHODS as readonly string[]).includes(method)) {
    throw new InvalidOptionError(
      `--attack must be one of none, gaussian, ${ATTACK_METHODS.join(', ')}; got "${method}".`,
    );
  }
  return {
    method: method as AttackMethod,
    norm: choiceOption<Norm>(v, 'norm', NORMS, 'linf'),
    eps: numberOption(v, 'eps', CLI_DEFAULTS.eps, { min: 0 })!,
    steps: numberOption(v, 'steps', STEP_DEFAULT(method as AttackMethod), { min: 1, max: MAX_STEPS, integer: true })!,
    alpha: numberOption(v, 'alpha', undefined, { min: 0 }),
    restarts: numberOption(v, 'restarts', CLI_DEFAULTS.restarts, { min: 1, max: MAX_RESTARTS, integer: true })!,
    seed: numberOption(v, 'seed', CLI_DEFAULTS.seed, { min: 0, integer: true })!,
    target: parseTarget(stringOption(v, 'target')),
  };
}

/** σ in pixel units; a value > 1 is almost certainly on the 0–255 scale, so say so. */
export function parseSigma(v: Values): number {
  const sigma = numberOption(v, 'sigma', CLI_DEFAULTS.sigma, { min: 0 })!;
  if (sigma > 1) {
    throw new InvalidOptionError(
      `--sigma is in pixel units [0,1]; ${sigma} looks like the 0–255 scale (use ${(sigma / 255).toFixed(4)}).`,
    );
  }
  return sigma;
}

/** The JSON form of a target, as printed by the commands. */
export function describeTarget(t: TargetSpec): string | number {
  return t.kind === 'class' ? t.classIndex : t.kind;
}

/** The attack options shared by `eval` and `attack`, parsed and checked by the attack schema (core/options). */
import type { AttackMethod, AttackOptions, Norm, TargetSpec } from '../core/attacks/types';
import type { DatasetName } from '../core/data/dataset';
import { ATTACK_FIELDS, EVAL_NOISE_FIELDS, attackContext } from '../core/options/attackOptions';
import { InvalidOptionError } from '../core/util/errors';
import type { OptionSpec, Values } from './args';
import { fieldOption, numberFieldOption, schemaSpec } from './schemaArgs';

export const ATTACK_OPTION_SPEC: OptionSpec = schemaSpec([...Object.values(ATTACK_FIELDS), EVAL_NOISE_FIELDS.sigma]);

/** `--target none|untargeted|random|least-likely|K`, checked against the schema's choices. */
export function parseTarget(v: Values): TargetSpec {
  const raw = v.target === 'none' ? 'untargeted' : v.target;
  const choice = String(fieldOption({ ...v, target: raw }, ATTACK_FIELDS.target));
  if (choice === 'untargeted' || choice === 'random' || choice === 'least-likely') return { kind: choice };
  return { kind: 'class', classIndex: Number(choice) };
}

/** The gradient attack `method` with the flags in `v`; defaults are the schema's for the data set. */
export function parseGradientAttack(method: string, v: Values, dataset: DatasetName = 'mnist'): AttackOptions {
  if (!(ATTACK_FIELDS.method.choices as readonly string[]).includes(method)) {
    throw new InvalidOptionError(
      `--attack must be one of none, gaussian, ${ATTACK_FIELDS.method.choices.join(', ')}; got "${method}".`,
    );
  }
  const norm = fieldOption(v, ATTACK_FIELDS.norm) as Norm;
  const ctx = attackContext(dataset, norm, method as AttackMethod);
  return {
    method: method as AttackMethod,
    norm,
    eps: numberFieldOption(v, ATTACK_FIELDS.eps, ctx)!,
    steps: numberFieldOption(v, ATTACK_FIELDS.steps, ctx)!,
    alpha: numberFieldOption(v, ATTACK_FIELDS.stepSize, ctx),
    restarts: numberFieldOption(v, ATTACK_FIELDS.restarts, ctx)!,
    seed: numberFieldOption(v, ATTACK_FIELDS.seed, ctx)!,
    target: parseTarget(v),
  };
}

/** σ in pixel units; a value > 1 is almost certainly on the 0–255 scale, so say so. */
export function parseSigma(v: Values): number {
  const raw = Number(v.sigma);
  if (v.sigma !== undefined && Number.isFinite(raw) && raw > 1) {
    throw new InvalidOptionError(
      `--sigma is in pixel units [0,1]; ${raw} looks like the 0–255 scale (use ${(raw / 255).toFixed(4)}).`,
    );
  }
  return numberFieldOption(v, EVAL_NOISE_FIELDS.sigma)!;
}

/** The JSON form of a target, as printed by the commands. */
export function describeTarget(t: TargetSpec): string | number {
  return t.kind === 'class' ? t.classIndex : t.kind;
}

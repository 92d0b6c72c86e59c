/**
 * The attack lab's settings as the form holds them: the text the user typed (a half-typed "0." stays put; ε may be
 * "8/255"), checked field by field against the attack schema (core/options/attackOptions.ts), which also gives each
 * control its label, limits, default and help. The core validates again at its own boundary, with the same schema.
 */
import type { AttackMethod, AttackOptions, Norm, TargetSpec } from '../core/attacks/types';
import type { DatasetName } from '../core/data/dataset';
import {
  ATTACK_FIELDS,
  ATTACK_NUMBER_FIELDS,
  attackContext,
  defaultStepSize,
  epsInGreyLevels,
  PIXEL_LEVEL,
  type AttackNumberField,
  type TargetChoice,
} from '../core/options/attackOptions';
import {
  defaultText,
  fieldTextError,
  followContext,
  lastValidTexts,
  parseNumberText,
  type OptionContext,
} from '../core/options/field';

/** What the controls hold: numbers as the text the user typed. */
export interface AttackSettingsDraft {
  method: AttackMethod;
  norm: Norm;
  eps: string;
  steps: string;
  /** Empty means "auto": DEFAULT_STEP_SIZE_FACTOR · ε / steps, filled in by the core. */
  stepSize: string;
  restarts: string;
  target: TargetChoice;
  seed: string;
}

export type NumericField = AttackNumberField;

/** The context the draft's limits and defaults depend on. */
export function draftContext(draft: Pick<AttackSettingsDraft, 'norm' | 'method'>, dataset: DatasetName): OptionContext {
  return attackContext(dataset, draft.norm, draft.method);
}

/** The schema's defaults for a data set, as the form shows them (ε on CIFAR-10 as 8/255, steps 10). */
export function defaultDraft(dataset: DatasetName = 'mnist'): AttackSettingsDraft {
  const ctx = attackContext(dataset, ATTACK_FIELDS.norm.default, ATTACK_FIELDS.method.default);
  return {
    method: ATTACK_FIELDS.method.default,
    norm: ATTACK_FIELDS.norm.default,
    eps: defaultText(ATTACK_FIELDS.eps, ctx),
    steps: defaultText(ATTACK_FIELDS.steps, ctx),
    stepSize: defaultText(ATTACK_FIELDS.stepSize, ctx),
    restarts: defaultText(ATTACK_FIELDS.restarts, ctx),
    target: ATTACK_FIELDS.target.default,
    seed: defaultText(ATTACK_FIELDS.seed, ctx),
  };
}

export const DEFAULT_SETTINGS: AttackSettingsDraft = defaultDraft('mnist');

/** Why a field's text is not an acceptable value ("Epsilon must be between 0 and 1."), or null when it is. */
export function fieldError(field: NumericField, text: string, ctx: OptionContext): string | null {
  return fieldTextError(ATTACK_FIELDS[field], text, ctx);
}

export function draftErrors(draft: AttackSettingsDraft, dataset: DatasetName): Partial<Record<NumericField, string>> {
  const ctx = draftContext(draft, dataset);
  const errors: Partial<Record<NumericField, string>> = {};
  for (const field of ATTACK_NUMBER_FIELDS) {
    const error = fieldError(field, draft[field], ctx);
    if (error) errors[field] = error;
  }
  return errors;
}

function targetSpec(choice: TargetChoice): TargetSpec {
  if (choice === 'untargeted' || choice === 'random' || choice === 'least-likely') return { kind: choice };
  return { kind: 'class', classIndex: Number(choice) };
}

/** The options to send, or null while any field is invalid. */
export function toAttackOptions(draft: AttackSettingsDraft, dataset: DatasetName): AttackOptions | null {
  if (Object.keys(draftErrors(draft, dataset)).length > 0) return null;
  return {
    method: draft.method,
    norm: draft.norm,
    eps: parseNumberText(draft.eps),
    steps: Number(draft.steps),
    alpha: draft.stepSize.trim() === '' ? undefined : Number(draft.stepSize),
    restarts: Number(draft.restarts),
    target: targetSpec(draft.target),
    seed: Number(draft.seed),
  };
}

/** The step size "auto" stands for, as the core will compute it; null while ε or steps are invalid. */
export function autoStepSize(draft: AttackSettingsDraft, dataset: DatasetName): number | null {
  const ctx = draftContext(draft, dataset);
  if (fieldError('eps', draft.eps, ctx) || fieldError('steps', draft.steps, ctx)) return null;
  const eps = parseNumberText(draft.eps);
  return draft.method === 'fgsm' ? eps : defaultStepSize(eps, Number(draft.steps));
}

/**
 * The draft after a change of data set, norm or method: the budgets of L∞ and L2 differ by an order of magnitude,
 * CIFAR-10's from MNIST's, APGD's iterations from PGD's; so a field left at its old default follows the new one (0.3
 * would erase a CIFAR image; 8/255 barely touches an MNIST digit), and a value the user typed stays while it fits.
 */
export function draftAfter(
  draft: AttackSettingsDraft,
  from: DatasetName,
  change: { dataset?: DatasetName; norm?: Norm; method?: AttackMethod },
): AttackSettingsDraft {
  const next = { ...draft, norm: change.norm ?? draft.norm, method: change.method ?? draft.method };
  return followContext(ATTACK_FIELDS, next, draftContext(draft, from), draftContext(next, change.dataset ?? from));
}

/** What a link may carry: each field's text while valid, else its last valid text (see field.ts lastValidTexts). */
export function linkableDraft(
  draft: AttackSettingsDraft,
  lastValid: AttackSettingsDraft,
  dataset: DatasetName,
): AttackSettingsDraft {
  return lastValidTexts(ATTACK_FIELDS, draft, lastValid, draftContext(draft, dataset));
}

/** The ε input's spinner step: one grey level for L∞ on 8-bit colour images, free otherwise. */
export function epsInputStep(dataset: DatasetName, norm: Norm): number | 'any' {
  return epsInGreyLevels(dataset, norm) ? PIXEL_LEVEL : 'any';
}

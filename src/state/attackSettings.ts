/**
 * The one typed schema of the attack settings: each field's label, limits, default and help line.
 * It drives the controls (AttackControls renders from it) and the validation that turns what the
 * user typed into `AttackOptions`. The core validates again at its own boundary; the steps and
 * restarts limits are the core's own (core/attacks/resolveOptions.ts), the same the CLI applies.
 */
import {
  ATTACK_METHODS,
  NORMS,
  type AttackMethod,
  type AttackOptions,
  type Norm,
  type TargetSpec,
} from '../core/attacks/types';
import { MAX_EPS_LINF, MAX_RESTARTS, MAX_STEPS, defaultStepSize } from '../core/attacks/resolveOptions';
import type { DatasetName } from '../core/data/dataset';

/**
 * ε = 0.3 under L∞ is the MNIST budget of Madry et al. (2018); ε = 2 under L2 is the usual L2 counterpart (e.g. Croce &
 * Hein's RobustBench MNIST tables use 1.5–2).
 */
export const DEFAULT_EPS: Record<Norm, number> = { linf: 0.3, l2: 2 };
/** L∞ can never exceed 1 in [0,1] pixels; 10 in L2 already rewrites a large part of a 28×28 digit. */
export const MAX_EPS: Record<Norm, number> = { linf: MAX_EPS_LINF, l2: 10 };
/** Madry et al. attack MNIST with 40 PGD steps. */
export const DEFAULT_STEPS = 40;

/**
 * Per data set. CIFAR-10: ε = 8/255 under L∞ is Madry et al.'s (2018) CIFAR budget; ε = 0.5
 * under L2 is RobustBench's CIFAR-10 L2 threat model (Croce et al. 2021). 10 steps make the auto
 * step size 2.5·ε/10 = 2/255, Madry et al.'s CIFAR step.
 */
export const DATASET_ATTACK_DEFAULTS: Record<DatasetName, { eps: Record<Norm, number>; steps: number }> = {
  mnist: { eps: DEFAULT_EPS, steps: DEFAULT_STEPS },
  cifar10: { eps: { linf: 8 / 255, l2: 0.5 }, steps: 10 },
};
/** Colour images are 8-bit: under L∞ on CIFAR-10 the ε input steps by one grey level. */
export const PIXEL_LEVEL = 1 / 255;
export const MAX_SEED = 2 ** 31 - 1;

export const TARGET_CHOICES = [
  'untargeted',
  'random',
  'least-likely',
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
] as const;
export type TargetChoice = (typeof TARGET_CHOICES)[number];

/** What the controls hold: numbers as the text the user typed, so a half-typed "0." stays put (ε may be "8/255"). */
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

export type NumericField = 'eps' | 'steps' | 'stepSize' | 'restarts' | 'seed';

export interface NumericFieldSpec {
  label: string;
  /** One line of help under the control. */
  help: string;
  min: number;
  max: (norm: Norm) => number;
  integer: boolean;
  /** The input's step attribute (spinner increment). */
  step: number;
  /** May be left empty (then the core's default applies). */
  optional?: boolean;
}

export const NUMERIC_FIELDS: Record<NumericField, NumericFieldSpec> = {
  eps: {
    label: 'Epsilon',
    help: 'ε, the budget: the perturbation δ may be at most this large in the chosen norm (pixels are 0–1).',
    min: 0,
    max: (norm) => MAX_EPS[norm],
    integer: false,
    step: 0.01,
  },
  steps: {
    label: 'Steps',
    help: 'Gradient steps for BIM and PGD; FGSM always takes one step of size ε.',
    min: 1,
    max: () => MAX_STEPS,
    integer: true,
    step: 1,
  },
  stepSize: {
    label: 'Step size',
    help: 'α, how far each step moves; leave empty for auto = 2.5·ε/steps.',
    min: 0,
    max: (norm) => MAX_EPS[norm],
    integer: false,
    step: 0.001,
    optional: true,
  },
  restarts: {
    label: 'Restarts',
    help: 'PGD only: runs from fresh random starts in the ε-ball and keeps the strongest.',
    min: 1,
    max: () => MAX_RESTARTS,
    integer: true,
    step: 1,
  },
  seed: {
    label: 'Seed',
    help: 'Seeds the random start and the random target, so a run can be repeated.',
    min: 0,
    max: () => MAX_SEED,
    integer: true,
    step: 1,
  },
};

export const METHOD_HELP: Record<AttackMethod, string> = {
  fgsm: 'FGSM (Goodfellow et al. 2015): one step of size ε along the sign of the loss gradient.',
  bim: 'BIM (Kurakin et al. 2017): many small FGSM steps, each projected back into the ε-ball.',
  pgd: 'PGD (Madry et al. 2018): BIM from a random start in the ε-ball, optionally restarted.',
  'apgd-ce':
    'APGD-CE (Croce & Hein 2020): PGD that sets its own step size (2ε, halved when progress stalls) and uses ' +
    'momentum; cross-entropy loss.',
  'apgd-dlr':
    'APGD-DLR (Croce & Hein 2020): APGD on the Difference-of-Logits-Ratio loss, which a saturated softmax cannot hide.',
  'apgd-t':
    'APGD-T (Croce & Hein 2020): targeted DLR toward each of the 9 runner-up classes in turn; any wrong class counts.',
  'autoattack-lite':
    'AutoAttack-lite: APGD-CE, then APGD-T on what survives — a subset of Croce & Hein’s AutoAttack (no FAB, no ' +
    'Square), never AutoAttack itself.',
  'cw-l2':
    'Carlini & Wagner L2 (2017): searches for the smallest L2 perturbation that fools the model; ε is the budget a ' +
    'success must fit in.',
};

export const NORM_HELP: Record<Norm, string> = {
  linf: 'L∞: every pixel may change by at most ε — a faint change spread everywhere.',
  l2: 'L2: the Euclidean length of δ is at most ε — larger changes on fewer pixels.',
};

export const ATTACK_METHOD_CHOICES = ATTACK_METHODS;
export const NORM_CHOICES = NORMS;

export const DEFAULT_SETTINGS: AttackSettingsDraft = {
  method: 'pgd',
  norm: 'linf',
  eps: String(DEFAULT_EPS.linf),
  steps: String(DEFAULT_STEPS),
  stepSize: '',
  restarts: '1',
  target: 'untargeted',
  seed: '0',
};

/**
 * A number as people write it: a decimal ("0.3", ".5", "1e-2") or a fraction ("8/255", how budgets on 8-bit images
 * are quoted). NaN for anything else.
 */
export function parseNumberText(text: string): number {
  const t = text.trim();
  if (t === '') return Number.NaN;
  const fraction = /^([0-9]*\.?[0-9]+)\s*\/\s*([0-9]*\.?[0-9]+)$/.exec(t);
  if (fraction) {
    const den = Number(fraction[2]);
    return den === 0 ? Number.NaN : Number(fraction[1]) / den;
  }
  return Number(t);
}

/** ε as text in the unit the data set's budgets are quoted in: "8/255" for L∞ on 8-bit colour images, else "0.3". */
export function epsText(eps: number, dataset: DatasetName, norm: Norm): string {
  if (epsInputStep(dataset, norm) !== 'any') {
    const levels = eps * 255;
    if (Math.abs(levels - Math.round(levels)) < 1e-9) return `${Math.round(levels)}/255`;
  }
  return String(eps);
}

/** The ε a data set starts with under a norm, as the field shows it ("8/255" on CIFAR-10 under L∞). */
export function defaultEpsText(dataset: DatasetName, norm: Norm): string {
  return epsText(DATASET_ATTACK_DEFAULTS[dataset].eps[norm], dataset, norm);
}

/** Why a field's text is not an acceptable value, or null when it is. */
export function fieldError(field: NumericField, text: string, norm: Norm): string | null {
  const spec = NUMERIC_FIELDS[field];
  if (text.trim() === '') return spec.optional ? null : `${spec.label} is required.`;
  const value = field === 'eps' ? parseNumberText(text) : Number(text);
  const max = spec.max(norm);
  if (!Number.isFinite(value)) {
    return field === 'eps'
      ? `${spec.label} must be a number such as 0.3 or a fraction such as 8/255.`
      : `${spec.label} must be a number.`;
  }
  if (spec.integer && !Number.isInteger(value)) return `${spec.label} must be a whole number.`;
  if (value < spec.min || value > max) return `${spec.label} must be between ${spec.min} and ${max}.`;
  return null;
}

export function draftErrors(draft: AttackSettingsDraft): Partial<Record<NumericField, string>> {
  const errors: Partial<Record<NumericField, string>> = {};
  for (const field of Object.keys(NUMERIC_FIELDS) as NumericField[]) {
    const error = fieldError(field, draft[field], draft.norm);
    if (error) errors[field] = error;
  }
  return errors;
}

function targetSpec(choice: TargetChoice): TargetSpec {
  if (choice === 'untargeted' || choice === 'random' || choice === 'least-likely') return { kind: choice };
  return { kind: 'class', classIndex: Number(choice) };
}

/** The options to send, or null while any field is invalid. */
export function toAttackOptions(draft: AttackSettingsDraft): AttackOptions | null {
  if (Object.keys(draftErrors(draft)).length > 0) return null;
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
export function autoStepSize(draft: AttackSettingsDraft): number | null {
  if (fieldError('eps', draft.eps, draft.norm) || fieldError('steps', draft.steps, draft.norm)) return null;
  const eps = parseNumberText(draft.eps);
  return draft.method === 'fgsm' ? eps : defaultStepSize(eps, Number(draft.steps));
}

/**
 * ε after a change of norm: the budgets of L∞ and L2 differ by an order of magnitude, so an
 * untouched default follows the norm; a value the user typed is kept when it still fits.
 */
export function epsForNorm(draft: AttackSettingsDraft, next: Norm, dataset: DatasetName = 'mnist'): string {
  const current = parseNumberText(draft.eps);
  if (draft.eps === defaultEpsText(dataset, draft.norm)) return defaultEpsText(dataset, next);
  if (Number.isFinite(current) && current <= MAX_EPS[next]) return draft.eps;
  return defaultEpsText(dataset, next);
}

/**
 * The settings after a change of data set: ε and steps the user left at the old set's defaults
 * follow the new set's (0.3 would erase a CIFAR image; 8/255 barely touches an MNIST digit);
 * values the user typed stay.
 */
export function draftForDataset(draft: AttackSettingsDraft, from: DatasetName, to: DatasetName): AttackSettingsDraft {
  const a = DATASET_ATTACK_DEFAULTS[from];
  const b = DATASET_ATTACK_DEFAULTS[to];
  return {
    ...draft,
    eps: draft.eps === epsText(a.eps[draft.norm], from, draft.norm) ? defaultEpsText(to, draft.norm) : draft.eps,
    steps: draft.steps === String(a.steps) ? String(b.steps) : draft.steps,
  };
}

/** The ε input's spinner step: one grey level for L∞ on 8-bit colour images, free otherwise. */
export function epsInputStep(dataset: DatasetName, norm: Norm): number | 'any' {
  return dataset === 'cifar10' && norm === 'linf' ? PIXEL_LEVEL : 'any';
}

/**
 * Options shared by the gradient attacks: FGSM (Goodfellow et al. 2015, §4), BIM (Kurakin et al. 2016, §2.1),
 * PGD (Madry et al. 2018, §2.1). Inputs and ε live in pixel space
 * [0,1]; the model's own normalisation is inside the model.
 */
export const ATTACK_METHODS = [
  'fgsm',
  'bim',
  'pgd',
  'apgd-ce',
  'apgd-dlr',
  'apgd-t',
  'autoattack-lite',
  'cw-l2',
] as const;
export type AttackMethod = (typeof ATTACK_METHODS)[number];

/** Croce & Hein's (2020) APGD family: step sizes set by the attack itself, so `alpha` does not apply. */
export const APGD_METHODS: readonly AttackMethod[] = ['apgd-ce', 'apgd-dlr', 'apgd-t', 'autoattack-lite'];
/** Attacks that choose their own target classes (AutoAttack's APGD-T): a user-given target does not apply. */
export const SELF_TARGETING_METHODS: readonly AttackMethod[] = ['apgd-t', 'autoattack-lite'];

/** The iterations each method takes when the caller does not say (the attack lab and the CLI share them). */
export const METHOD_DEFAULT_STEPS: Record<AttackMethod, number> = {
  fgsm: 1,
  bim: 10,
  pgd: 20,
  'apgd-ce': 100,
  'apgd-dlr': 100,
  'apgd-t': 100,
  'autoattack-lite': 100,
  'cw-l2': 100,
};

export const NORMS = ['linf', 'l2'] as const;
export type Norm = (typeof NORMS)[number];

export type TargetSpec =
  | { kind: 'untargeted' }
  /** A class the user chose. */
  | { kind: 'class'; classIndex: number }
  /** A class drawn uniformly from those ≠ the label, per example, from the seed. */
  | { kind: 'random' }
  /** The class the model finds least likely on the clean input, per example. */
  | { kind: 'least-likely' };

export interface AttackOptions {
  method: AttackMethod;
  norm: Norm;
  /** Budget: ‖δ‖ ≤ eps in the chosen norm. */
  eps: number;
  /** Iterations (BIM, PGD). FGSM is one step of size eps. */
  steps: number;
  /** Step size; undefined → DEFAULT_STEP_SIZE_FACTOR · eps / steps. */
  alpha?: number;
  /** PGD restarts from fresh random starts, aggregated per example. BIM and FGSM ignore it. */
  restarts: number;
  target: TargetSpec;
  seed: number;
  /** APGD-T and AutoAttack-lite: how many target classes (default 9, AutoAttack's). */
  targetClasses?: number;
  /** Carlini–Wagner: κ, the logit margin a success must reach (default 0). */
  confidence?: number;
  /** Carlini–Wagner: binary-search steps on the constant c (default 9). */
  binarySearchSteps?: number;
}

/** The options after defaults are filled in and checked: exactly what ran. */
export interface ResolvedAttackOptions
  extends Required<Omit<AttackOptions, 'target' | 'targetClasses' | 'confidence' | 'binarySearchSteps'>> {
  target: TargetSpec;
  randomStart: boolean;
  targetClasses?: number;
  confidence?: number;
  binarySearchSteps?: number;
}

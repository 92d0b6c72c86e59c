/**
 * Options shared by the gradient attacks: FGSM (Goodfellow et al. 2015, §4), BIM (Kurakin et al. 2016, §2.1),
 * PGD (Madry et al. 2018, §2.1). Inputs and ε live in pixel space
 * [0,1]; the model's own normalisation is inside the model.
 */
export const ATTACK_METHODS = ['fgsm', 'bim', 'pgd'] as const;
export type AttackMethod = (typeof ATTACK_METHODS)[number];

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
}

/** The options after defaults are filled in and checked: exactly what ran. */
export interface ResolvedAttackOptions extends Required<Omit<AttackOptions, 'target'>> {
  target: TargetSpec;
  randomStart: boolean;
}

/**
 * What the UI needs to know about the training defenses without loading TensorFlow.js: the methods, their
 * defaults and limits, and the shape of a configuration. The mathematics lives in adversarialTraining.ts.
 */

export const ADVERSARIAL_METHODS = ['fgsm', 'fgsm-rs', 'pgd', 'trades'] as const;
export type AdversarialMethod = (typeof ADVERSARIAL_METHODS)[number];

/** Wong, Rice & Kolter's (2020) FGSM step from a random start: α = 1.25·ε. */
export const FGSM_RS_STEP_FACTOR = 1.25;
/** PGD and TRADES steps when not given (Madry et al. use 40 on MNIST; 10 keeps training affordable here). */
export const DEFAULT_ADVERSARIAL_STEPS = 10;
/** α = 2.5·ε/K, the budget reachable in K steps (as the attack lab's default). */
export const ADVERSARIAL_STEP_FACTOR = 2.5;
/** Zhang et al. (2019) use β = 6 on MNIST and CIFAR-10. */
export const DEFAULT_TRADES_BETA = 6;
export const MAX_ADVERSARIAL_STEPS = 100;

/** The methods as the UI names them, with their papers. */
export const ADVERSARIAL_METHOD_TEXT: Record<AdversarialMethod, string> = {
  fgsm: 'FGSM, no random start (Goodfellow et al. 2015)',
  'fgsm-rs': 'FGSM from a random start (Wong et al. 2020)',
  pgd: 'PGD (Madry et al. 2018)',
  trades: 'TRADES (Zhang et al. 2019)',
};

export interface AdversarialTrainingConfig {
  method: AdversarialMethod;
  /** L∞ budget in pixels [0,1] at the end of the warm-up. */
  eps: number;
  /** K, for pgd and trades. */
  steps?: number;
  /** Step size at the full ε; scales with ε during the warm-up. */
  alpha?: number;
  /** TRADES' β. */
  beta?: number;
  /** ε grows linearly from 0 to its value over this many epochs (0: full ε from the start). */
  warmupEpochs?: number;
  /** Share of each batch replaced by its adversarial version (fgsm, fgsm-rs, pgd); 1 by default. */
  fraction?: number;
}

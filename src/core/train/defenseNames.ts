/**
 * What the UI needs to know about the training defenses without loading TensorFlow.js: the methods and the shape
 * of a configuration. Their limits and defaults are fields of core/options/defenseOptions.ts; the mathematics lives in
 * adversarialTraining.ts and certifiedTraining.ts.
 */

export const ADVERSARIAL_METHODS = ['fgsm', 'fgsm-rs', 'pgd', 'trades'] as const;
export type AdversarialMethod = (typeof ADVERSARIAL_METHODS)[number];

/** Wong, Rice & Kolter's (2020) FGSM step from a random start: α = 1.25·ε. */
export const FGSM_RS_STEP_FACTOR = 1.25;
/** α = 2.5·ε/K, the budget reachable in K steps (as the attack lab's default). */
export const ADVERSARIAL_STEP_FACTOR = 2.5;

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
  /**
   * Clean images trained on beside the adversarial ones, as a share of the batch (Xie & Yuille 2020, §3): 0 (the
   * default) trains on the adversarial images only, 1 on every image both clean and adversarial. fgsm/fgsm-rs/pgd
   * with fraction 1.
   */
  cleanShare?: number;
  /** With clean images beside: one batch norm for both (shared) or BN_clean and BN_adv (split, §4). */
  batchNorm?: AdversarialBatchNorm;
}

export const ADVERSARIAL_BATCH_NORMS = ['shared', 'split'] as const;
export type AdversarialBatchNorm = (typeof ADVERSARIAL_BATCH_NORMS)[number];

/** The bounds certified training can train on (certifiedTraining.ts). */
export const CERTIFIED_TRAINING_BOUNDS = ['ibp', 'crown-ibp'] as const;
export type CertifiedTrainingBound = (typeof CERTIFIED_TRAINING_BOUNDS)[number];

export const CERTIFIED_TRAINING_TEXT: Record<CertifiedTrainingBound, string> = {
  ibp: 'Interval bound propagation (Gowal et al. 2018)',
  'crown-ibp': 'CROWN-IBP (Zhang et al. 2020)',
};

export interface CertifiedTrainingConfig {
  bound: CertifiedTrainingBound;
  /** Training L∞ ε (pixels) after the ramp. Gowal et al. train MNIST at 0.4 for a test ε of 0.3. */
  eps: number;
  /** Epochs of plain training first (ε = 0, κ = 1). */
  warmupEpochs?: number;
  /** Epochs over which ε grows linearly to its value and κ falls from 1 to `finalKappa`. */
  rampEpochs?: number;
  /** κ after the ramp, the weight of the clean loss. */
  finalKappa?: number;
  /** CROWN-IBP: β after the ramp (β falls from 1, Zhang et al. 2020 end it at 0). */
  finalBeta?: number;
}

/** Gaussian data augmentation, the base classifier's training for randomized smoothing (Cohen et al. 2019, §3). */
export interface NoiseTrainingConfig {
  sigma: number;
}

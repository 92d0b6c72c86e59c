/**
 * The schema of a split-batch-norm model's evaluation set (see field.ts): which of its two batch norms — BN_clean or
 * BN_adv (Xie & Yuille 2020, §4; AdvProp's auxiliary batch norm, Xie et al. 2020) — a model trained with
 * `--adv-bn split` evaluates with. The attack lab's and the analysis view's toggles, `eval --bn` and the link
 * (`bn=clean`) read it here. Pure TypeScript.
 */
import type { OptionField } from './field';

export const BATCH_NORM_ROUTES = ['clean', 'adv'] as const;
export type BatchNormRoute = (typeof BATCH_NORM_ROUTES)[number];

/** The toggle's words for each set. */
export const BATCH_NORM_ROUTE_LABELS: Record<BatchNormRoute, string> = {
  clean: 'BN_clean (clean-image statistics)',
  adv: 'BN_adv (adversarial-image statistics)',
};

export const BATCH_NORM_FIELD = {
  key: 'bn',
  label: 'Batch norm',
  type: 'enum',
  choices: BATCH_NORM_ROUTES,
  // Xie & Yuille evaluate robustness with BN_adv; a split model is saved on it.
  default: 'adv',
  help: 'Which batch norm a model with split batch norm evaluates with: BN_clean or BN_adv.',
  urlName: 'bn',
  cliFlag: 'bn',
} as const satisfies OptionField;

/**
 * The normalisations a convnet can use, by name, without TensorFlow.js (the UI and the CLI parse them).
 */
import { InvalidOptionError } from '../util/errors';

export const NORMALISATIONS = ['none', 'batch', 'group'] as const;
export type Normalisation = (typeof NORMALISATIONS)[number];

export interface NormSettings {
  norm: Normalisation;
  /** Batch norm only: BN_clean and BN_adv (Xie & Yuille 2020) instead of one set. */
  splitBatchNorm?: boolean;
}

export function checkNormSettings(s: NormSettings): void {
  if (!(NORMALISATIONS as readonly string[]).includes(s.norm)) {
    throw new InvalidOptionError(`Unknown normalisation "${s.norm}". Choose one of: ${NORMALISATIONS.join(', ')}.`);
  }
  if (s.splitBatchNorm && s.norm !== 'batch') {
    throw new InvalidOptionError('Split batch norm needs --norm batch.');
  }
}

/** The margins panel's settings and results (models come from the analysis store). */
import { create } from 'zustand';
import { MARGINS_FIELDS } from '../../core/options/analysisOptions';
import type { MarginsResult } from '../../worker/api';

/** The schema's defaults (core/options/analysisOptions.ts), sized for about a minute on wasm with the shipped CNN. */
export const MARGINS_DEFAULTS = {
  images: MARGINS_FIELDS.images.default,
  deepFoolImages: MARGINS_FIELDS.deepFoolImages.default,
  eps: MARGINS_FIELDS.adversarialEps.default,
  pgdDistance: MARGINS_FIELDS.pgdDistance.default,
} as const;

interface MarginsState {
  images: number;
  deepFoolImages: number;
  /** ε of the adversarial margins (PGD-20, L∞). */
  eps: number;
  pgdDistance: boolean;
  results: MarginsResult[] | null;
}

export const useMargins = create<MarginsState>()(() => ({ ...MARGINS_DEFAULTS, results: null }));

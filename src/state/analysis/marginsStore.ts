/** The margins panel's settings and results (models come from the analysis store). */
import { create } from 'zustand';
import type { MarginsResult } from '../../worker/api';

/** Defaults sized for about a minute on wasm with the shipped CNN. */
export const MARGINS_DEFAULTS = { images: 200, deepFoolImages: 50, eps: 0.1, pgdDistance: true } as const;

interface MarginsState {
  images: number;
  deepFoolImages: number;
  /** ε of the adversarial margins (PGD-20, L∞). */
  eps: number;
  pgdDistance: boolean;
  results: MarginsResult[] | null;
}

export const useMargins = create<MarginsState>()(() => ({ ...MARGINS_DEFAULTS, results: null }));

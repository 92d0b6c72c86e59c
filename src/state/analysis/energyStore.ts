/** The energy (out-of-distribution) panel's settings, the user's own images and the results. */
import { create } from 'zustand';
import type { OodSource } from '../../core/eval/oodSources';
import type { DatasetName } from '../../core/data/dataset';
import { ENERGY_FIELDS } from '../../core/options/analysisOptions';
import type { EnergyResult } from '../../worker/api';

/** ε of the adversarial set: 0.1 suits MNIST; on CIFAR-10 the panel suggests 8/255 (the user sets it). */
export const ENERGY_DEFAULTS = {
  images: ENERGY_FIELDS.images.default,
  sources: ['uniform', 'inverted', 'adversarial'] as OodSource[],
  eps: ENERGY_FIELDS.eps.default,
} as const;

/** Images the user dropped, preprocessed the way the models see them. */
export interface OodImages {
  dataset: DatasetName;
  names: string[];
  /** n × h × w × c, pixels in [0,1]. */
  pixels: Float32Array;
}

interface EnergyState {
  images: number;
  sources: OodSource[];
  eps: number;
  userImages: OodImages | null;
  results: EnergyResult[] | null;
}

export const useEnergy = create<EnergyState>()(() => ({
  ...ENERGY_DEFAULTS,
  sources: [...ENERGY_DEFAULTS.sources],
  userImages: null,
  results: null,
}));

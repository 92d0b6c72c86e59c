/** The stability panel's settings and results: curves per model, and the MLP sweep as it fills in. */
import { create } from 'zustand';
import type { Initialisation } from '../../core/models/layers/initialisations';
import type { StabilityForm } from '../../core/metrics/stabilityForms';
import type { StabilityResult, StabilitySweepPoint, StabilitySweepResult } from '../../worker/api';

/** Defaults sized for well under a minute on wasm (the shipped CNN; 18 small MLPs). */
export const STABILITY_DEFAULTS = { images: 100, eps: [0.5, 1, 2, 4], samples: 32 } as const;
export const SWEEP_DEFAULTS = {
  widths: [16, 64, 256],
  depths: [1, 3],
  inits: ['he', 'lecun', 'ntk'] as Initialisation[],
  eps: 1,
  images: 32,
  samples: 16,
  train: true,
};

export interface SweepSettings {
  widths: number[];
  depths: number[];
  inits: Initialisation[];
  eps: number;
  images: number;
  samples: number;
  train: boolean;
}

interface StabilityState {
  images: number;
  eps: number[];
  form: StabilityForm;
  samples: number;
  results: StabilityResult[] | null;
  sweep: SweepSettings;
  /** Streamed while the sweep runs. */
  sweepPoints: StabilitySweepPoint[];
  sweepResult: StabilitySweepResult | null;
  /** What the running or last sweep was asked for (the chart's axes and legend). */
  sweepRequest: SweepSettings | null;
}

export const useStability = create<StabilityState>()(() => ({
  images: STABILITY_DEFAULTS.images,
  eps: [...STABILITY_DEFAULTS.eps],
  form: 'first-order-squared',
  samples: STABILITY_DEFAULTS.samples,
  results: null,
  sweep: SWEEP_DEFAULTS,
  sweepPoints: [],
  sweepResult: null,
  sweepRequest: null,
}));

/** The stability panel's settings and results: curves per model, and the MLP sweep as it fills in. */
import { create } from 'zustand';
import type { StabilityForm } from '../../core/metrics/stabilityForms';
import { STABILITY_FIELDS, STABILITY_RADII } from '../../core/options/stabilityOptions';
import type {
  StabilityResult,
  StabilitySweepPoint,
  StabilitySweepRequest,
  StabilitySweepResult,
} from '../../worker/api';

/** Defaults sized for well under a minute on wasm (the shipped CNN; 18 small MLPs). */
export const STABILITY_DEFAULTS = {
  images: STABILITY_FIELDS.images.default,
  eps: STABILITY_RADII,
  samples: STABILITY_FIELDS.samples.default,
} as const;
export const SWEEP_DEFAULTS: StabilitySweepRequest = {
  widths: [16, 64, 256],
  depths: [1, 3],
  inits: ['he', 'lecun', 'ntk'],
  eps: STABILITY_FIELDS.eps.default,
  images: 32,
  samples: 16,
  train: true,
};

interface StabilityState {
  images: number;
  eps: number[];
  form: StabilityForm;
  samples: number;
  results: StabilityResult[] | null;
  /** The sweep's own settings; its stability form is the panel's `form`. */
  sweep: StabilitySweepRequest;
  /** Streamed while the sweep runs. */
  sweepPoints: StabilitySweepPoint[];
  sweepResult: StabilitySweepResult | null;
  /** What the running or last sweep was asked for (the chart's axes and legend). */
  sweepRequest: StabilitySweepRequest | null;
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

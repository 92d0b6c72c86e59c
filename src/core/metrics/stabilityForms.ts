/**
 * The forms of perturbation stability (Zhu, Liu, Chrysos, Cevher, NeurIPS 2022) that stability.ts
 * computes, with the label every result carries. A module without TensorFlow.js, so that the UI can
 * offer the choice.
 */
import { STABILITY_FIELDS } from '../options/stabilityOptions';
export const STABILITY_FORMS = ['first-order-squared', 'first-order', 'finite-difference'] as const;
export type StabilityForm = (typeof STABILITY_FORMS)[number];

export const STABILITY_FORM_LABELS: Record<StabilityForm, string> = {
  'first-order-squared': 'E‖∇ₓf(x)ᵀ(x̂ − x)‖², first order, squared (default; the paper’s exact form is unverified)',
  'first-order': 'E‖∇ₓf(x)ᵀ(x̂ − x)‖, first order, not squared',
  'finite-difference': 'E‖f(x̂) − f(x)‖², finite difference',
};

export const DEFAULT_STABILITY_SAMPLES = STABILITY_FIELDS.samples.cliDefault.value;

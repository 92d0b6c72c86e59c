/**
 * The schema of a certification experiment (see field.ts): the L∞ budgets IBP and CROWN certify at (Gowal et al.
 * 2018; Zhang et al. 2018), the empirical PGD curve drawn beside them, and randomized smoothing's σ, sample counts,
 * failure probability and L2 radii (Cohen, Rosenfeld & Kolter 2019, §3.2). The analysis view's Certify panel and the
 * `certify` command read limits, defaults and help here. Pure TypeScript.
 */
import { TEST_SET_SIZE } from './analysisOptions';
import { MAX_RESTARTS, MAX_STEPS } from './attackOptions';
import type { OptionField } from './field';

export const CERTIFY_FIELDS = {
  images: {
    key: 'images',
    label: 'Certified images',
    type: 'integer',
    unit: 'images',
    min: 1,
    max: TEST_SET_SIZE,
    // A minute or two on wasm with the shipped strided CNN.
    default: 100,
    help: 'The first N test images, for IBP, CROWN and PGD alike.',
  },
  smoothingImages: {
    key: 'smoothingImages',
    label: 'Smoothing images',
    type: 'integer',
    unit: 'images',
    min: 1,
    max: TEST_SET_SIZE,
    default: 20,
    help: 'The first M of the certified images; each costs n₀ + n forward passes.',
  },
  eps: {
    key: 'eps',
    label: 'Certify at ε',
    symbol: 'ε',
    type: 'number',
    unit: 'L∞, pixels 0–1',
    min: 0,
    max: 1,
    default: 0.1,
    help: 'L∞ radii, pixels in [0,1]: certified accuracy is reported at each.',
    cliFlag: 'eps',
    cliList: true,
    cliDefault: {
      value: undefined,
      why: 'the command reports a table: 0.1,0.2,0.3 on MNIST and 2/255,8/255 on CIFAR-10; the panel draws a curve',
    },
  },
  pgdSteps: {
    key: 'pgdSteps',
    label: 'PGD steps (empirical curve)',
    type: 'integer',
    min: 1,
    max: MAX_STEPS,
    default: 20,
    help: 'Steps of the PGD attack whose accuracy is drawn above the certificates (truth lies between).',
  },
  pgdRestarts: {
    key: 'pgdRestarts',
    label: 'PGD restarts',
    type: 'integer',
    min: 1,
    max: MAX_RESTARTS,
    default: 2,
    help: 'Random restarts of that attack; more find more adversarial examples.',
  },
  sigma: {
    key: 'sigma',
    label: 'Smoothing σ',
    symbol: 'σ',
    type: 'number',
    unit: 'pixels, 0–1 scale',
    min: 0.01,
    max: 2,
    default: 0.25,
    step: 0.05,
    help: 'The noise level of the smoothed classifier; certify at the σ the model was trained with.',
    cliFlag: 'sigma',
    cliDefault: { value: undefined, why: 'required: the command does not guess the σ a model was trained with' },
  },
  radii: {
    key: 'radii',
    label: 'Certify at L2 radius',
    type: 'number',
    unit: 'L2, pixels 0–1',
    min: 0,
    max: 10,
    default: 0.5,
    help: 'The L2 radii certified accuracy under smoothing is reported at (a comma-separated list).',
    cliFlag: 'radii',
    cliList: true,
    cliDefault: { value: undefined, why: 'the command reports 0,0.5,1,1.5,2, the radii Cohen et al. tabulate' },
  },
  n0: {
    key: 'n0',
    label: 'Selection samples n₀',
    type: 'integer',
    min: 1,
    max: 10_000_000,
    default: 100,
    help: 'Noisy copies that pick the top class (Cohen et al.’s n₀ = 100).',
    cliFlag: 'n0',
  },
  n: {
    key: 'n',
    label: 'Noise samples n',
    type: 'integer',
    min: 1,
    max: 10_000_000,
    // A minute or two on wasm in the page; the radius it can certify is capped at σ·Φ⁻¹(α^(1/n)).
    default: 1000,
    help: 'Cohen et al. use 100,000; fewer give smaller radii, never false ones.',
    cliFlag: 'n',
    cliDefault: {
      value: 10_000,
      why: 'Cohen et al. certify with n = 100,000; 10,000 keeps a terminal run within minutes',
    },
  },
  alpha: {
    key: 'alpha',
    label: 'Failure probability α',
    type: 'number',
    min: 0.00001,
    max: 0.1,
    default: 0.001,
    step: 0.001,
    help: 'The certificate holds with probability 1 − α (Cohen et al.’s α = 0.001).',
    cliFlag: 'alpha',
  },
} as const satisfies Record<string, OptionField>;

/** The L∞ budgets `certify` reports without --eps, per data set (see CERTIFY_FIELDS.eps.cliDefault). */
export const CERTIFY_CLI_EPS: Record<string, number[]> = { mnist: [0.1, 0.2, 0.3], cifar10: [2 / 255, 8 / 255] };
/** The L2 radii `certify --method smoothing` reports without --radii (Cohen et al. 2019, Table 1's range). */
export const CERTIFY_CLI_RADII = [0, 0.5, 1, 1.5, 2];

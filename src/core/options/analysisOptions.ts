/**
 * The schema of the analysis view's shared settings and of its measurements (see field.ts): the number of test images
 * and seeds every panel uses, the reliability diagram's bins, and the margins and energy panels' options (stability's
 * are in stabilityOptions.ts). The view's controls, the `calibration` and `margins` commands (and their --help) and
 * the link all read them here. Pure TypeScript.
 */
import type { OptionField } from './field';

/** The MNIST and CIFAR-10 test splits hold 10,000 images each. */
export const TEST_SET_SIZE = 10_000;

export const ANALYSIS_FIELDS = {
  images: {
    key: 'images',
    label: 'Test images',
    type: 'integer',
    unit: 'images',
    min: 10,
    max: TEST_SET_SIZE,
    // Yan et al. (2020) evaluate on 1,000 test images: the view's curves are theirs at the defaults.
    default: 1000,
    help: 'How many test images (the first N) each measurement uses.',
    urlName: 'images',
  },
  seeds: {
    key: 'seeds',
    label: 'Seeds',
    type: 'integer',
    min: 1,
    max: 10,
    default: 1,
    help: 'Random seeds per setting; with several, the curves show mean ± std.',
  },
  bins: {
    key: 'bins',
    label: 'Bins',
    type: 'integer',
    min: 2,
    max: 100,
    // Guo et al. (2017) report ECE over 15 equal-width bins.
    default: 15,
    help: 'Equal-width confidence bins of the reliability diagram, (lo, hi] with the first closed.',
    urlName: 'bins',
    cliFlag: 'bins',
  },
  fitFraction: {
    key: 'fitFraction',
    label: 'Fit fraction',
    type: 'number',
    min: 0.01,
    max: 0.99,
    default: 0.5,
    help: 'The share of the images the temperature T is fitted on; the rest report ECE before and after.',
    cliFlag: 'fit-fraction',
  },
  refineSteps: {
    key: 'refineSteps',
    label: 'SGLD refinement steps',
    type: 'integer',
    unit: 'steps',
    min: 0,
    max: 10,
    // 0, 1 and 10 are the counts the view offers (Grathwohl et al. 2020, §5.3 refine with a few steps).
    default: 0,
    help: 'Steps down the model’s energy before each classification (JEM’s defence); the attack runs through them.',
  },
  eotDraws: {
    key: 'eotDraws',
    label: 'EOT draws',
    type: 'integer',
    min: 1,
    max: 16,
    // The shipped JEM's refinement figures use 4 (public/models/mnist-jem/model.json).
    default: 4,
    help: 'Noise draws of the refinement averaged per classification, so the attack sees its expectation (EOT).',
  },
} as const satisfies Record<string, OptionField>;

/**
 * Margins and distances (Lyu & Li 2020; DeepFool, Moosavi-Dezfooli et al. 2016; PGD bisection, Madry et al. 2018): the
 * analysis view's Margins panel and `margins`. The command measures more by default, and says why.
 */
export const MARGINS_FIELDS = {
  images: {
    key: 'images',
    label: 'Margin images',
    type: 'integer',
    unit: 'images',
    min: 10,
    max: TEST_SET_SIZE,
    default: 200,
    help: 'The first N test images: margins, clean and after PGD.',
    cliFlag: 'limit',
    cliDefault: {
      value: 1000,
      why: 'a terminal run measures Yan et al.’s 1,000 images; the panel’s 200 keep DeepFool within seconds on wasm',
    },
  },
  deepFoolImages: {
    key: 'deepFoolImages',
    label: 'DeepFool images',
    type: 'integer',
    unit: 'images',
    min: 0,
    max: TEST_SET_SIZE,
    default: 50,
    help: 'DeepFool and PGD bisection on the first M of them.',
    cliFlag: 'deepfool-limit',
    cliDefault: { value: 200, why: 'a terminal run can afford DeepFool on 200 images (capped at --limit)' },
  },
  adversarialEps: {
    key: 'adversarialEps',
    label: 'PGD ε for adversarial margins',
    symbol: 'the adversarial margins’ ε',
    type: 'number',
    unit: 'L∞, pixels 0–1',
    min: 0,
    max: 1,
    default: 0.1,
    help: 'PGD-20, L∞, pixels in [0,1]; 0 leaves it out.',
    cliFlag: 'adversarial-eps',
    cliDefault: { value: 0, why: 'the command measures clean margins unless asked; the panel shows both' },
  },
  pgdDistance: {
    key: 'pgdDistance',
    label: 'PGD L∞ distance (bisection on ε)',
    type: 'boolean',
    default: true,
    help: 'Also the smallest L∞ ε at which PGD succeeds, by bisection.',
    cliFlag: 'pgd-distance',
    cliDefault: { value: false, why: 'the bisection costs minutes on the command’s 200 DeepFool images' },
  },
  histogramBins: {
    key: 'histogramBins',
    label: 'Histogram bins',
    type: 'integer',
    min: 1,
    max: 1000,
    default: 20,
    help: 'Bins of the margin and distance histograms.',
    cliFlag: 'bins',
  },
  overshoot: {
    key: 'overshoot',
    label: 'DeepFool overshoot',
    type: 'number',
    min: 0,
    max: 1,
    // Moosavi-Dezfooli et al. (2016, §3) overshoot by 0.02.
    default: 0.02,
    help: 'The step past the linearised boundary that makes DeepFool cross it.',
    cliFlag: 'overshoot',
  },
  maxIterations: {
    key: 'maxIterations',
    label: 'DeepFool iterations',
    type: 'integer',
    min: 1,
    max: 1000,
    default: 50,
    help: 'DeepFool gives up on an image after this many linearisations.',
    cliFlag: 'max-iterations',
  },
  epsMax: {
    key: 'epsMax',
    label: 'Bisection ε ceiling',
    type: 'number',
    unit: 'L∞, pixels 0–1',
    min: 0.01,
    max: 1,
    default: 0.5,
    help: 'The largest ε the PGD bisection tries.',
    cliFlag: 'eps-max',
  },
  bisectionSteps: {
    key: 'bisectionSteps',
    label: 'Bisection PGD steps',
    type: 'integer',
    min: 1,
    max: 1000,
    default: 20,
    help: 'Steps of the PGD attack at each ε of the bisection.',
    cliFlag: 'steps',
  },
} as const satisfies Record<string, OptionField>;

/** The energy (out-of-distribution) panel and `calibration --ood` (Liu et al. 2020, energy scores). */
export const ENERGY_FIELDS = {
  images: {
    key: 'images',
    label: 'Energy images',
    type: 'integer',
    unit: 'images',
    min: 10,
    max: TEST_SET_SIZE,
    default: 500,
    help: 'The first N test images, and as many noise, inverted and adversarial images.',
  },
  eps: {
    key: 'eps',
    label: 'PGD ε for adversarial energies',
    symbol: 'the adversarial images’ ε',
    type: 'number',
    unit: 'L∞, pixels 0–1',
    min: 0.001,
    max: 1,
    default: 0.1,
    step: 0.001,
    help: 'PGD-10, L∞, pixels in [0,1]; 0.1 suits MNIST, 8/255 ≈ 0.031 CIFAR-10.',
    cliFlag: 'ood-eps',
  },
} as const satisfies Record<string, OptionField>;

/** The refinement step counts the analysis view offers. */
export const REFINE_STEP_CHOICES = [0, 1, 10] as const;

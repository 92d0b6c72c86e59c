/**
 * The schema of the analysis view's shared settings and of the calibration measurement (see field.ts): the number of
 * test images and seeds every panel uses, and the reliability diagram's bins. The view's controls, the `calibration`
 * command and the link all read them here. Pure TypeScript.
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

/** The refinement step counts the analysis view offers. */
export const REFINE_STEP_CHOICES = [0, 1, 10] as const;

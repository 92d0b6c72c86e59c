/**
 * The schema of perturbation stability (Zhu, Liu, Chrysos & Cevher, NeurIPS 2022; see field.ts): the analysis view's
 * Stability panel, its MLP width × depth sweep and the `stability` command read limits, defaults and help here. The
 * sweep's widths and depths are the MLP's, from the training schema. Pure TypeScript.
 */
import type { OptionField } from './field';
import { MODEL_FIELDS } from './trainingOptions';

/**
 * Perturbation stability (Zhu, Liu, Chrysos & Cevher, NeurIPS 2022): the Stability panel, its MLP sweep and
 * `stability`. The sweep's widths and depths take the MLP's limits from the training schema (MODEL_FIELDS).
 */
export const STABILITY_FIELDS = {
  images: {
    key: 'images',
    label: 'Stability images',
    type: 'integer',
    unit: 'images',
    min: 1,
    // The whole evaluation set is differentiated at once (k backward passes): keep it modest.
    max: 2000,
    default: 100,
    help: 'The first N test images.',
    cliFlag: 'limit',
  },
  eps: {
    key: 'eps',
    label: 'Stability ε (L2)',
    symbol: 'the stability ε',
    type: 'number',
    unit: 'L2, pixels 0–1',
    min: 0,
    max: 100,
    default: 1,
    step: 0.1,
    help: 'Radii of the L2 ball, pixels in [0,1] (‖x‖₂ of an MNIST digit is about 9).',
    cliFlag: 'eps',
    cliList: true,
    cliDefault: { value: undefined, why: 'the command and the panel measure the radii 0.5, 1, 2 and 4' },
  },
  samples: {
    key: 'samples',
    label: 'Draws per image',
    type: 'integer',
    unit: 'draws',
    min: 1,
    max: 100_000,
    default: 32,
    help: 'Monte-Carlo perturbations per image and ε.',
    cliFlag: 'samples',
    cliDefault: {
      value: 64,
      why: 'a terminal run reports numbers: 64 draws shrink the Monte-Carlo spread by √2 at twice the page’s cost',
    },
  },
} as const satisfies Record<string, OptionField>;

/** The radii a stability curve is measured at by default, in the panel and in `stability`. */
export const STABILITY_RADII = [0.5, 1, 2, 4] as const;

/** The MLP sweep's widths and depths: the MLP's own limits (trainingOptions.ts), as lists. Context: `arch: 'mlp'`. */
export const SWEEP_FIELDS = {
  widths: {
    ...MODEL_FIELDS.width,
    key: 'widths',
    label: 'Widths',
    help: 'Hidden units per layer.',
    cliFlag: 'widths',
    cliList: true,
    cliDefault: { value: undefined, why: 'required: the widths are what the sweep is of' },
  },
  depths: {
    ...MODEL_FIELDS.depth,
    key: 'depths',
    label: 'Depths',
    help: 'Hidden layers.',
    cliFlag: 'depths',
    cliList: true,
  },
} as const satisfies Record<string, OptionField>;

/** The sweep's context: the limits are the MLP's. */
export const MLP_CONTEXT = { arch: 'mlp' } as const;

/**
 * The schema of JEM training (Grathwohl et al. 2020): the flags of `train --jem on` and the training lab's JEM run
 * (see field.ts; the other defenses are in defenseOptions.ts). Parsed by cli/jemArgs.ts. Pure TypeScript.
 */
import type { OptionField } from './field';

/**
 * JEM (Grathwohl et al. 2020, §5 and their code), in the paper's units (images in [−1, 1]); sgld.ts fromPaperUnits
 * converts step, noise and data noise for the models' [0, 1] inputs.
 */
export const JEM_FIELDS = {
  jem: {
    key: 'jem',
    label: 'JEM',
    type: 'boolean',
    default: false,
    help: 'Train a joint energy model: cross-entropy plus log p(x) by SGLD from a replay buffer.',
    cliFlag: 'jem',
  },
  sgldSteps: {
    key: 'sgldSteps',
    label: 'SGLD steps',
    type: 'integer',
    unit: 'steps',
    min: 1,
    max: 1000,
    default: 20,
    help: 'Langevin steps per sample.',
    cliFlag: 'sgld-steps',
  },
  sgldStep: {
    key: 'sgldStep',
    label: 'SGLD step size',
    type: 'number',
    unit: 'paper units, images in [−1, 1]',
    min: 0,
    max: 10_000,
    default: 1,
    help: 'The gradient step of each Langevin step.',
    cliFlag: 'sgld-step',
  },
  sgldNoise: {
    key: 'sgldNoise',
    label: 'SGLD noise',
    type: 'number',
    unit: 'paper units, images in [−1, 1]',
    min: 0,
    max: 10,
    default: 0.01,
    help: 'The noise of each Langevin step.',
    cliFlag: 'sgld-noise',
  },
  buffer: {
    key: 'buffer',
    label: 'Replay buffer',
    type: 'integer',
    unit: 'images',
    min: 1,
    max: 200_000,
    default: 10_000,
    help: 'Samples kept between steps to start the chains from.',
    cliFlag: 'buffer',
  },
  reinit: {
    key: 'reinit',
    label: 'Re-initialised share',
    type: 'number',
    min: 0,
    max: 1,
    default: 0.05,
    help: 'The share of chains started from uniform noise instead of the buffer.',
    cliFlag: 'reinit',
  },
  dataNoise: {
    key: 'dataNoise',
    label: 'Data noise',
    type: 'number',
    unit: 'paper units, images in [−1, 1]',
    min: 0,
    max: 2,
    default: 0.03,
    help: 'Gaussian noise on the data images of the log p(x) term.',
    cliFlag: 'data-noise',
  },
  energyReg: {
    key: 'energyReg',
    label: 'Energy regulariser',
    type: 'number',
    min: 0,
    max: 100,
    default: 0,
    help: 'Weight of the squared energies, which keeps them from drifting (0: none).',
    cliFlag: 'energy-reg',
  },
  classConditional: {
    key: 'classConditional',
    label: 'Class-conditional buffer',
    type: 'boolean',
    default: false,
    help: 'Keep one buffer segment per class, so samples of each class can be drawn.',
    cliFlag: 'class-conditional',
  },
  warmupEpochs: {
    key: 'warmupEpochs',
    label: 'Classifier warm-up epochs',
    type: 'integer',
    unit: 'epochs',
    min: 0,
    max: 1000,
    default: 0,
    help: 'Epochs of cross-entropy alone before the log p(x) term starts (JEM itself trains from scratch).',
    cliFlag: 'jem-warmup',
  },
} as const satisfies Record<string, OptionField>;

/**
 * The schema of a training run, part one (see field.ts): the model (architecture and its sizes), the optimizer (the
 * recipe's parts a run may change, src/core/train/recipes.ts) and the run itself (epochs, seed, images, reports).
 * The defense and the probes that watch it are part two, defenseOptions.ts. The training lab's forms render from
 * these fields, `train` parses them and prints --help from them, and the core checks a run's spec with them
 * (core/train/trainingRun.ts `checkTrainingRunSpec`). Links carry a comparison by its preset only, so no field here
 * has a link name. Pure TypeScript.
 */
import { ARCHITECTURES } from '../models/architectures';
import { INITIALISATIONS } from '../models/layers/initialisations';
import { NORMALISATIONS } from '../models/normalisationNames';
import { SOLVERS } from '../ode/solverNames';
import { TEST_SET_SIZE } from './analysisOptions';
import type { OptionContext, OptionField } from './field';

/** The training splits' sizes: MNIST 60,000, CIFAR-10 50,000. */
export const TRAIN_SET_SIZE: Record<string, number> = { mnist: 60_000, cifar10: 50_000 };

/**
 * The sizes each architecture builds with when a run does not say: Zhu et al.'s MLP (2 × 256), the strided CNN of
 * Wong et al. (16 channels, dense 100), the residual CNN (2 blocks at width 16). The registry builds with these.
 */
export const ARCH_SIZE_DEFAULTS = {
  mlp: { width: 256, depth: 2 },
  'strided-cnn': { channels: 16, width: 100 },
  'res-cnn': { width: 16, depth: 2 },
} as const;

/** The residual CNN's limits (Xie & Yuille's depth study): 0 to 32 blocks, 1 to 256 channels. */
const RES_CNN_LIMITS = { depth: { min: 0, max: 32 }, width: { min: 1, max: 256 } } as const;
const isResCnn = (ctx: OptionContext) => ctx.arch === 'res-cnn';

/** ODE solver steps of Yan et al.'s models: 10 as published, 4 at the classroom size (yanModels.ts YAN_SIZES). */
export const ODE_STEPS_BY_SIZE = { paper: 10, classroom: 4 } as const;

const archSize = (ctx: OptionContext, key: 'width' | 'depth' | 'channels'): number | undefined => {
  const sizes = ARCH_SIZE_DEFAULTS[ctx.arch as keyof typeof ARCH_SIZE_DEFAULTS] as Record<string, number> | undefined;
  return sizes?.[key];
};

/** The model a run trains. Context: `arch`, `size`. */
export const MODEL_FIELDS = {
  arch: {
    key: 'arch',
    label: 'Architecture',
    type: 'enum',
    choices: ARCHITECTURES,
    default: 'cnn',
    help: 'The network to train (src/core/models/architectures.ts).',
    cliFlag: 'arch',
    cliDefault: { value: undefined, why: 'required: the command names the model it writes' },
  },
  size: {
    key: 'size',
    label: 'Size',
    type: 'enum',
    choices: ['classroom', 'paper'],
    default: 'classroom',
    help: 'Yan et al.’s and Lyu & Li’s models: classroom (narrow, fast) or paper (as published, slow).',
    cliFlag: 'size',
  },
  solver: {
    key: 'solver',
    label: 'ODE solver',
    type: 'enum',
    choices: SOLVERS,
    default: 'euler',
    help: 'ODENet and TisODE: fixed-step Euler, midpoint or RK4, or adaptive dopri5 (which can mask gradients).',
    cliFlag: 'solver',
  },
  steps: {
    key: 'steps',
    label: 'Solver steps',
    type: 'integer',
    unit: 'steps',
    min: 1,
    max: 1000,
    default: (ctx) => (ctx.size === 'paper' ? ODE_STEPS_BY_SIZE.paper : ODE_STEPS_BY_SIZE.classroom),
    help: 'Steps of the fixed-step ODE solver over [0, T].',
    cliFlag: 'steps',
  },
  channels: {
    key: 'channels',
    label: 'Channels',
    type: 'integer',
    unit: 'channels',
    min: 1,
    max: 256,
    // Auto: the architecture's own (Yan et al.'s: 16 classroom, 64 paper; the strided CNN's 16).
    help: 'Convolution channels (Yan et al.’s models and the strided CNN).',
    cliFlag: 'channels',
  },
  width: {
    key: 'width',
    label: 'Width',
    type: 'integer',
    unit: 'units',
    min: 1,
    max: (ctx) => (isResCnn(ctx) ? RES_CNN_LIMITS.width.max : 16_384),
    default: (ctx) => archSize(ctx, 'width'),
    help: 'The MLP’s hidden width, the strided CNN’s dense layer, or the residual CNN’s channels.',
    cliFlag: 'width',
  },
  depth: {
    key: 'depth',
    label: 'Depth (hidden layers)',
    type: 'integer',
    unit: 'layers',
    min: (ctx) => (isResCnn(ctx) ? RES_CNN_LIMITS.depth.min : 1),
    max: (ctx) => (isResCnn(ctx) ? RES_CNN_LIMITS.depth.max : 64),
    default: (ctx) => archSize(ctx, 'depth'),
    help: 'The MLP’s hidden layers, or the residual CNN’s blocks.',
    cliFlag: 'depth',
  },
  init: {
    key: 'init',
    label: 'Initialisation',
    type: 'enum',
    choices: INITIALISATIONS,
    default: 'he',
    help: 'The MLP’s initialisation: He (variance 2/fan-in), LeCun (1/fan-in), NTK parameterisation, or small.',
    cliFlag: 'init',
  },
  bias: {
    key: 'bias',
    label: 'Biases',
    type: 'boolean',
    default: true,
    help: 'The MLP’s biases (off: a homogeneous network, Lyu & Li 2020).',
    cliFlag: 'bias',
  },
  norm: {
    key: 'norm',
    label: 'Normalisation',
    type: 'enum',
    choices: NORMALISATIONS,
    default: 'none',
    help: 'After each conv of cnn, cifar-cnn and res-cnn: none, batch norm or group norm.',
    cliFlag: 'norm',
  },
} as const satisfies Record<string, OptionField>;

/** The optimizer: each field left out keeps the architecture's recipe (src/core/train/recipes.ts). */
export const OPTIMIZER_FIELDS = {
  optimizer: {
    key: 'optimizer',
    label: 'Optimizer',
    type: 'enum',
    choices: ['adam', 'sgd', 'loss-based'],
    help: 'Adam, SGD, or SGD with Lyu & Li’s loss-based learning rate; auto: the architecture’s recipe.',
    cliFlag: 'optimizer',
  },
  learningRate: {
    key: 'learningRate',
    label: 'Learning rate',
    type: 'number',
    min: 1e-7,
    max: 1,
    help: 'The optimizer’s (initial) learning rate; auto: the recipe’s.',
    cliFlag: 'lr',
  },
  weightDecay: {
    key: 'weightDecay',
    label: 'Weight decay',
    type: 'number',
    min: 0,
    max: 0.5,
    help: 'L2 weight decay; auto: the recipe’s.',
    cliFlag: 'weight-decay',
  },
  noise: {
    key: 'noise',
    label: 'Noise augmentation',
    type: 'boolean',
    help: 'Gaussian noise on the training images (Yan et al.’s ODE recipe); auto: the recipe’s.',
    cliFlag: 'noise',
  },
  cropFlip: {
    key: 'cropFlip',
    label: 'Random crops and flips',
    type: 'boolean',
    help: 'Random-crop and horizontal-flip augmentation; auto: on for CIFAR-10, off for MNIST.',
    cliFlag: 'crop-flip',
  },
  steadyStateWeight: {
    key: 'steadyStateWeight',
    label: 'Steady-state weight',
    type: 'number',
    min: 0,
    max: 100,
    help: 'TisODE’s steady-state regulariser weight (Yan et al. 2020, §4); auto: the recipe’s.',
    cliFlag: 'ss-weight',
  },
  steadyStateStart: {
    key: 'steadyStateStart',
    label: 'Steady-state start',
    type: 'integer',
    unit: 'epochs',
    min: 0,
    max: 1000,
    help: 'The epoch the steady-state term starts at; auto: the recipe’s.',
    cliFlag: 'ss-start',
  },
} as const satisfies Record<string, OptionField>;

/** The run: how long, on how many images, seen how often. Context: `dataset`. */
export const TRAINING_RUN_FIELDS = {
  epochs: {
    key: 'epochs',
    label: 'Epochs',
    type: 'integer',
    unit: 'epochs',
    min: 1,
    max: 1000,
    default: 1,
    help: 'Passes over the training images.',
    cliFlag: 'epochs',
    cliDefault: { value: undefined, why: 'required: a run written to disk states how long it trained' },
  },
  seed: {
    key: 'seed',
    label: 'Training seed',
    type: 'integer',
    min: 0,
    max: 2_147_483_647,
    default: 1,
    help: 'Initialisation, data order, augmentation and the probes’ random starts.',
    cliFlag: 'seed',
  },
  trainExamples: {
    key: 'trainExamples',
    label: 'Training images',
    type: 'integer',
    unit: 'images',
    min: 1,
    max: (ctx) => TRAIN_SET_SIZE[ctx.dataset ?? 'mnist'] ?? TRAIN_SET_SIZE.mnist,
    default: (ctx) => TRAIN_SET_SIZE[ctx.dataset ?? 'mnist'] ?? TRAIN_SET_SIZE.mnist,
    help: 'The first N training images.',
    cliFlag: 'limit',
    cliDefault: { value: undefined, why: 'every image the data folder holds (the CIFAR-10 sample holds fewer)' },
  },
  testExamples: {
    key: 'testExamples',
    label: 'Test images',
    type: 'integer',
    unit: 'images',
    min: 1,
    max: TEST_SET_SIZE,
    default: TEST_SET_SIZE,
    // The figure the model records (model.json heldOutAccuracy, with its n): a quick run, or a slow model (the ODE
    // nets take seconds per thousand images), may measure it on fewer, and says so.
    help: 'The first N test images, for the accuracy the written model records.',
    cliFlag: 'test-limit',
    cliDefault: { value: undefined, why: 'every test image the data folder holds' },
  },
  heldOutExamples: {
    key: 'heldOutExamples',
    label: 'Held-out images',
    type: 'integer',
    unit: 'images',
    min: 0,
    max: TEST_SET_SIZE,
    // A held-out accuracy on 1,000 images is within ±3 points (95 %) and costs a second per report.
    default: 1000,
    help: 'The first N test images, for the live test-accuracy curve (0: none).',
  },
  reportEvery: {
    key: 'reportEvery',
    label: 'Report every (batches)',
    type: 'integer',
    unit: 'batches',
    min: 1,
    max: 1000,
    default: 100,
    help: 'A point on every curve each this many batches.',
  },
} as const satisfies Record<string, OptionField>;

/**
 * The schema of a training run, part two (see field.ts; part one is trainingOptions.ts): the defense a run trains
 * with — adversarial training (Goodfellow et al. 2015; Madry et al. 2018; Wong, Rice & Kolter 2020; Zhang et al. 2019;
 * Xie & Yuille 2020), certified training (IBP, Gowal et al. 2018; CROWN-IBP, Zhang et al. 2020), Gaussian noise for
 * randomized smoothing (Cohen et al. 2019) — and the probes (JEM's fields: jemOptions.ts) that watch it (PGD and
 * IBP accuracy on held-out images at every report). The training lab's DefenseEditor and probe settings render from
 * these fields, `train` parses them (cli/trainingDefenseArgs.ts) and the core checks with them
 * (adversarialTraining.ts, certifiedTraining.ts, robustProbe.ts). Pure TypeScript.
 *
 * ε's lower limit is 0.001: below 1/255 ≈ 0.0039 no 8-bit pixel can change, so smaller budgets train nothing.
 */
import { ADVERSARIAL_BATCH_NORMS, ADVERSARIAL_METHODS, CERTIFIED_TRAINING_BOUNDS } from '../train/defenseNames';
import type { OptionContext, OptionField } from './field';

const MIN_EPS = 0.001;
/** Probe images come from the end of the test split; at most half of it, so the first half stays for held-out use. */
const MAX_PROBE_IMAGES = 5000;

/** Madry et al.'s (2018) budgets: ε = 0.3 on MNIST, 8/255 on CIFAR-10. */
const adversarialEps = (ctx: OptionContext) => (ctx.dataset === 'cifar10' ? 8 / 255 : 0.3);
/** Gowal et al. (2018, Table 3) certify MNIST at 0.1 and CIFAR-10 at 2/255 as their first, reliably trained budgets. */
const certifiedEps = (ctx: OptionContext) => (ctx.dataset === 'cifar10' ? 2 / 255 : 0.1);

/** Why the command's schedules are longer than the page's (printed in --help). */
const TERMINAL_SCHEDULE =
  'a terminal run trains for tens of epochs and the shipped models’ recorded commands rely on it; the page’s ' +
  'classroom runs last one to three epochs, so their schedules are short';

/** Adversarial training. Context: `dataset`, `method`. */
export const ADVERSARIAL_FIELDS = {
  method: {
    key: 'method',
    label: 'Adversarial training',
    type: 'enum',
    choices: ADVERSARIAL_METHODS,
    help: 'The attack each batch is trained against: FGSM, FGSM from a random start, PGD, or TRADES.',
    cliFlag: 'adv',
  },
  eps: {
    key: 'eps',
    label: 'Training ε',
    symbol: 'the adversarial training ε',
    type: 'number',
    unit: 'L∞, pixels 0–1',
    min: MIN_EPS,
    max: 1,
    default: adversarialEps,
    fraction: true,
    step: 0.01,
    help: 'L∞, pixels in [0,1].',
    cliFlag: 'adv-eps',
  },
  steps: {
    key: 'steps',
    label: 'Attack steps',
    symbol: 'the adversarial training steps',
    type: 'integer',
    unit: 'steps',
    min: 1,
    max: 100,
    // Madry et al. use 40 on MNIST; 10 keeps training affordable here (FGSM methods always take 1).
    default: 10,
    help: 'PGD and TRADES steps; step size 2.5·ε/steps.',
    cliFlag: 'adv-steps',
  },
  alpha: {
    key: 'alpha',
    label: 'Step size α',
    symbol: 'the adversarial step size α',
    type: 'number',
    unit: 'pixels, 0–1 scale',
    // Below 10⁻⁴ a step moves no 8-bit pixel; above 2 it crosses the whole [0, 1] box.
    min: 0.0001,
    max: 2,
    help: 'The step at the full ε; auto: ε (fgsm), 1.25·ε (fgsm-rs), 2.5·ε/steps (pgd, trades).',
    cliFlag: 'adv-alpha',
  },
  beta: {
    key: 'beta',
    label: 'TRADES β',
    symbol: 'TRADES’ β',
    type: 'number',
    min: 0,
    max: 1000,
    // Zhang et al. (2019) use β = 6 on MNIST and CIFAR-10.
    default: 6,
    step: 0.5,
    help: 'The weight of the robustness term KL(f(x) ‖ f(x′)).',
    cliFlag: 'adv-beta',
  },
  warmupEpochs: {
    key: 'warmupEpochs',
    label: 'ε warm-up epochs',
    symbol: 'the ε warm-up',
    type: 'number',
    unit: 'epochs',
    min: 0,
    max: 1000,
    default: 1,
    step: 0.5,
    help: 'ε grows from 0 over these epochs (small models fail to learn at the full ε from the start).',
    cliFlag: 'adv-warmup',
    cliDefault: { value: 0, why: `full ε from the first batch, as Madry et al. train; ${TERMINAL_SCHEDULE}` },
  },
  fraction: {
    key: 'fraction',
    label: 'Adversarial share',
    symbol: 'the adversarial share of each batch',
    type: 'number',
    unit: 'share of each batch',
    min: 0.01,
    max: 1,
    default: 1,
    step: 0.05,
    help: 'Of each batch (fgsm, fgsm-rs, pgd); the rest stays clean. TRADES always uses 1.',
    cliFlag: 'adv-fraction',
  },
  cleanShare: {
    key: 'cleanShare',
    label: 'Clean images beside',
    symbol: 'the clean share beside the adversarial images',
    type: 'number',
    unit: 'share of the batch',
    min: 0,
    max: 1,
    default: 0,
    help: 'Clean images trained on beside the adversarial ones (Xie & Yuille 2020, §3).',
    cliFlag: 'adv-clean',
  },
  batchNorm: {
    key: 'batchNorm',
    label: 'Batch norm',
    type: 'enum',
    choices: ADVERSARIAL_BATCH_NORMS,
    default: 'shared',
    help: 'With clean images beside: one batch norm for both, or BN_clean and BN_adv (Xie & Yuille 2020, §4).',
    cliFlag: 'adv-bn',
  },
} as const satisfies Record<string, OptionField>;

/** Certified training and Gaussian-noise training. Context: `dataset`. */
export const CERTIFIED_FIELDS = {
  bound: {
    key: 'bound',
    label: 'Certified training',
    type: 'enum',
    choices: CERTIFIED_TRAINING_BOUNDS,
    help: 'Train on the worst case of the interval (IBP) or CROWN-IBP bounds over the ε-box.',
    cliFlag: 'certified',
  },
  eps: {
    key: 'eps',
    label: 'Certified training ε',
    symbol: 'the certified training ε',
    type: 'number',
    unit: 'L∞, pixels 0–1',
    min: MIN_EPS,
    max: 1,
    default: certifiedEps,
    fraction: true,
    step: 0.01,
    help: 'L∞, pixels in [0,1]; Gowal et al. train at 0.4 for a test ε of 0.3.',
    cliFlag: 'cert-eps',
  },
  warmupEpochs: {
    key: 'warmupEpochs',
    label: 'Plain warm-up epochs',
    symbol: 'the certified training warm-up',
    type: 'number',
    unit: 'epochs',
    min: 0,
    max: 1000,
    default: 0.25,
    step: 0.5,
    help: 'ε = 0 first.',
    cliFlag: 'cert-warmup',
    cliDefault: { value: 1, why: TERMINAL_SCHEDULE },
  },
  rampEpochs: {
    key: 'rampEpochs',
    label: 'ε ramp epochs',
    symbol: 'the certified training ramp',
    type: 'number',
    unit: 'epochs',
    min: 0,
    max: 1000,
    default: 1,
    step: 0.5,
    help: 'ε grows to its value and κ falls to its final value.',
    cliFlag: 'cert-ramp',
    cliDefault: { value: 5, why: TERMINAL_SCHEDULE },
  },
  finalKappa: {
    key: 'finalKappa',
    label: 'Final κ',
    symbol: 'κ',
    type: 'number',
    min: 0,
    max: 1,
    // Gowal et al. (2018, §4) end κ at ½: half the loss on clean logits, half on the worst case of the box.
    default: 0.5,
    step: 0.05,
    help: 'Weight of the clean loss; the rest goes to the certified bound.',
    cliFlag: 'cert-kappa',
  },
  finalBeta: {
    key: 'finalBeta',
    label: 'Final β',
    symbol: 'β',
    type: 'number',
    min: 0,
    max: 1,
    // Zhang et al. (2020) end CROWN-IBP's β at 0 (pure IBP bounds at the end).
    default: 0,
    help: 'CROWN-IBP: the weight of the CROWN bound after the ramp (β falls from 1).',
    cliFlag: 'cert-beta',
  },
  sigma: {
    key: 'sigma',
    label: 'Noise σ',
    symbol: 'the noise σ',
    type: 'number',
    unit: 'pixels, 0–1 scale',
    min: 0.01,
    max: 4,
    // Cohen et al. (2019) train and certify MNIST at σ ∈ {0.25, 0.5, 1}.
    default: 0.5,
    step: 0.05,
    help: 'Trains on x + N(0, σ²), the base classifier of randomized smoothing; certify at the same σ.',
    cliFlag: 'noise-sigma',
    cliDefault: { value: undefined, why: 'the flag itself chooses Gaussian-noise training' },
  },
} as const satisfies Record<string, OptionField>;

/** The probes: PGD and IBP accuracy on the last test images at every report. Context: `dataset`. */
export const PROBE_FIELDS = {
  robustImages: {
    key: 'robustImages',
    label: 'Robust curve images',
    type: 'integer',
    unit: 'images',
    min: 0,
    max: MAX_PROBE_IMAGES,
    // PGD-10 on 200 images keeps each report under a second for the small models; ±7 points (95 %) at 50 %.
    default: 200,
    help: 'The last N test images, attacked by PGD at every report (0: no curve).',
    cliFlag: 'robust-probe',
  },
  robustEps: {
    key: 'robustEps',
    label: 'Robust curve ε',
    symbol: 'the robust-accuracy probe’s ε',
    type: 'number',
    unit: 'L∞, pixels 0–1',
    min: MIN_EPS,
    max: 1,
    default: adversarialEps,
    fraction: true,
    step: 0.01,
    help: 'L∞; the probe images are the last test images, apart from the held-out ones.',
    cliDefault: { value: undefined, why: 'the command probes at the training ε' },
  },
  robustSteps: {
    key: 'robustSteps',
    label: 'Robust curve PGD steps',
    symbol: 'the robust-accuracy probe’s PGD steps',
    type: 'integer',
    unit: 'steps',
    min: 1,
    max: 200,
    default: 10,
    help: 'Steps of the probe’s PGD (step 2.5·ε/steps, uniform random start).',
    cliFlag: 'probe-steps',
  },
  stopOnCollapse: {
    key: 'stopOnCollapse',
    label: 'Stop on collapse',
    type: 'boolean',
    default: false,
    help: 'Stop a run whose robust accuracy collapses, keeping its best weights (Wong et al.’s early stopping).',
    cliFlag: 'stop-on-collapse',
  },
  certifiedImages: {
    key: 'certifiedImages',
    label: 'Certified curve images',
    type: 'integer',
    unit: 'images',
    min: 0,
    max: MAX_PROBE_IMAGES,
    // IBP costs about two forward passes: 200 images keep each report quick.
    default: 200,
    help: 'The last N test images, certified by IBP at every report (0: no curve).',
    cliFlag: 'cert-probe',
  },
  certifiedEps: {
    key: 'certifiedEps',
    label: 'Certified curve ε',
    symbol: 'the certified-accuracy probe’s ε',
    type: 'number',
    unit: 'L∞, pixels 0–1',
    min: MIN_EPS,
    max: 1,
    default: certifiedEps,
    fraction: true,
    step: 0.01,
    help: 'L∞; the last test images, as the robust curve’s.',
    cliDefault: { value: undefined, why: 'the command certifies at the training ε' },
  },
} as const satisfies Record<string, OptionField>;

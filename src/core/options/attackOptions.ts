/**
 * The schema of an attack: every option's type, unit, limits, default, help, link parameter and CLI flag, in one
 * table (see field.ts). The attack lab's form renders from it, `eval` and `attack` parse and print --help from it,
 * the link reads and writes it, and core/attacks/resolveOptions.ts validates with it. Pure TypeScript.
 *
 * BIM is cited as Kurakin, Goodfellow & Bengio 2016 (arXiv:1607.02533, "Adversarial examples in the physical
 * world"), the version that introduced it; the ICLR 2017 workshop paper is the same work.
 */
import { ATTACK_METHODS, NORMS, type AttackMethod, type Norm } from '../attacks/types';
import type { DatasetName } from '../data/dataset';
import type { OptionContext, OptionField, OptionValue } from './field';

/** The gradient attacks' limits. L∞ can never exceed 1 on [0,1] pixels. */
export const MAX_STEPS = 1000;
export const MAX_RESTARTS = 100;
/**
 * L2: 100 is past the L2 diameter of every image here (28 for MNIST's [0,1]^784, 55.4 for CIFAR-10's [0,1]^3072), so
 * it refuses only what no image can mean; the budgets papers use are far below (1.5–3 on MNIST, 0.5 on CIFAR-10).
 */
export const MAX_EPS: Record<Norm, number> = { linf: 1, l2: 100 };
export const MAX_SEED = 2 ** 31 - 1;

/**
 * Default step size α = 2.5·ε/steps: the total path (2.5·ε) can cross the whole ball and come back, so the budget
 * is reachable whatever the step count (Madry et al. 2018's MNIST challenge takes 40 steps of 0.01 at ε = 0.3, about
 * 1.33·ε/steps; 2.5 is the robustness library's rule).
 */
export const DEFAULT_STEP_SIZE_FACTOR = 2.5;

export function defaultStepSize(eps: number, steps: number): number {
  return (DEFAULT_STEP_SIZE_FACTOR * eps) / Math.max(1, steps);
}

/**
 * The budget and step count a data set starts with. MNIST: ε = 0.3 under L∞ and 40 PGD steps are Madry et al.'s
 * (2018) MNIST setting; ε = 2 under L2 is the usual L2 counterpart (Croce & Hein's RobustBench MNIST tables use
 * 1.5–2). CIFAR-10: ε = 8/255 under L∞ is Madry et al.'s CIFAR budget, ε = 0.5 under L2 RobustBench's CIFAR-10 L2
 * threat model (Croce et al. 2021); 10 steps make the auto step size 2.5·ε/10 = 2/255, Madry et al.'s CIFAR step.
 */
export const ATTACK_DEFAULTS_BY_DATASET: Record<DatasetName, { eps: Record<Norm, number>; steps: number }> = {
  mnist: { eps: { linf: 0.3, l2: 2 }, steps: 40 },
  cifar10: { eps: { linf: 8 / 255, l2: 0.5 }, steps: 10 },
};

/** APGD and C&W take the iterations their authors' defaults are built on (Croce & Hein 2020; Carlini & Wagner 2017). */
const OWN_STEPS: Partial<Record<AttackMethod, number>> = {
  'apgd-ce': 100,
  'apgd-dlr': 100,
  'apgd-t': 100,
  'autoattack-lite': 100,
  'cw-l2': 100,
};

/** The context an attack's limits and defaults depend on: data set, norm and method (absent: MNIST, L∞, PGD). */
export function attackContext(dataset: DatasetName, norm: Norm, method: AttackMethod): OptionContext {
  return { dataset, norm, method };
}
const datasetOf = (ctx: OptionContext): DatasetName => (ctx.dataset === 'cifar10' ? 'cifar10' : 'mnist');
const normOf = (ctx: OptionContext): Norm => (ctx.norm === 'l2' ? 'l2' : 'linf');

/** Colour images are 8-bit: under L∞ on CIFAR-10 ε counts in grey levels, k/255. */
export const PIXEL_LEVEL = 1 / 255;
export function epsInGreyLevels(dataset: DatasetName, norm: Norm): boolean {
  return dataset === 'cifar10' && norm === 'linf';
}

/** ε as text in the unit the data set's budgets are quoted in: "8/255" for L∞ on 8-bit colour images, else "0.3". */
export function epsText(eps: number, dataset: DatasetName, norm: Norm): string {
  if (epsInGreyLevels(dataset, norm)) {
    const levels = eps * 255;
    if (Math.abs(levels - Math.round(levels)) < 1e-9) return `${Math.round(levels)}/255`;
  }
  return String(eps);
}

export const TARGET_CHOICES = [
  'untargeted',
  'random',
  'least-likely',
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
] as const;
export type TargetChoice = (typeof TARGET_CHOICES)[number];

/** The attack's options. Keys are the attack lab's field names; `urlName` and `cliFlag` keep the old spellings. */
export const ATTACK_FIELDS = {
  method: {
    key: 'method',
    label: 'Attack method',
    type: 'enum',
    choices: ATTACK_METHODS,
    default: 'pgd',
    help: 'Which attack: FGSM, BIM, PGD, APGD (CE, DLR, targeted), AutoAttack-lite or Carlini & Wagner L2.',
    urlName: 'method',
    cliFlag: 'attack',
  },
  norm: {
    key: 'norm',
    label: 'Norm',
    type: 'enum',
    choices: NORMS,
    default: 'linf',
    help: 'The ball δ must stay in: L∞ bounds every pixel, L2 the Euclidean length.',
    urlName: 'norm',
    cliFlag: 'norm',
  },
  eps: {
    key: 'eps',
    label: 'Epsilon',
    symbol: 'ε',
    type: 'number',
    fraction: true,
    unit: 'pixels, 0–1 scale',
    min: 0,
    max: (ctx) => MAX_EPS[normOf(ctx)],
    default: (ctx) => ATTACK_DEFAULTS_BY_DATASET[datasetOf(ctx)].eps[normOf(ctx)],
    step: 0.01,
    help:
      'ε, the budget: the perturbation δ may be at most this large in the chosen norm (pixels are 0–1; at most 1 ' +
      'under L∞, 100 under L2). Default: 0.3 (L2: 2) on MNIST, 8/255 (L2: 0.5) on CIFAR-10.',
    urlName: 'eps',
    cliFlag: 'eps',
    cliList: true,
    format: (v: OptionValue, ctx: OptionContext) => epsText(Number(v), datasetOf(ctx), normOf(ctx)),
  },
  steps: {
    key: 'steps',
    label: 'Steps',
    symbol: 'steps',
    type: 'integer',
    min: 1,
    max: MAX_STEPS,
    default: (ctx) =>
      OWN_STEPS[(ctx.method ?? 'pgd') as AttackMethod] ?? ATTACK_DEFAULTS_BY_DATASET[datasetOf(ctx)].steps,
    step: 1,
    help:
      'Gradient steps for BIM and PGD (APGD and C&W: iterations); FGSM always takes one step of size ε. Default: 40 ' +
      'on MNIST, 10 on CIFAR-10, 100 for APGD and C&W.',
    urlName: 'steps',
    cliFlag: 'steps',
  },
  stepSize: {
    key: 'stepSize',
    label: 'Step size',
    symbol: 'step size α',
    type: 'number',
    unit: 'pixels, 0–1 scale',
    min: 0,
    max: (ctx) => MAX_EPS[normOf(ctx)],
    step: 0.001,
    help: 'α, how far each step moves; leave empty for auto = 2.5·ε/steps.',
    urlName: 'alpha',
    cliFlag: 'alpha',
  },
  restarts: {
    key: 'restarts',
    label: 'Restarts',
    symbol: 'restarts',
    type: 'integer',
    min: 1,
    max: MAX_RESTARTS,
    default: 1,
    step: 1,
    help: 'PGD only: runs from fresh random starts in the ε-ball and keeps the strongest.',
    urlName: 'restarts',
    cliFlag: 'restarts',
  },
  target: {
    key: 'target',
    label: 'Target',
    type: 'enum',
    choices: TARGET_CHOICES,
    default: 'untargeted',
    help: 'Untargeted: any wrong class. Targeted: aim at one class (a number), a random one, or the least likely.',
    urlName: 'target',
    cliFlag: 'target',
  },
  seed: {
    key: 'seed',
    label: 'Seed',
    symbol: 'seed',
    type: 'integer',
    min: 0,
    max: MAX_SEED,
    default: 0,
    step: 1,
    help: 'Seeds the random start and the random target, so a run can be repeated.',
    urlName: 'seed',
    cliFlag: 'seed',
  },
} as const satisfies Record<string, OptionField>;

/** The attack lab's fields typed as numbers (text in the form). */
export const ATTACK_NUMBER_FIELDS = ['eps', 'steps', 'stepSize', 'restarts', 'seed'] as const;
export type AttackNumberField = (typeof ATTACK_NUMBER_FIELDS)[number];

/**
 * What only `eval` and the core take. σ of `eval --attack gaussian` is in pixel units [0,1]; 0.3 is a visible but
 * digit-preserving noise on MNIST.
 */
export const EVAL_NOISE_FIELDS = {
  sigma: {
    key: 'sigma',
    label: 'Noise σ',
    symbol: 'σ',
    type: 'number',
    unit: 'pixels, 0–1 scale',
    min: 0,
    max: 1,
    default: 0.3,
    help: 'The standard deviation of `--attack gaussian` in pixel units [0,1] (a σ quoted on 0–255 is σ/255).',
    cliFlag: 'sigma',
    cliList: true,
  },
} as const satisfies Record<string, OptionField>;

/** Options of the strong attacks the core checks, which no form offers. */
export const STRONG_ATTACK_FIELDS = {
  targetClasses: {
    key: 'targetClasses',
    label: 'Target classes',
    symbol: 'the number of target classes',
    type: 'integer',
    min: 1,
    default: 9,
    help: 'APGD-T and AutoAttack-lite: how many runner-up classes to target (AutoAttack’s 9).',
  },
  confidence: {
    key: 'confidence',
    label: 'C&W confidence',
    symbol: 'the C&W confidence κ',
    type: 'number',
    min: 0,
    default: 0,
    help: 'Carlini & Wagner: κ, the logit margin a success must reach.',
  },
  binarySearchSteps: {
    key: 'binarySearchSteps',
    label: 'C&W binary-search steps',
    symbol: 'the C&W binary-search steps',
    type: 'integer',
    min: 1,
    max: 30,
    default: 9,
    help: 'Carlini & Wagner: binary-search steps on the constant c.',
  },
} as const satisfies Record<string, OptionField>;

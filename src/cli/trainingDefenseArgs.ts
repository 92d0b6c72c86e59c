/**
 * `train`'s defense flags: adversarial training (--adv …) and the robust-accuracy probe that watches it, as the core's
 * DefenseSpec (src/core/train/trainingRun.ts, which maps it to a training objective). Parsed and checked here; the
 * core checks again at its boundary.
 *
 *   --adv fgsm|fgsm-rs|pgd|trades  [--adv-eps E] [--adv-steps K] [--adv-alpha A] [--adv-beta B]
 *   [--adv-warmup EPOCHS] [--adv-fraction F] [--robust-probe N] [--probe-steps K] [--stop-on-collapse on|off]
 *   [--adv-clean S] [--adv-bn shared|split]   (clean images beside the adversarial ones; Xie & Yuille 2020)
 *   --certified ibp|crown-ibp  [--cert-eps E] [--cert-warmup EPOCHS] [--cert-ramp EPOCHS] [--cert-kappa K]
 *   [--cert-beta B] [--cert-probe N]
 *   --noise-sigma S            (Gaussian data augmentation, the base classifier of randomized smoothing)
 */
import { ADVERSARIAL_METHODS, resolveAdversarialConfig } from '../core/train/adversarialTraining';
import { ADVERSARIAL_BATCH_NORMS, CERTIFIED_TRAINING_BOUNDS } from '../core/train/defenseNames';
import { DEFAULT_PROBE_STEPS } from '../core/train/robustProbe';
import type { TrainReport } from '../core/train/trainer';
import type { CertifiedProbeSpec, DefenseSpec, RobustProbeSpec } from '../core/train/trainingRun';
import { InvalidOptionError } from '../core/util/errors';
import { choiceOption, numberOption, switchOption, type OptionSpec, type Values } from './args';

export const ADVERSARIAL_OPTION_SPEC: OptionSpec = {
  adv: { type: 'string' },
  'adv-eps': { type: 'string' },
  'adv-steps': { type: 'string' },
  'adv-alpha': { type: 'string' },
  'adv-beta': { type: 'string' },
  'adv-warmup': { type: 'string' },
  'adv-fraction': { type: 'string' },
  'adv-clean': { type: 'string' },
  'adv-bn': { type: 'string' },
  'robust-probe': { type: 'string' },
  'probe-steps': { type: 'string' },
  'stop-on-collapse': { type: 'string' },
};

/** The budgets of the literature: Madry et al.'s ε = 0.3 on MNIST and 8/255 on CIFAR-10. */
const DEFAULT_ADV_EPS: Record<string, number> = { mnist: 0.3, cifar10: 8 / 255 };
/** Probe images, taken from the END of the test split so that the first test images stay untouched by it. */
export const DEFAULT_PROBE_IMAGES = 500;

export const CERTIFIED_OPTION_SPEC: OptionSpec = {
  certified: { type: 'string' },
  'cert-eps': { type: 'string' },
  'cert-warmup': { type: 'string' },
  'cert-ramp': { type: 'string' },
  'cert-kappa': { type: 'string' },
  'cert-beta': { type: 'string' },
  'cert-probe': { type: 'string' },
  'noise-sigma': { type: 'string' },
};

export const TRAINING_DEFENSE_OPTION_SPEC: OptionSpec = { ...ADVERSARIAL_OPTION_SPEC, ...CERTIFIED_OPTION_SPEC };

/** The defense and the probe that watches it, as the core's training run takes them. */
export interface ParsedDefense {
  defense: DefenseSpec;
  robustProbe?: RobustProbeSpec;
  certifiedProbe?: CertifiedProbeSpec;
}

/** At most one of --adv, --certified and --noise-sigma: each is a whole training objective. */
export function parseTrainingDefense(v: Values, dataName = 'mnist'): ParsedDefense | undefined {
  const chosen = ['adv', 'certified', 'noise-sigma'].filter((k) => v[k] !== undefined);
  if (chosen.length > 1) {
    throw new InvalidOptionError(`--${chosen.join(' and --')} are different training objectives: choose one.`);
  }
  return parseCertifiedTraining(v, dataName) ?? parseAdversarialTraining(v, dataName);
}

/** The certified-training and smoothing flags; undefined when neither --certified nor --noise-sigma is given. */
export function parseCertifiedTraining(v: Values, dataName = 'mnist'): ParsedDefense | undefined {
  const sigma = numberOption(v, 'noise-sigma', undefined, { min: 0, max: 4 });
  const bound = choiceOption(v, 'certified', CERTIFIED_TRAINING_BOUNDS);
  if (bound === undefined) {
    const stray = Object.keys(CERTIFIED_OPTION_SPEC).find(
      (k) => k !== 'certified' && k !== 'noise-sigma' && v[k] !== undefined,
    );
    if (stray) throw new InvalidOptionError(`--${stray} needs --certified ibp|crown-ibp.`);
    if (sigma === undefined) return undefined;
    return { defense: { kind: 'noise', sigma } };
  }
  const eps = numberOption(v, 'cert-eps', DEFAULT_ADV_EPS[dataName] ?? 0.3, { min: 0, max: 1 })!;
  const defense: DefenseSpec = {
    kind: 'certified',
    bound,
    eps,
    warmupEpochs: numberOption(v, 'cert-warmup', undefined, { min: 0 }),
    rampEpochs: numberOption(v, 'cert-ramp', undefined, { min: 0 }),
    finalKappa: numberOption(v, 'cert-kappa', undefined, { min: 0, max: 1 }),
    finalBeta: numberOption(v, 'cert-beta', undefined, { min: 0, max: 1 }),
  };
  const probeImages = numberOption(v, 'cert-probe', DEFAULT_PROBE_IMAGES, { min: 0, integer: true })!;
  return { defense, certifiedProbe: { examples: probeImages, eps } };
}

export function parseAdversarialTraining(v: Values, dataName = 'mnist'): ParsedDefense | undefined {
  const method = choiceOption(v, 'adv', ADVERSARIAL_METHODS);
  if (method === undefined) {
    const stray = Object.keys(ADVERSARIAL_OPTION_SPEC).find((k) => k !== 'adv' && v[k] !== undefined);
    if (stray) throw new InvalidOptionError(`--${stray} needs --adv fgsm|fgsm-rs|pgd|trades.`);
    return undefined;
  }
  const stopOnCollapse = switchOption(v, 'stop-on-collapse', false);
  const config = resolveAdversarialConfig({
    method,
    eps: numberOption(v, 'adv-eps', DEFAULT_ADV_EPS[dataName] ?? 0.3, { min: 0, max: 1 })!,
    steps: numberOption(v, 'adv-steps', undefined, { min: 1, max: 100, integer: true }),
    alpha: numberOption(v, 'adv-alpha', undefined, { min: 0 }),
    beta: numberOption(v, 'adv-beta', undefined, { min: 0 }),
    warmupEpochs: numberOption(v, 'adv-warmup', undefined, { min: 0 }),
    fraction: numberOption(v, 'adv-fraction', undefined, { min: 0, max: 1 }),
    cleanShare: numberOption(v, 'adv-clean', undefined, { min: 0, max: 1 }),
    batchNorm: choiceOption(v, 'adv-bn', ADVERSARIAL_BATCH_NORMS),
  });
  const probeImages = numberOption(v, 'robust-probe', DEFAULT_PROBE_IMAGES, { min: 0, integer: true })!;
  const probeSteps = numberOption(v, 'probe-steps', DEFAULT_PROBE_STEPS, { min: 1, max: 200, integer: true })!;
  return {
    defense: { kind: 'adversarial', config },
    robustProbe: { examples: probeImages, eps: config.eps, steps: probeSteps, stopOnCollapse },
  };
}

/** The progress line's robustness part: the warmed-up ε, PGD accuracy on the probe, a collapse. */
export function describeRobustness(r: TrainReport): string {
  return (
    (r.schedule?.eps !== undefined ? ` ε ${r.schedule.eps.toFixed(3)}` : '') +
    (r.schedule?.kappa !== undefined ? ` κ ${r.schedule.kappa.toFixed(3)}` : '') +
    (r.robustAccuracy !== undefined ? ` robust ${(100 * r.robustAccuracy).toFixed(2)}%` : '') +
    (r.certifiedAccuracy !== undefined ? ` IBP-certified ${(100 * r.certifiedAccuracy).toFixed(2)}%` : '') +
    (r.catastrophicOverfitting ? ' CATASTROPHIC OVERFITTING (robust accuracy collapsed)' : '')
  );
}

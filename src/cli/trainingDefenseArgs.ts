/**
 * `train`'s defense flags: adversarial training (--adv …) and the robust-accuracy probe that watches it, as the core's
 * DefenseSpec (src/core/train/trainingRun.ts, which maps it to a training objective). Every flag is a field of the
 * defense schema (core/options/defenseOptions.ts): its limits, default and --help come from there, and the core
 * checks with the same fields at its boundary.
 *
 *   --adv fgsm|fgsm-rs|pgd|trades  [--adv-eps E] [--adv-steps K] [--adv-alpha A] [--adv-beta B]
 *   [--adv-warmup EPOCHS] [--adv-fraction F] [--robust-probe N] [--probe-steps K] [--stop-on-collapse on|off]
 *   [--adv-clean S] [--adv-bn shared|split]   (clean images beside the adversarial ones; Xie & Yuille 2020)
 *   --certified ibp|crown-ibp  [--cert-eps E] [--cert-warmup EPOCHS] [--cert-ramp EPOCHS] [--cert-kappa K]
 *   [--cert-beta B] [--cert-probe N]
 *   --noise-sigma S            (Gaussian data augmentation, the base classifier of randomized smoothing)
 */
import { resolveAdversarialConfig, type AdversarialMethod } from '../core/train/adversarialTraining';
import type { AdversarialBatchNorm, CertifiedTrainingBound } from '../core/train/defenseNames';
import { ADVERSARIAL_FIELDS, CERTIFIED_FIELDS, PROBE_FIELDS } from '../core/options/defenseOptions';
import type { TrainReport } from '../core/train/trainerConfig';
import type { CertifiedProbeSpec, DefenseSpec, RobustProbeSpec } from '../core/train/trainingRun';
import { InvalidOptionError } from '../core/util/errors';
import type { OptionSpec, Values } from './args';
import { fieldOption, numberFieldOption, schemaSpec } from './schemaArgs';
import { ADVERSARIAL_FLAG_FIELDS, CERTIFIED_FLAG_FIELDS } from './trainFlags';

export const ADVERSARIAL_OPTION_SPEC: OptionSpec = schemaSpec(ADVERSARIAL_FLAG_FIELDS);
export const CERTIFIED_OPTION_SPEC: OptionSpec = schemaSpec(CERTIFIED_FLAG_FIELDS);
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

/** The first flag of `fields` given without the flag `owner` that it belongs to. */
function strayFlag(v: Values, fields: readonly { cliFlag?: string }[], owner: string[]): string | undefined {
  return fields.map((f) => f.cliFlag).find((k) => k !== undefined && !owner.includes(k) && v[k] !== undefined);
}

/** The certified-training and smoothing flags; undefined when neither --certified nor --noise-sigma is given. */
export function parseCertifiedTraining(v: Values, dataName = 'mnist'): ParsedDefense | undefined {
  const ctx = { dataset: dataName };
  const sigma = numberFieldOption(v, CERTIFIED_FIELDS.sigma, ctx);
  const bound = fieldOption(v, CERTIFIED_FIELDS.bound, ctx) as CertifiedTrainingBound | undefined;
  if (bound === undefined) {
    const stray = strayFlag(v, CERTIFIED_FLAG_FIELDS, ['certified', 'noise-sigma']);
    if (stray) throw new InvalidOptionError(`--${stray} needs --certified ibp|crown-ibp.`);
    if (sigma === undefined) return undefined;
    return { defense: { kind: 'noise', sigma } };
  }
  const eps = numberFieldOption(v, CERTIFIED_FIELDS.eps, ctx)!;
  const defense: DefenseSpec = {
    kind: 'certified',
    bound,
    eps,
    warmupEpochs: numberFieldOption(v, CERTIFIED_FIELDS.warmupEpochs, ctx),
    rampEpochs: numberFieldOption(v, CERTIFIED_FIELDS.rampEpochs, ctx),
    finalKappa: numberFieldOption(v, CERTIFIED_FIELDS.finalKappa, ctx),
    finalBeta: numberFieldOption(v, CERTIFIED_FIELDS.finalBeta, ctx),
  };
  const probeImages = numberFieldOption(v, PROBE_FIELDS.certifiedImages, ctx)!;
  return { defense, certifiedProbe: { examples: probeImages, eps } };
}

export function parseAdversarialTraining(v: Values, dataName = 'mnist'): ParsedDefense | undefined {
  const method = fieldOption(v, ADVERSARIAL_FIELDS.method) as AdversarialMethod | undefined;
  if (method === undefined) {
    const stray = strayFlag(v, ADVERSARIAL_FLAG_FIELDS, ['adv']);
    if (stray) throw new InvalidOptionError(`--${stray} needs --adv fgsm|fgsm-rs|pgd|trades.`);
    return undefined;
  }
  const ctx = { dataset: dataName, method };
  const config = resolveAdversarialConfig({
    method,
    eps: numberFieldOption(v, ADVERSARIAL_FIELDS.eps, ctx)!,
    steps: numberFieldOption(v, ADVERSARIAL_FIELDS.steps, ctx),
    alpha: numberFieldOption(v, ADVERSARIAL_FIELDS.alpha, ctx),
    beta: numberFieldOption(v, ADVERSARIAL_FIELDS.beta, ctx),
    warmupEpochs: numberFieldOption(v, ADVERSARIAL_FIELDS.warmupEpochs, ctx),
    fraction: numberFieldOption(v, ADVERSARIAL_FIELDS.fraction, ctx),
    cleanShare: numberFieldOption(v, ADVERSARIAL_FIELDS.cleanShare, ctx),
    batchNorm: fieldOption(v, ADVERSARIAL_FIELDS.batchNorm, ctx) as AdversarialBatchNorm | undefined,
  });
  const stopOnCollapse = fieldOption(v, PROBE_FIELDS.stopOnCollapse, ctx) as boolean;
  return {
    defense: { kind: 'adversarial', config },
    robustProbe: {
      examples: numberFieldOption(v, PROBE_FIELDS.robustImages, ctx)!,
      eps: config.eps,
      steps: numberFieldOption(v, PROBE_FIELDS.robustSteps, ctx)!,
      stopOnCollapse,
    },
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

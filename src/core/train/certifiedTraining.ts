/**
 * Certified training: minimise a loss on provable bounds instead of on examples an attack found, so that the
 * trained model is not only hard to attack but verifiably robust.
 *
 *   ibp        Gowal et al. (2018, §3): L = κ·CE(z, y) + (1 − κ)·CE(ẑ(ε), y), ẑ the worst-case logits of the
 *              interval bounds over the ε-box. Their schedule (§4 and appendix): plain training first, then ε
 *              ramps linearly from 0 to the training ε while κ falls from 1 to ½; on MNIST they train at
 *              ε = 0.4 to certify at 0.3.
 *   crown-ibp  Zhang et al. (2020, §3): the same loss on the bound β·CROWN-IBP + (1 − β)·IBP, β falling from 1
 *              to 0 over the ramp — CROWN's tighter bound early, when IBP's is too loose to learn from.
 *   noise      Cohen, Rosenfeld & Kolter (2019, §3, §4): the base classifier of randomized smoothing is trained
 *              with Gaussian data augmentation N(0, σ²I) at the σ it will be smoothed with (no clipping to
 *              [0,1], as in their code: the smoothed classifier sees unclipped noise).
 *
 * The losses live with the bounds (../verify/certifiedLoss.ts); this module owns the schedules.
 */
import * as tf from '@tensorflow/tfjs';
import { certifiedTrainingLoss } from '../verify/certifiedLoss';
import { CERTIFIED_FIELDS } from '../options/defenseOptions';
import { checkValue } from '../options/field';
import { InvalidOptionError } from '../util/errors';
import { tfNormalSeed } from '../util/random';
import {
  CERTIFIED_TRAINING_BOUNDS,
  CERTIFIED_TRAINING_TEXT,
  type CertifiedTrainingConfig,
  type NoiseTrainingConfig,
} from './defenseNames';
import { crossEntropy, type StepContext, type TrainingObjective } from './objective';

export type ResolvedCertifiedConfig = Required<CertifiedTrainingConfig>;

const invalid = (message: string) => new InvalidOptionError(message);

export function resolveCertifiedConfig(c: CertifiedTrainingConfig): ResolvedCertifiedConfig {
  const F = CERTIFIED_FIELDS;
  if (!(CERTIFIED_TRAINING_BOUNDS as readonly string[]).includes(c.bound)) {
    throw new InvalidOptionError(`Unknown certified training bound "${c.bound}"; choose ibp or crown-ibp.`);
  }
  checkValue(F.eps, c.eps, {}, invalid);
  // Absent: the command's schedule (the page's forms fill in their shorter one).
  const warmupEpochs = c.warmupEpochs ?? (F.warmupEpochs.cliDefault.value as number);
  const rampEpochs = c.rampEpochs ?? (F.rampEpochs.cliDefault.value as number);
  const finalKappa = c.finalKappa ?? F.finalKappa.default;
  const finalBeta = c.finalBeta ?? F.finalBeta.default;
  checkValue(F.warmupEpochs, warmupEpochs, {}, invalid);
  checkValue(F.rampEpochs, rampEpochs, {}, invalid);
  checkValue(F.finalKappa, finalKappa, {}, invalid);
  checkValue(F.finalBeta, finalBeta, {}, invalid);
  return { bound: c.bound, eps: c.eps, warmupEpochs, rampEpochs, finalKappa, finalBeta };
}

/** ε, κ and β at a point of the run (Gowal et al. 2018, §4): flat, then linear ramps, then constant. */
export function certifiedSchedule(
  c: ResolvedCertifiedConfig,
  epochProgress: number,
): { eps: number; kappa: number; beta: number } {
  const t =
    epochProgress < c.warmupEpochs
      ? 0
      : c.rampEpochs <= 0
        ? 1
        : Math.min(1, (epochProgress - c.warmupEpochs) / c.rampEpochs);
  return { eps: t * c.eps, kappa: 1 - t * (1 - c.finalKappa), beta: 1 - t * (1 - c.finalBeta) };
}

export function describeCertified(c: ResolvedCertifiedConfig): string {
  const beta = c.bound === 'crown-ibp' ? `, β 1 → ${c.finalBeta}` : '';
  return (
    `${CERTIFIED_TRAINING_TEXT[c.bound]} certified training, L∞ ε = ${c.eps} ` +
    `(${c.warmupEpochs} epoch(s) plain, ε and κ 1 → ${c.finalKappa}${beta} ramped over ${c.rampEpochs})`
  );
}

export function certifiedObjective(config: CertifiedTrainingConfig): TrainingObjective {
  const c = resolveCertifiedConfig(config);
  const at = (ctx: StepContext) => certifiedSchedule(c, ctx.epochProgress);
  return {
    description: describeCertified(c),
    schedule: (ctx) => {
      const s = at(ctx);
      return { eps: s.eps, epsTarget: c.eps, kappa: s.kappa, ...(c.bound === 'crown-ibp' ? { beta: s.beta } : {}) };
    },
    loss(model, x, y, _prepared, ctx) {
      const s = at(ctx);
      const logits = model.apply(x, { training: true }) as tf.Tensor2D;
      if (s.eps <= 0 || s.kappa >= 1) return { loss: crossEntropy(logits, y), logits };
      const loss = certifiedTrainingLoss(model, x, y, logits, {
        bound: c.bound,
        eps: s.eps,
        kappa: s.kappa,
        beta: s.beta,
      });
      return { loss, logits };
    },
  };
}

export function resolveNoiseConfig(c: NoiseTrainingConfig): NoiseTrainingConfig {
  checkValue(CERTIFIED_FIELDS.sigma, c.sigma, {}, invalid);
  return c;
}

/** Training on x + N(0, σ²I), the base classifier of randomized smoothing (Cohen et al. 2019). */
export function gaussianNoiseObjective(config: NoiseTrainingConfig): TrainingObjective {
  const { sigma } = resolveNoiseConfig(config);
  return {
    description: `Gaussian data augmentation σ = ${sigma} (Cohen et al. 2019), the base of randomized smoothing`,
    async prepare(_model, x, _y, ctx) {
      return [tf.tidy(() => tf.add(x, tf.randomNormal(x.shape, 0, sigma, 'float32', tfNormalSeed(ctx.seed))))];
    },
    loss(model, _x, y, prepared) {
      const logits = model.apply(prepared[0], { training: true }) as tf.Tensor2D;
      return { loss: crossEntropy(logits, y), logits };
    },
  };
}

/**
 * Adversarial training: minimise the loss on the worst inputs an attack finds in the ε-ball, instead of on the
 * data as it is — min_θ E max_{‖δ‖∞≤ε} L(f_θ(x + δ), y) (Madry et al. 2018, eq. 2.1).
 *
 *   fgsm     Goodfellow et al. (2015): one step of size ε from x. Wong, Rice & Kolter (2020, §4) show it
 *            overfits catastrophically: the model learns to defeat this one step, and PGD accuracy collapses.
 *   fgsm-rs  Wong, Rice & Kolter (2020, §3, Algorithm 3): a uniform random start in the ε-ball, one step of
 *            α = 1.25·ε, projected back — "fast" adversarial training, nearly as robust as PGD training at the
 *            cost of two passes, but it too can overfit catastrophically (watch the PGD probe).
 *   pgd      Madry et al. (2018, §4): K projected steps of size α from a uniform random start.
 *   trades   Zhang et al. (2019, §4, eq. 5): CE(f(x), y) + β·KL(f(x) ‖ f(x′)), x′ maximising the KL term by K
 *            sign steps from x + 0.001·N(0, I) — trades clean accuracy for smoothness with β.
 *
 * Every crafting step runs the model in inference mode (Xie & Yuille 2020: layers such as batch norm see
 * different statistics on clean and adversarial images; crafting must not change the model). ε can warm up
 * linearly over the first epochs (small models fail to learn at the full ε from the start — Gowal et al. 2018
 * use the same ramp for IBP), and only a share of each batch need be adversarial (Goodfellow et al. 2015 mix
 * clean and adversarial examples half and half). With `cleanShare`, clean images are trained on beside the
 * adversarial ones, through a shared or a split batch norm (Xie & Yuille 2020, §3–4; cleanAdversarialBatch.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { projectPerturbed, steepestAscentDirection } from '../attacks/norms';
import { projectedGradientAttack } from '../attacks/pgd';
import { ADVERSARIAL_FIELDS } from '../options/defenseOptions';
import { checkValue, type OptionField } from '../options/field';
import { InvalidOptionError } from '../util/errors';
import { tfNormalSeed } from '../util/random';
import {
  checkBatchNormFor,
  cleanAdversarialLoss,
  cleanCount,
  craftThroughAdversarialBatchNorm,
} from './cleanAdversarialBatch';
import {
  ADVERSARIAL_BATCH_NORMS,
  ADVERSARIAL_METHODS,
  ADVERSARIAL_STEP_FACTOR,
  type AdversarialTrainingConfig,
  FGSM_RS_STEP_FACTOR,
} from './defenseNames';
import { crossEntropy, type StepContext, type TrainingObjective } from './objective';

export {
  ADVERSARIAL_METHODS,
  type AdversarialMethod,
  type AdversarialTrainingConfig,
  ADVERSARIAL_STEP_FACTOR,
  FGSM_RS_STEP_FACTOR,
} from './defenseNames';

/** TRADES starts its inner maximisation at x + 0.001·N(0, I) (Zhang et al.'s code). */
const TRADES_START_SIGMA = 0.001;

export interface ResolvedAdversarialConfig extends Required<AdversarialTrainingConfig> {}

export function resolveAdversarialConfig(c: AdversarialTrainingConfig): ResolvedAdversarialConfig {
  const F = ADVERSARIAL_FIELDS;
  const check = (field: OptionField, value: unknown) => checkValue(field, value, {}, invalid);
  if (!(ADVERSARIAL_METHODS as readonly string[]).includes(c.method)) {
    throw new InvalidOptionError(
      `Unknown adversarial training method "${c.method}". Choose one of: ${ADVERSARIAL_METHODS.join(', ')}.`,
    );
  }
  check(F.eps, c.eps);
  const steps = c.method === 'fgsm' || c.method === 'fgsm-rs' ? 1 : (c.steps ?? F.steps.default);
  check(F.steps, steps);
  const defaultAlpha =
    c.method === 'fgsm'
      ? c.eps
      : c.method === 'fgsm-rs'
        ? FGSM_RS_STEP_FACTOR * c.eps
        : (ADVERSARIAL_STEP_FACTOR * c.eps) / steps;
  const alpha = c.alpha ?? defaultAlpha;
  check(F.alpha, alpha);
  const beta = c.beta ?? F.beta.default;
  check(F.beta, beta);
  // Absent: full ε from the first batch (the command's default; the page's forms fill in their own).
  const warmupEpochs = c.warmupEpochs ?? 0;
  check(F.warmupEpochs, warmupEpochs);
  const fraction = c.fraction ?? F.fraction.default;
  check(F.fraction, fraction);
  if (c.method === 'trades' && fraction !== 1) {
    throw new InvalidOptionError(
      'TRADES already weighs clean and adversarial terms with β: its adversarial share is always 1.',
    );
  }
  const { cleanShare, batchNorm } = resolveCleanShare(c, fraction);
  return { method: c.method, eps: c.eps, steps, alpha, beta, warmupEpochs, fraction, cleanShare, batchNorm };
}

const invalid = (message: string) => new InvalidOptionError(message);

/** Xie & Yuille's clean share and batch-norm choice, checked against the rest of the configuration. */
function resolveCleanShare(
  c: AdversarialTrainingConfig,
  fraction: number,
): Pick<ResolvedAdversarialConfig, 'cleanShare' | 'batchNorm'> {
  const cleanShare = c.cleanShare ?? ADVERSARIAL_FIELDS.cleanShare.default;
  checkValue(ADVERSARIAL_FIELDS.cleanShare, cleanShare, {}, invalid);
  const batchNorm = c.batchNorm ?? ADVERSARIAL_FIELDS.batchNorm.default;
  if (!(ADVERSARIAL_BATCH_NORMS as readonly string[]).includes(batchNorm)) {
    throw new InvalidOptionError(`Unknown batch norm "${batchNorm}". Choose shared or split.`);
  }
  if (cleanShare > 0 && (c.method === 'trades' || fraction !== 1)) {
    throw new InvalidOptionError(
      'clean images beside the adversarial ones need fgsm, fgsm-rs or pgd with every image adversarial ' +
        '(no --adv-fraction).',
    );
  }
  if (batchNorm === 'split' && cleanShare === 0) {
    throw new InvalidOptionError('split batch norm needs clean images beside the adversarial ones (--adv-clean > 0).');
  }
  return { cleanShare, batchNorm };
}

/** ε at a point of the run: linear from 0 over the warm-up epochs, then constant. */
export function warmedUpEps(c: Pick<ResolvedAdversarialConfig, 'eps' | 'warmupEpochs'>, epochProgress: number): number {
  if (c.warmupEpochs <= 0) return c.eps;
  return c.eps * Math.min(1, Math.max(0, epochProgress / c.warmupEpochs));
}

/** The first ⌈f·n⌉ examples of a batch are made adversarial (at least one). */
export function adversarialCount(n: number, fraction: number): number {
  return Math.max(1, Math.min(n, Math.ceil(fraction * n - 1e-9)));
}

export function describeAdversarial(c: ResolvedAdversarialConfig): string {
  const name =
    c.method === 'fgsm'
      ? 'FGSM adversarial training (no random start)'
      : c.method === 'fgsm-rs'
        ? `FGSM adversarial training from a random start (α = ${+c.alpha.toFixed(4)})`
        : c.method === 'pgd'
          ? `PGD-${c.steps} adversarial training (α = ${+c.alpha.toFixed(4)})`
          : `TRADES (β = ${c.beta}, ${c.steps} steps of ${+c.alpha.toFixed(4)})`;
  const share =
    (c.fraction < 1 ? `, ${Math.round(100 * c.fraction)} % of each batch` : '') +
    (c.cleanShare > 0
      ? `, plus ${Math.round(100 * c.cleanShare)} % clean images through ${c.batchNorm} batch norm`
      : '');
  const warm = c.warmupEpochs > 0 ? `, ε warmed up over ${c.warmupEpochs} epoch(s)` : '';
  return `${name}, L∞ ε = ${c.eps}${share}${warm}`;
}

/** KL(p ‖ q) per example from logits, p = softmax(pLogits): Σ p (log p − log q). */
function klDivergence(pLogits: tf.Tensor2D, qLogits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(pLogits);
    return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, tf.logSoftmax(qLogits))), 1) as tf.Tensor1D;
  });
}

/** TRADES' inner maximisation: x′ in the ε-ball ∩ [0,1] maximising KL(f(x) ‖ f(x′)), inference mode. */
function tradesInner(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  eps: number,
  steps: number,
  alpha: number,
  seed: number,
): tf.Tensor4D {
  const infer = (z: tf.Tensor4D) => model.apply(z, { training: false }) as tf.Tensor2D;
  const clean = tf.tidy(() => infer(x));
  let xAdv = tf.tidy(
    () =>
      projectPerturbed(
        x,
        tf.add(x, tf.randomNormal(x.shape, 0, TRADES_START_SIGMA, 'float32', tfNormalSeed(seed))) as tf.Tensor4D,
        eps,
        'linf',
      ) as tf.Tensor4D,
  );
  try {
    for (let k = 0; k < steps; k++) {
      const next = tf.tidy(() => {
        const grad = tf.grad((z: tf.Tensor) => tf.sum(klDivergence(clean, infer(z as tf.Tensor4D))))(xAdv);
        const stepped = tf.add(xAdv, tf.mul(alpha, steepestAscentDirection(grad as tf.Tensor4D, 'linf')));
        return projectPerturbed(x, stepped as tf.Tensor4D, eps, 'linf');
      });
      xAdv.dispose();
      xAdv = next;
    }
    return xAdv;
  } finally {
    clean.dispose();
  }
}

/**
 * The training objective of an adversarial training configuration: `prepare` crafts the batch's adversarial
 * examples (inference mode, outside the tape), `loss` trains on them.
 */
export function adversarialObjective(config: AdversarialTrainingConfig): TrainingObjective {
  const c = resolveAdversarialConfig(config);
  const epsAt = (ctx: StepContext) => warmedUpEps(c, ctx.epochProgress);
  return {
    description: describeAdversarial(c),
    // epsTarget: the full budget, so a report can tell when the warm-up is over.
    schedule: (ctx) => ({ eps: epsAt(ctx), epsTarget: c.eps }),
    async prepare(model, x, y, ctx) {
      if (c.cleanShare > 0) checkBatchNormFor(model, c.batchNorm);
      const eps = epsAt(ctx);
      const alpha = (c.alpha * eps) / c.eps;
      if (eps <= 0) return [x.clone()];
      if (c.method === 'trades') return [tradesInner(model, x, eps, c.steps, alpha, ctx.seed)];
      const n = x.shape[0];
      const k = adversarialCount(n, c.fraction);
      const head = k < n ? (x.slice(0, k) as tf.Tensor4D) : x;
      const infer = (z: tf.Tensor4D) => model.apply(z, { training: false }) as tf.Tensor2D;
      const labels = k < n ? (y.slice(0, k) as tf.Tensor1D) : y;
      try {
        const adv = await craftThroughAdversarialBatchNorm(model, () =>
          projectedGradientAttack(
            infer,
            head,
            { labels },
            { eps, alpha, steps: c.steps, norm: 'linf', randomStart: c.method !== 'fgsm', restarts: 1, seed: ctx.seed },
          ),
        );
        if (k === n) return [adv];
        const mixed = tf.tidy(() => tf.concat([adv, x.slice(k)], 0) as tf.Tensor4D);
        adv.dispose();
        return [mixed];
      } finally {
        if (k < n) tf.dispose([head, labels]);
      }
    },
    loss(model, x, y, prepared) {
      const [xAdv] = prepared;
      const m = cleanCount(x.shape[0], c.cleanShare);
      if (m > 0) {
        const clean = m < x.shape[0] ? (x.slice(0, m) as tf.Tensor4D) : x;
        const yClean = m < x.shape[0] ? (y.slice(0, m) as tf.Tensor1D) : y;
        return cleanAdversarialLoss(model, xAdv as tf.Tensor4D, y, clean, yClean, c.batchNorm);
      }
      if (c.method !== 'trades') {
        const logits = model.apply(xAdv, { training: true }) as tf.Tensor2D;
        return { loss: crossEntropy(logits, y), logits };
      }
      const logits = model.apply(x, { training: true }) as tf.Tensor2D;
      const advLogits = model.apply(xAdv, { training: true }) as tf.Tensor2D;
      const robust = tf.mean(klDivergence(logits, advLogits)) as tf.Scalar;
      return { loss: tf.add(crossEntropy(logits, y), tf.mul(robust, c.beta)) as tf.Scalar, logits };
    },
  };
}

/**
 * The training losses of certified training, built on differentiable bounds:
 *
 *   IBP training (Gowal et al. 2018, §3)          L = κ·CE(z, y) + (1 − κ)·CE(ẑ(ε), y)
 *   CROWN-IBP (Zhang et al. 2020, §3)             the same with ẑ = −m, m = β·m_CROWN-IBP + (1 − β)·m_IBP
 *
 * z are the clean logits (the caller computes them in its own training mode), ẑ the worst-case logits from the
 * margin lower bounds m of z_y − z_j over the ε-box. The papers schedule κ from 1 to ½ and ε from 0 to the
 * training ε after a warm-up (Gowal et al.), and β from 1 to 0 (Zhang et al.); the schedules belong to the
 * trainer, the loss takes their current values.
 */
import * as tf from '@tensorflow/tfjs';
import { CERTIFIED_TRAINING_BOUNDS, type CertifiedTrainingBound } from '../train/defenseNames';
import { InvalidOptionError } from '../util/errors';
import { crownMarginLowerBounds } from './crown';
import { ibpMarginLowerBounds } from './ibp';
import { worstCaseLogits } from './specification';

export { CERTIFIED_TRAINING_BOUNDS, type CertifiedTrainingBound } from '../train/defenseNames';

export interface CertifiedLossOptions {
  bound: CertifiedTrainingBound;
  /** The current training ε (L∞, pixel units). */
  eps: number;
  /** Weight of the clean loss, in [0, 1]. */
  kappa: number;
  /** CROWN-IBP only: weight of the CROWN-IBP bound against the IBP bound, in [0, 1] (default 1). */
  beta?: number;
}

const unit = (v: number | undefined) => typeof v === 'number' && v >= 0 && v <= 1;

/** The margin lower bounds the loss uses, [n, K] (differentiable). */
export function trainingMarginBounds(
  model: tf.LayersModel,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  options: CertifiedLossOptions,
): tf.Tensor2D {
  return tf.tidy(() => {
    const ibp = ibpMarginLowerBounds(model, x, labels, options.eps);
    const beta = options.beta ?? 1;
    if (options.bound === 'ibp' || beta === 0) return ibp;
    const crownIbp = crownMarginLowerBounds(model, x, labels, options.eps, {
      intermediate: 'ibp',
      intersectIbp: false,
    });
    return tf.add(tf.mul(crownIbp, beta), tf.mul(ibp, 1 - beta)) as tf.Tensor2D;
  });
}

/** κ·CE(z, y) + (1 − κ)·CE(ẑ, y), a scalar whose gradient reaches the model's weights. */
export function certifiedTrainingLoss(
  model: tf.LayersModel,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  cleanLogits: tf.Tensor2D,
  options: CertifiedLossOptions,
): tf.Scalar {
  if (!(CERTIFIED_TRAINING_BOUNDS as readonly string[]).includes(options.bound)) {
    throw new InvalidOptionError(`Unknown certified training bound "${options.bound}"; choose ibp or crown-ibp.`);
  }
  if (!(Number.isFinite(options.eps) && options.eps >= 0 && options.eps <= 1)) {
    throw new InvalidOptionError(`The training ε must be from 0 to 1, got ${options.eps}.`);
  }
  if (!unit(options.kappa)) throw new InvalidOptionError(`κ must be from 0 to 1, got ${options.kappa}.`);
  if (options.beta !== undefined && !unit(options.beta)) {
    throw new InvalidOptionError(`β must be from 0 to 1, got ${options.beta}.`);
  }
  return tf.tidy(() => {
    const k = cleanLogits.shape[1];
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), k);
    const clean = tf.losses.softmaxCrossEntropy(onehot, cleanLogits);
    if (options.kappa === 1) return clean as tf.Scalar;
    const robust = tf.losses.softmaxCrossEntropy(
      onehot,
      worstCaseLogits(trainingMarginBounds(model, x, labels, options)),
    );
    return tf.add(tf.mul(clean, options.kappa), tf.mul(robust, 1 - options.kappa)) as tf.Scalar;
  });
}

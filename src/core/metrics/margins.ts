/**
 * Logit margins and what they bound (Lyu & Li, ICLR 2020; the bound: Tsuzuku et al. 2018, Prop. 1).
 *
 *   q_n = z_{y_n} − max_{j≠y_n} z_j       (negative exactly when example n is misclassified)
 *   γ̄  = q_min / ρ^L                      normalised margin; ρ = ‖θ‖₂, L = number of weight layers
 *   r_n ≥ q_n / (√2 · Π_l ‖W_l‖₂)          L2 radius certified by the Lipschitz bound
 *
 * Why √2: the margin against class j is (e_y − e_j)ᵀz, and ‖e_y − e_j‖₂ = √2, so it moves by at
 * most √2·Lip(z)·‖δ‖₂; a perturbation smaller than the bound cannot bring any of them to zero.
 * γ̄ is meaningful for positively homogeneous (bias-free ReLU) networks; elsewhere it is a number
 * to compare, not a theorem.
 */
import * as tf from '@tensorflow/tfjs';
import { argMaxRow, type LogitTable } from './logitTable';

/** z_y − max_{j≠y} z_j per example: logits [n, k], labels int32 [n] → [n]. */
export function logitMargins(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const isLabel = tf.cast(tf.oneHot(labels, logits.shape[1]), 'bool');
    const own = tf.sum(tf.where(isLabel, logits, tf.zerosLike(logits)), 1);
    const others = tf.max(tf.where(isLabel, tf.fill(logits.shape, -Infinity), logits), 1);
    return tf.sub(own, others) as tf.Tensor1D;
  });
}

/** The same margins from a logit table, in double precision. */
export function logitMarginsOfTable(t: LogitTable): Float64Array {
  const k = t.numClasses;
  const out = new Float64Array(t.n);
  for (let i = 0; i < t.n; i++) {
    const off = i * k;
    const y = t.labels[i];
    let other = -Infinity;
    for (let j = 0; j < k; j++) if (j !== y) other = Math.max(other, t.logits[off + j]);
    out[i] = t.logits[off + y] - other;
  }
  return out;
}

/** Predicted class per row (for reporting which margins belong to correct predictions). */
export function predictionsOfTable(t: LogitTable): Int32Array {
  const out = new Int32Array(t.n);
  for (let i = 0; i < t.n; i++) out[i] = argMaxRow(t.logits, i * t.numClasses, t.numClasses);
  return out;
}

/** γ̄ = q_min / ρ^L. */
export function normalizedMargin(qMin: number, rho: number, layers: number): number {
  return qMin / rho ** layers;
}

/** Number of weight layers L (dense and convolution layers): the order of homogeneity. */
export function countWeightLayers(model: tf.LayersModel): number {
  return model.layers.filter((l) => ['Dense', 'Conv2D'].includes(l.getClassName())).length;
}

/**
 * Whether the network is Lyu & Li's kind: only dense/conv weights, ReLU-type activations, max
 * pooling and reshaping, and no bias after the first weight layer (they keep the first layer's
 * bias and still count the network as homogeneous of order L).
 */
export function isHomogeneousLike(model: tf.LayersModel): boolean {
  let weightLayers = 0;
  for (const layer of model.layers) {
    const name = layer.getClassName();
    const config = layer.getConfig();
    if (name === 'Dense' || name === 'Conv2D') {
      if (weightLayers > 0 && config.useBias) return false;
      if (config.activation && !['linear', 'relu'].includes(String(config.activation))) return false;
      weightLayers++;
    } else if (!['InputLayer', 'Flatten', 'Reshape', 'Dropout', 'ReLU', 'MaxPooling2D'].includes(name)) {
      return false;
    }
  }
  return weightLayers > 0;
}

/** q/(√2·Π‖W_l‖₂), and 0 for a misclassified example (its radius to an error is 0). */
export function l2RadiusLowerBound(margin: number, lipschitzBound: number): number {
  return margin > 0 ? margin / (Math.SQRT2 * lipschitzBound) : 0;
}

/**
 * Parameter-space quantities reported during training: ‖θ‖₂ (ρ in Lyu & Li) and the lazy-training
 * ratio ‖θ_t − θ₀‖₂ / ‖θ₀‖₂ (Zhu et al., ALGORITHMS.md §5).
 */
import * as tf from '@tensorflow/tfjs';

export function parameterNorm(weights: tf.Tensor[]): number {
  const sq = tf.tidy(() => tf.addN(weights.map((w) => tf.sum(tf.square(w)))));
  const value = Math.sqrt(sq.dataSync()[0]);
  sq.dispose();
  return value;
}

export function lazyTrainingRatio(current: tf.Tensor[], initial: tf.Tensor[]): number {
  const [num, den] = tf.tidy(() => [
    tf.addN(current.map((w, i) => tf.sum(tf.square(tf.sub(w, initial[i]))))),
    tf.addN(initial.map((w) => tf.sum(tf.square(w)))),
  ]);
  const ratio = Math.sqrt(num.dataSync()[0]) / Math.max(Math.sqrt(den.dataSync()[0]), 1e-12);
  num.dispose();
  den.dispose();
  return ratio;
}

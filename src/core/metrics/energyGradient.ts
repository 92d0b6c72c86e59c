/**
 * A classifier's energies and their input gradients (Grathwohl et al., ICLR 2020, §3): E(x) = −logsumexp_y f(x)[y]
 * and the class-conditional E(x | y) = −f(x)[y]. The gradient drives SGLD (train/jem/sgld.ts); its norm
 * ‖∂log p(x)/∂x‖ = ‖∂E(x)/∂x‖ is JEM's "approximate mass" out-of-distribution score (§5.2): −‖∂E/∂x‖ is higher
 * at the flat, high-mass regions where data sits.
 */
import * as tf from '@tensorflow/tfjs';
import { withInputGradientsOnly } from '../backend/inputGradientScope';

type Logits = (x: tf.Tensor4D) => tf.Tensor2D;

/**
 * logsumexp over each row, with its gradient softmax(z) given directly. tfjs' logSumExp differentiates through a
 * max whose gradient uses Equal, which has no gradient; so ∂/∂x of an SGLD step (an attack through JEM's refinement)
 * would fail. softmax's own gradient is made of differentiable ops, so this one can be differentiated twice.
 */
const logSumExpRows = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const z = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([z]);
  return {
    value: tf.logSumExp(z, 1),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.expandDims(dy, 1), tf.softmax(saved[0])),
  };
}) as (z: tf.Tensor2D) => tf.Tensor1D;

/** E(x) per example: −logsumexp_y f(x)[y], or −f(x)[y] when classes are given ([n, k] → [n]). */
export function energyOf(logits: tf.Tensor2D, classes?: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    if (!classes) return tf.neg(logSumExpRows(logits)) as tf.Tensor1D;
    return tf.neg(tf.sum(tf.mul(logits, tf.oneHot(classes, logits.shape[1])), 1)) as tf.Tensor1D;
  });
}

/** ∂E(x_i)/∂x_i for every example of the batch (the energies are independent, so ∂ΣE gives each). */
export function energyGradient(logitsFn: Logits, x: tf.Tensor4D, classes?: tf.Tensor1D): tf.Tensor4D {
  return withInputGradientsOnly(() =>
    tf.tidy(() => tf.grad((xi) => tf.sum(energyOf(logitsFn(xi as tf.Tensor4D), classes)))(x) as tf.Tensor4D),
  );
}

/** JEM's approximate-mass score −‖∂E(x)/∂x‖₂ per example (higher = more in-distribution). */
export async function approximateMassScores(logitsFn: Logits, x: tf.Tensor4D): Promise<Float32Array> {
  const norms = tf.tidy(() => tf.neg(tf.norm(tf.reshape(energyGradient(logitsFn, x), [x.shape[0], -1]), 2, 1)));
  const values = (await norms.data()) as Float32Array;
  norms.dispose();
  return values;
}

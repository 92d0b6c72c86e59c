/**
 * Input gradients of the logits. tfjs differentiates scalars in reverse mode only, so the
 * Jacobian of k logits costs k backward passes; each pass is batched, which is exact because the
 * examples of a batch do not interact in inference mode (∂z_i/∂x_j = 0 for i ≠ j).
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';

/** ∇ₓ z_{c_i}(x_i) for every example i, with c an int32 [n] class per example: [n, h, w, c]. */
export function logitGradient(logitsFn: LogitsFn, x: tf.Tensor4D, classes: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const g = tf.grad((input: tf.Tensor) => {
      const z = logitsFn(input as tf.Tensor4D);
      return tf.sum(tf.mul(z, tf.oneHot(classes, z.shape[1])));
    });
    return g(x) as tf.Tensor4D;
  });
}

/** The Jacobian of the logits with respect to the input, [n, k, d] with d = h·w·c. */
export function inputJacobian(logitsFn: LogitsFn, x: tf.Tensor4D, numClasses: number): tf.Tensor3D {
  return tf.tidy(() => {
    const n = x.shape[0];
    const rows: tf.Tensor[] = [];
    for (let c = 0; c < numClasses; c++) {
      const classes = tf.fill([n], c, 'int32') as tf.Tensor1D;
      rows.push(tf.reshape(logitGradient(logitsFn, x, classes), [n, 1, -1]));
    }
    return tf.concat(rows, 1) as tf.Tensor3D;
  });
}

/**
 * Boolean conditions on tensors that gradients flow through. tfjs registers no gradient for comparisons
 * (Greater, LogicalAnd, …), and a tf.where whose condition depends on the weights puts them on the tape's path,
 * so a bound used as a training loss would fail with "gradient function not found for Greater". The condition is
 * computed inside tf.customGrad (its forward ops are not taped) and given a zero gradient: a mask is piecewise
 * constant, so zero is its derivative wherever one exists.
 */
import * as tf from '@tensorflow/tfjs';

/** `test(...inputs)` as a bool tensor with a zero gradient to every input. */
export function condition(test: (...inputs: tf.Tensor[]) => tf.Tensor, ...inputs: tf.Tensor[]): tf.Tensor {
  const masked = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    return {
      value: tf.tidy(() => tf.cast(test(...xs), 'float32')),
      gradFunc: () => xs.map((x) => tf.zerosLike(x)),
    };
  });
  return tf.cast(masked(...inputs), 'bool');
}

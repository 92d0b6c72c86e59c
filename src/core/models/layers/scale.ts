/**
 * Multiplies its input by a fixed constant: the √(c/fan_in) of the NTK parameterisation, where
 * weights are N(0, 1) and the scale lives in the forward pass instead of the initialisation.
 */
import * as tf from '@tensorflow/tfjs';

export class Scale extends tf.layers.Layer {
  static className = 'Scale';
  readonly factor: number;

  constructor(args: { factor: number; name?: string }) {
    super({ name: args.name });
    this.factor = args.factor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.mul(x, this.factor);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}

tf.serialization.registerClass(Scale);

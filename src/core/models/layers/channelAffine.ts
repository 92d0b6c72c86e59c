/**
 * y = x·scale + shift along the last (channel or feature) axis: an imported graph's input normalisation
 * ((x − mean)/std), a batch normalisation that has no layer before it to fold into, or a constant
 * multiplication. The numbers live in the config (a few per channel), so the model stays self-describing.
 */
import * as tf from '@tensorflow/tfjs';

export interface ChannelAffineArgs {
  /** One number, or one per channel/feature of the last axis. */
  scale: number[];
  shift: number[];
  name?: string;
}

export class ChannelAffine extends tf.layers.Layer {
  static className = 'ChannelAffine';
  readonly scale: number[];
  readonly shift: number[];

  constructor(args: ChannelAffineArgs) {
    super({ name: args.name });
    this.scale = [...args.scale];
    this.shift = [...args.shift];
  }

  /** The scale and shift as tensors that broadcast against [..., C]. */
  tensors(): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
    return { scale: tf.tensor1d(this.scale), shift: tf.tensor1d(this.shift) };
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const { scale, shift } = this.tensors();
      return tf.add(tf.mul(x, scale), shift);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale, shift: this.shift };
  }
}

tf.serialization.registerClass(ChannelAffine);

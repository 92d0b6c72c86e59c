/**
 * Group normalisation (Wu & He, 2018), which tfjs does not ship: the channels are split into G
 * groups and each example's group is normalised over (height, width, channels-in-group), then a
 * per-channel scale γ and shift β are applied. Independent of the batch, so training and
 * inference compute the same thing. NHWC.
 *
 *   y = γ · (x − μ_{n,g}) / √(σ²_{n,g} + ε) + β
 */
import * as tf from '@tensorflow/tfjs';
import { GROUP_NORM } from '../../backend/wasmKernels/groupNorm';

export interface GroupNormArgs {
  groups: number;
  epsilon?: number;
  name?: string;
}

/**
 * The pure function, for tests and for layers that hold their own γ, β. Where the backend has the
 * project's fused kernel (wasm: src/core/backend/wasmKernels/groupNorm.ts) it runs as one kernel
 * with its own gradient; elsewhere as the composite of tfjs ops below (the same arithmetic).
 */
export function groupNorm(
  x: tf.Tensor4D,
  groups: number,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): tf.Tensor4D {
  const c = x.shape[3];
  if (c % groups !== 0) throw new Error(`GroupNorm: ${c} channels do not split into ${groups} groups.`);
  if (x.dtype === 'float32' && tf.getKernel(GROUP_NORM, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(GROUP_NORM, { x, gamma, beta }, { groups, epsilon }) as tf.Tensor4D;
  }
  return groupNormComposite(x, groups, gamma, beta, epsilon);
}

/** GroupNorm as a composite of tfjs ops, differentiated by tfjs' autodiff (every backend). */
export function groupNormComposite(
  x: tf.Tensor4D,
  groups: number,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const grouped = tf.reshape(x, [n, h, w, groups, c / groups]);
    const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
    const normalised = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, epsilon))), [n, h, w, c]);
    return tf.add(tf.mul(normalised, gamma), beta) as tf.Tensor4D;
  });
}

/** GroupNorm(min(32, C), C), the choice in Yan et al.'s released TisODE code (ICLR 2020). */
export function defaultGroups(channels: number): number {
  let g = Math.min(32, channels);
  while (channels % g !== 0) g--;
  return g;
}

export class GroupNorm extends tf.layers.Layer {
  static className = 'GroupNorm';
  readonly groups: number;
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(args: GroupNormArgs) {
    super({ name: args.name });
    this.groups = args.groups;
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return groupNorm(x, this.groups, this.gamma.read() as tf.Tensor1D, this.beta.read() as tf.Tensor1D, this.epsilon);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(GroupNorm);

/**
 * Batch normalisation (Ioffe & Szegedy 2015, Algorithm 1–2), and its split form for adversarial training
 * (Xie & Yuille 2020, §4; AdvProp's auxiliary batch norm, Xie et al. 2020): one layer that keeps one or two sets
 * of statistics and affine parameters, and a `route` that says which set the next call uses.
 *
 *   training:   y = γ · (x − μ_B) / √(σ²_B + ε) + β, μ_B, σ²_B over (batch, height, width) per channel;
 *               the running averages move toward the batch's: m ← p·m + (1 − p)·μ_B, v ← p·v + (1 − p)·σ²_B·k/(k−1)
 *               (k values a channel; the unbiased variance of Ioffe & Szegedy's Algorithm 2)
 *   inference:  y = γ · (x − m) / √(v + ε) + β, a fixed per-channel affine map (what attacks differentiate and
 *               certification bounds: it folds into the preceding conv)
 *
 * Split: `branches: 2` holds a second set (BN_adv) beside the first (BN_clean). The layer has one input, so a
 * split batch is run as two calls — clean images with route 'clean', adversarial ones with route 'adv' —
 * which gives each half its own batch statistics exactly as AdvProp's mixture BN does; every other layer is
 * shared. Attacks call the model in inference mode and see whichever route is set (setBatchNormRoute).
 *
 * The training-mode normalisation over (N, H, W) of an NHWC tensor is GroupNorm with one channel a group on the
 * same values viewed as a single example [1, N·H, W, C] (a free reshape): so it runs as the project's fused wasm
 * GroupNorm kernel and its gradient (src/core/backend/wasmKernels/groupNorm.ts) instead of ~15 tfjs kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchNormRoute } from '../../options/batchNormOptions';
import { groupNorm } from './groupNorm';

/** PyTorch's default: running averages move 10 % of the way per batch (Keras' 0.99 is too slow for short runs). */
export const BATCH_NORM_MOMENTUM = 0.9;
export const BATCH_NORM_EPSILON = 1e-5;

export { BATCH_NORM_ROUTES, type BatchNormRoute } from '../../options/batchNormOptions';

export interface BatchNormArgs {
  /** 1: ordinary batch norm; 2: split (BN_clean, BN_adv). */
  branches?: 1 | 2;
  momentum?: number;
  epsilon?: number;
  /** The set used by the next call (split layers only); 'adv' by default, Xie & Yuille's choice at test time. */
  route?: BatchNormRoute;
  name?: string;
}

/** Training-mode batch norm of x ([n, h, w, c] or [n, c]): output, and the batch's mean and biased variance. */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = BATCH_NORM_EPSILON,
): tf.Tensor {
  const c = x.shape[x.shape.length - 1];
  const rows = x.size / c;
  // [n, h, w, c] → [1, n·h, w, c] (or [n, c] → [1, n, 1, c]): per-channel statistics over everything but c.
  const s = x.shape as number[];
  const view: [number, number, number, number] = x.rank === 4 ? [1, s[0] * s[1], s[2], c] : [1, rows, 1, c];
  return tf.tidy(() => tf.reshape(groupNorm(tf.reshape(x, view) as tf.Tensor4D, c, gamma, beta, epsilon), x.shape));
}

/** Inference-mode batch norm: the per-channel affine map x·s + t, s = γ/√(v + ε), t = β − m·s. */
export function batchNormInference(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  movingMean: tf.Tensor1D,
  movingVariance: tf.Tensor1D,
  epsilon = BATCH_NORM_EPSILON,
): tf.Tensor {
  return tf.tidy(() => {
    const { scale, shift } = batchNormAffine(gamma, beta, movingMean, movingVariance, epsilon);
    return tf.add(tf.mul(x, scale), shift);
  });
}

/** The inference-mode map as scale and shift per channel (what folding into a conv multiplies in). */
export function batchNormAffine(
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  movingMean: tf.Tensor1D,
  movingVariance: tf.Tensor1D,
  epsilon = BATCH_NORM_EPSILON,
): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
  return tf.tidy(() => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(movingVariance, epsilon))) as tf.Tensor1D;
    return { scale, shift: tf.sub(beta, tf.mul(movingMean, scale)) as tf.Tensor1D };
  });
}

interface BranchWeights {
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

export class BatchNorm extends tf.layers.Layer {
  static className = 'BatchNorm';
  readonly branches: 1 | 2;
  readonly momentum: number;
  readonly epsilon: number;
  route: BatchNormRoute;
  private sets: BranchWeights[] = [];

  constructor(args: BatchNormArgs = {}) {
    super({ name: args.name });
    this.branches = args.branches ?? 1;
    if (this.branches !== 1 && this.branches !== 2) throw new Error(`BatchNorm: branches must be 1 or 2.`);
    this.momentum = args.momentum ?? BATCH_NORM_MOMENTUM;
    this.epsilon = args.epsilon ?? BATCH_NORM_EPSILON;
    this.route = args.route ?? 'adv';
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = [shape[shape.length - 1] as number];
    this.sets = [];
    for (let b = 0; b < this.branches; b++) {
      const p = b === 0 ? '' : 'adv_';
      this.sets.push({
        gamma: this.addWeight(`${p}gamma`, c, 'float32', tf.initializers.ones()),
        beta: this.addWeight(`${p}beta`, c, 'float32', tf.initializers.zeros()),
        movingMean: this.addWeight(`${p}moving_mean`, c, 'float32', tf.initializers.zeros(), undefined, false),
        movingVariance: this.addWeight(`${p}moving_variance`, c, 'float32', tf.initializers.ones(), undefined, false),
      });
    }
    this.built = true;
  }

  /** The set the current route selects (the only one, for an ordinary batch norm). */
  activeSet(): BranchWeights {
    return this.sets[this.branches === 2 && this.route === 'adv' ? 1 : 0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const s = this.activeSet();
    const gamma = s.gamma.read() as tf.Tensor1D;
    const beta = s.beta.read() as tf.Tensor1D;
    if (!kwargs?.training) {
      return batchNormInference(
        x,
        gamma,
        beta,
        s.movingMean.read() as tf.Tensor1D,
        s.movingVariance.read() as tf.Tensor1D,
        this.epsilon,
      );
    }
    this.updateRunningStatistics(x, s);
    return batchNormTraining(x, gamma, beta, this.epsilon);
  }

  private updateRunningStatistics(x: tf.Tensor, s: BranchWeights): void {
    tf.tidy(() => {
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const k = x.size / x.shape[x.shape.length - 1];
      const { mean, variance } = tf.moments(x, axes);
      const unbiased = tf.mul(variance, k / Math.max(1, k - 1));
      const p = this.momentum;
      s.movingMean.write(tf.add(tf.mul(s.movingMean.read(), p), tf.mul(mean, 1 - p)));
      s.movingVariance.write(tf.add(tf.mul(s.movingVariance.read(), p), tf.mul(unbiased, 1 - p)));
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      branches: this.branches,
      momentum: this.momentum,
      epsilon: this.epsilon,
      route: this.route,
    };
  }
}

tf.serialization.registerClass(BatchNorm);

/** The model's batch-norm layers. */
export function batchNormLayers(model: tf.LayersModel): BatchNorm[] {
  return model.layers.filter((l): l is BatchNorm => l instanceof BatchNorm);
}

/** True when the model holds split batch norms (BN_clean and BN_adv). */
export function hasSplitBatchNorm(model: tf.LayersModel): boolean {
  return batchNormLayers(model).some((l) => l.branches === 2);
}

/** Points every split batch norm at one set; the route of the model (ordinary batch norms ignore it). */
export function setBatchNormRoute(model: tf.LayersModel, route: BatchNormRoute): void {
  for (const l of batchNormLayers(model)) l.route = route;
}

/** The route the model's split batch norms use now (undefined without any). */
export function batchNormRouteOf(model: tf.LayersModel): BatchNormRoute | undefined {
  return batchNormLayers(model).find((l) => l.branches === 2)?.route;
}

/** Runs fn with the split batch norms on `route`, then puts the previous route back. */
export function withBatchNormRoute<T>(model: tf.LayersModel, route: BatchNormRoute, fn: () => T): T {
  const previous = batchNormRouteOf(model);
  if (previous === undefined) return fn();
  setBatchNormRoute(model, route);
  try {
    return fn();
  } finally {
    setBatchNormRoute(model, previous);
  }
}

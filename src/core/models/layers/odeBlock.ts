/**
 * The ODE block of ODENet and TisODE (Yan et al., ICLR 2020): the feature map z
 * evolves by dz/dt = f(t, z) from t = 0 to T and z(T) is the block's output.
 *
 *   f(t, z) = ReLU(GN(conv₂([ReLU(GN(conv₁([z, t]))), t])))      ODENet: a constant t-channel is
 *                                                                 concatenated before each conv
 *   f(z)    = ReLU(GN(conv₂(ReLU(GN(conv₁(z))))))                 TisODE: autonomous, bias-free convs
 *
 * TisODE's steady-state regulariser (the authors' code, labelled as such): in training, continue
 * the trajectory with Euler steps of `dt` from t₁ to t₃ and accumulate Σ dt·mean|f(z_k)| (mean over
 * batch and features); it is exposed as `auxiliaryLoss` for the trainer to add with its weight (tfjs layers
 * have no channel for activity-dependent losses, and the trainer's custom loop reads it inside
 * the same gradient tape).
 */
import * as tf from '@tensorflow/tfjs';
import { odeSolve, type SolverName, type SolveStats } from '../../ode/solvers';
import { defaultGroups, groupNorm } from './groupNorm';

export interface SteadyStateConfig {
  /** [t₁, t₃]: the interval over which |f| is accumulated (T lies inside it). */
  from: number;
  to: number;
  /** Euler step of the continued trajectory. */
  dt: number;
}

export interface OdeBlockArgs {
  channels: number;
  /** GroupNorm groups (default min(32, C), as in the paper). */
  groups?: number;
  /** ODENet: f depends on t (concatenated channel). TisODE: autonomous. */
  timeDependent: boolean;
  useBias: boolean;
  solver: SolverName;
  steps: number;
  /** Integration time T. */
  endTime: number;
  steadyState?: SteadyStateConfig | null;
  seed?: number;
  name?: string;
}

export class OdeBlock extends tf.layers.Layer {
  static className = 'OdeBlock';
  readonly args: OdeBlockArgs;
  /**
   * Set during a training-mode call when a steady-state regulariser is configured. Kept out of
   * the model's internal tidy (the functional model disposes intermediates), so the caller must
   * dispose it: see `releaseAuxiliaryLoss`.
   */
  auxiliaryLoss: tf.Scalar | null = null;
  /** Counts of the last call's solver work (function evaluations etc.). */
  lastStats: SolveStats = { evaluations: 0, acceptedSteps: 0, rejectedSteps: 0 };
  private kernels: tf.LayerVariable[] = [];
  private biases: tf.LayerVariable[] = [];
  private gammas: tf.LayerVariable[] = [];
  private betas: tf.LayerVariable[] = [];

  constructor(args: OdeBlockArgs) {
    super({ name: args.name });
    this.args = { ...args, steadyState: args.steadyState ?? null };
  }

  override build(): void {
    const c = this.args.channels;
    const inC = c + (this.args.timeDependent ? 1 : 0);
    const seed = this.args.seed ?? 0;
    for (let i = 0; i < 2; i++) {
      this.kernels.push(
        this.addWeight(
          `conv${i + 1}/kernel`,
          [3, 3, inC, c],
          'float32',
          tf.initializers.heNormal({ seed: seed * 31 + i }),
        ),
      );
      if (this.args.useBias)
        this.biases.push(this.addWeight(`conv${i + 1}/bias`, [c], 'float32', tf.initializers.zeros()));
      this.gammas.push(this.addWeight(`gn${i + 1}/gamma`, [c], 'float32', tf.initializers.ones()));
      this.betas.push(this.addWeight(`gn${i + 1}/beta`, [c], 'float32', tf.initializers.zeros()));
    }
    this.built = true;
  }

  /**
   * The vector field f(t, ·) for the current weights. The concatenated time channel is applied
   * without concatenating: conv([z, t·1], W) = conv(z, W_z) + t·conv(1, W_t), where conv(1, W_t)
   * (ones with the same zero padding) is one fixed map per layer. Identical values, and it spares
   * a concat and a split per evaluation (measured: ~15 % of an ODENet training step on wasm).
   */
  vectorField(height: number, width: number): (t: number, z: tf.Tensor) => tf.Tensor {
    const c = this.args.channels;
    const groups = this.args.groups ?? defaultGroups(c);
    const layers = [0, 1].map((i) => {
      const kernel = this.kernels[i].read() as tf.Tensor4D;
      if (!this.args.timeDependent) return { kernel, timeMap: null };
      return {
        kernel: tf.slice(kernel, [0, 0, 0, 0], [3, 3, c, c]) as tf.Tensor4D,
        timeMap: tf.conv2d(
          tf.ones([1, height, width, 1]) as tf.Tensor4D,
          tf.slice(kernel, [0, 0, c, 0], [3, 3, 1, c]) as tf.Tensor4D,
          1,
          'same',
        ),
      };
    });
    return (t, z) => {
      let h = z as tf.Tensor4D;
      for (let i = 0; i < 2; i++) {
        const { kernel, timeMap } = layers[i];
        h = tf.conv2d(h, kernel, 1, 'same');
        if (timeMap && t !== 0) h = tf.add(h, tf.mul(timeMap, t));
        if (this.args.useBias) h = tf.add(h, this.biases[i].read());
        h = tf.relu(groupNorm(h, groups, this.gammas[i].read() as tf.Tensor1D, this.betas[i].read() as tf.Tensor1D));
      }
      return h;
    };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const z0 = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const { solver, steps, endTime, steadyState } = this.args;
    const f = this.vectorField(z0.shape[1], z0.shape[2]);
    const stats: SolveStats = { evaluations: 0, acceptedSteps: 0, rejectedSteps: 0 };
    this.lastStats = stats;
    this.releaseAuxiliaryLoss();
    if (!(kwargs?.training === true && steadyState)) {
      return odeSolve(f, z0, { method: solver, t0: 0, t1: endTime, steps }, stats);
    }
    // Training TisODE: solve to t₁, then continue with Euler to t₃, keeping z(T) as the output.
    const { from, to, dt } = steadyState;
    const stepsToFrom = Math.max(1, Math.round((steps * from) / endTime));
    let z = odeSolve(f, z0, { method: solver, t0: 0, t1: from, steps: stepsToFrom }, stats);
    let output: tf.Tensor | null = from >= endTime ? z : null;
    let accumulated: tf.Tensor = tf.scalar(0);
    const n = Math.max(1, Math.round((to - from) / dt));
    const h = (to - from) / n;
    for (let k = 0; k < n; k++) {
      const t = from + k * h;
      const dz = f(t, z);
      accumulated = tf.add(accumulated, tf.mul(tf.mean(tf.abs(dz)), h));
      z = tf.add(z, tf.mul(dz, h));
      if (output === null && t + h >= endTime - 1e-9) output = z;
      stats.evaluations++;
    }
    this.auxiliaryLoss = tf.keep(accumulated as tf.Scalar);
    return output ?? z;
  }

  releaseAuxiliaryLoss(): void {
    this.auxiliaryLoss?.dispose();
    this.auxiliaryLoss = null;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { channels, groups, timeDependent, useBias, solver, steps, endTime, steadyState, seed } = this.args;
    return {
      ...super.getConfig(),
      channels,
      groups: groups ?? defaultGroups(channels),
      timeDependent,
      useBias,
      solver,
      steps,
      endTime,
      steadyState: steadyState ? { ...steadyState } : null,
      seed: seed ?? 0,
    };
  }
}

tf.serialization.registerClass(OdeBlock);

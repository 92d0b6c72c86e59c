/**
 * Interval bounds through an ODE block (Yan et al. 2020's ODENet/TisODE block, integrated by a fixed-step
 * solver): the box is carried through every stage of every step, each stage being the block's vector field
 * f = ReLU ∘ GN ∘ conv ∘ ReLU ∘ GN ∘ conv bounded layer by layer, and each update z + h·Σ b_k·k_k by interval
 * addition. This forgets that z and f(z) move together (the dependency problem of interval arithmetic), so the
 * bounds widen with every step, but each step's box contains every trajectory from the input box: sound.
 *
 * An adaptive solver (dopri5) chooses its steps from the trajectory itself, which a box does not have, and is
 * refused.
 */
import * as tf from '@tensorflow/tfjs';
import { OdeBlock } from '../models/layers/odeBlock';
import { defaultGroups } from '../models/layers/groupNorm';
import { UnsupportedLayerError } from '../util/errors';
import { groupNormInterval } from './groupNormBounds';
import { addScaled, affineInterval, monotoneInterval, type Interval } from './interval';
import { describeLayer } from './layerGraph';

/** GroupNorm's ε inside the block (the pure function's default, which the block uses). */
const BLOCK_GN_EPSILON = 1e-5;

type IntervalField = (t: number, z: Interval) => Interval;

/** The block's vector field on boxes, for maps of height × width. */
function intervalVectorField(block: OdeBlock, height: number, width: number): IntervalField {
  const { channels: c, timeDependent, useBias } = block.args;
  const groups = block.args.groups ?? defaultGroups(c);
  // Weights in the order OdeBlock.build adds them: per conv, kernel, [bias], GN γ, GN β.
  const perConv = useBias ? 4 : 3;
  const layers = [0, 1].map((i) => {
    const w = block.weights.slice(i * perConv, (i + 1) * perConv).map((v) => v.read());
    const kernel = w[0] as tf.Tensor4D;
    const kernelZ = timeDependent ? (tf.slice(kernel, [0, 0, 0, 0], [3, 3, c, c]) as tf.Tensor4D) : kernel;
    // The concatenated time channel contributes t·conv(1, W_t), a fixed map per conv (as OdeBlock computes it).
    const timeMap = timeDependent
      ? tf.conv2d(
          tf.ones([1, height, width, 1]) as tf.Tensor4D,
          tf.slice(kernel, [0, 0, c, 0], [3, 3, 1, c]) as tf.Tensor4D,
          1,
          'same',
        )
      : null;
    return { kernelZ, timeMap, bias: useBias ? w[1] : null, gamma: w[perConv - 2], beta: w[perConv - 1] };
  });
  return (t, z) => {
    let h = z;
    for (const { kernelZ, timeMap, bias, gamma, beta } of layers) {
      const offsets = [timeMap && t !== 0 ? tf.mul(timeMap, t) : null, bias].filter((o): o is tf.Tensor => !!o);
      h = affineInterval(
        {
          apply: (x) => tf.conv2d(x as tf.Tensor4D, kernelZ, 1, 'same'),
          applyAbs: (r) => tf.conv2d(r as tf.Tensor4D, tf.abs(kernelZ) as tf.Tensor4D, 1, 'same'),
          bias: () =>
            offsets.length === 0 ? null : offsets.length === 1 ? offsets[0] : tf.add(offsets[0], offsets[1]),
        },
        h,
      );
      h = groupNormInterval(h, groups, gamma, beta, BLOCK_GN_EPSILON);
      h = monotoneInterval(tf.relu, h);
    }
    return h;
  };
}

/** Bounds of the block's output z(T) for inputs in the box z0. */
export function odeBlockInterval(layer: tf.layers.Layer, z0: Interval): Interval {
  if (!(layer instanceof OdeBlock)) throw new UnsupportedLayerError(`${describeLayer(layer)} is not an ODE block.`);
  const { solver, steps, endTime } = layer.args;
  if (solver !== 'euler' && solver !== 'midpoint' && solver !== 'rk4') {
    throw new UnsupportedLayerError(
      `${describeLayer(layer)} integrates with the adaptive solver "${solver}", whose steps depend on the ` +
        'trajectory; interval bounds need a fixed-step solver (euler, midpoint or rk4).',
    );
  }
  const f = intervalVectorField(layer, z0.lower.shape[1]!, z0.lower.shape[2]!);
  const h = endTime / steps;
  let z = z0;
  for (let i = 0; i < steps; i++) {
    const t = i * h;
    if (solver === 'euler') {
      z = addScaled(z, f(t, z), h);
    } else if (solver === 'midpoint') {
      const k1 = f(t, z);
      z = addScaled(z, f(t + h / 2, addScaled(z, k1, h / 2)), h);
    } else {
      const k1 = f(t, z);
      const k2 = f(t + h / 2, addScaled(z, k1, h / 2));
      const k3 = f(t + h / 2, addScaled(z, k2, h / 2));
      const k4 = f(t + h, addScaled(z, k3, h));
      z = addScaled(addScaled(addScaled(addScaled(z, k1, h / 6), k2, h / 3), k3, h / 3), k4, h / 6);
    }
  }
  return z;
}

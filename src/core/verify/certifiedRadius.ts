/**
 * Certification at an L∞ radius, and the largest certified radius by bisection on ε (Gowal et al. 2018 report
 * verified accuracy at fixed ε; the bisection gives a per-image lower bound on the distance to the nearest
 * adversarial example, which an attack's smallest perturbation bounds from above).
 *
 * An image is certified at ε for class c when every lower bound of z_c − z_j (j ≠ c) over the ε-box is
 * positive. IBP's bounds only widen as ε grows (interval arithmetic is inclusion-monotone); CROWN's need not,
 * so the bisection returns an ε that was itself verified, never an interpolated one.
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { crownMarginLowerBoundsForCertification } from './crown';
import { ibpMarginLowerBounds } from './ibp';
import { certifiedByMargins } from './specification';

export const BOUND_METHODS = ['ibp', 'crown'] as const;
export type BoundMethod = (typeof BOUND_METHODS)[number];

/** Margin lower bounds [n, K] by the method (CROWN: intersected with IBP, through the certification shortcut). */
export async function certificationMargins(
  model: tf.LayersModel,
  x: tf.Tensor,
  classes: tf.Tensor1D,
  eps: number | tf.Tensor1D,
  method: BoundMethod,
): Promise<tf.Tensor2D> {
  if (method === 'ibp') return ibpMarginLowerBounds(model, x, classes, eps);
  return crownMarginLowerBoundsForCertification(model, x, classes, eps);
}

async function certifiedByBounds(
  model: tf.LayersModel,
  x: tf.Tensor,
  classes: tf.Tensor1D,
  eps: number | tf.Tensor1D,
  method: BoundMethod,
): Promise<Uint8Array> {
  const margins = await certificationMargins(model, x, classes, eps, method);
  const ok = certifiedByMargins(margins, classes);
  try {
    return Uint8Array.from(await ok.data());
  } finally {
    tf.dispose([margins, ok]);
  }
}

/**
 * Whether each image is certified for its class at ε (one number, or one per image): 1 or 0 per image. For
 * CROWN the cheap IBP bound goes first and only the images it leaves uncertified get CROWN's backward passes:
 * both bounds are sound, so an image either certifies is certified (CROWN's margins are intersected with IBP's
 * anyway).
 */
export async function certifiedAt(
  model: tf.LayersModel,
  x: tf.Tensor,
  classes: tf.Tensor1D,
  eps: number | tf.Tensor1D,
  method: BoundMethod,
): Promise<Uint8Array> {
  const byIbp = await certifiedByBounds(model, x, classes, eps, 'ibp');
  if (method === 'ibp') return byIbp;
  const rest = Int32Array.from(Array.from(byIbp.keys()).filter((i) => !byIbp[i]));
  if (rest.length === 0) return byIbp;
  const pick = tf.tensor1d(rest, 'int32');
  const xs = tf.gather(x, pick);
  const cs = tf.gather(classes, pick) as tf.Tensor1D;
  const es = typeof eps === 'number' ? null : (tf.gather(eps, pick) as tf.Tensor1D);
  try {
    const byCrown = await certifiedByBounds(model, xs, cs, es ?? (eps as number), 'crown');
    const out = Uint8Array.from(byIbp);
    rest.forEach((i, k) => {
      out[i] = byCrown[k];
    });
    return out;
  } finally {
    tf.dispose([pick, xs, cs, ...(es ? [es] : [])]);
  }
}

export interface RadiusOptions {
  /** Width of the final bracket (default 0.001, in [0, 1] pixel units). */
  tolerance?: number;
  /** Largest ε tried (default 1: the box then covers the whole image domain). */
  max?: number;
}

export const DEFAULT_RADIUS_TOLERANCE = 1e-3;

function resolveRadiusOptions(o: RadiusOptions): Required<RadiusOptions> {
  const tolerance = o.tolerance ?? DEFAULT_RADIUS_TOLERANCE;
  const max = o.max ?? 1;
  if (!(max > 0 && max <= 1)) throw new InvalidOptionError(`The largest radius must be in (0, 1], got ${max}.`);
  if (!(tolerance > 0 && tolerance <= max)) {
    throw new InvalidOptionError(`The radius tolerance must be in (0, ${max}], got ${tolerance}.`);
  }
  return { tolerance, max };
}

/**
 * The largest L∞ radius certified for each image's class, to `tolerance`: every returned ε > 0 was verified
 * (0 when none was, including images whose class is not the model's strict prediction). All images bisect
 * together, one bound computation per step (log₂(max/tolerance) steps).
 */
export async function certifiedRadii(
  model: tf.LayersModel,
  x: tf.Tensor,
  classes: tf.Tensor1D,
  method: BoundMethod,
  options: RadiusOptions = {},
  task?: LongTask,
): Promise<Float64Array> {
  const { tolerance, max } = resolveRadiusOptions(options);
  const n = x.shape[0];
  const lo = new Float64Array(n);
  const hi = new Float64Array(n).fill(max);
  const atMax = await certifiedAt(model, x, classes, max, method);
  for (let i = 0; i < n; i++) if (atMax[i]) lo[i] = max;
  const steps = Math.ceil(Math.log2(max / tolerance));
  for (let step = 0; step < steps; step++) {
    throwIfCancelled(task);
    const mid = Float32Array.from(lo, (l, i) => (l === max ? max : (l + hi[i]) / 2));
    const eps = tf.tensor1d(mid);
    try {
      const ok = await certifiedAt(model, x, classes, eps, method);
      for (let i = 0; i < n; i++) {
        if (lo[i] === max) continue;
        // The float32 ε that was verified, so the reported radius is exactly one that holds.
        if (ok[i]) lo[i] = mid[i];
        else hi[i] = mid[i];
      }
    } finally {
      eps.dispose();
    }
    task?.onProgress?.({ fraction: (step + 1) / steps, message: `bisection step ${step + 1}/${steps}` });
    await yieldToEventLoop();
  }
  return lo;
}

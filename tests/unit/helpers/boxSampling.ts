/**
 * Brute-force evidence for the soundness tests of the verifiers: points of the ε-box around one image (random
 * corners, uniform points, and points a signed-gradient descent pushes toward each margin's minimum), run
 * through the model itself, with the smallest margins and the logit ranges they reach. A sound bound is never
 * beaten by any of them.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../../src/core/util/random';

export interface SampledExtremes {
  /** Smallest z_c − z_j seen, per j. */
  minMargins: Float64Array;
  minLogits: Float64Array;
  maxLogits: Float64Array;
  points: number;
}

/** [max(x − ε, 0), min(x + ε, 1)] in plain numbers. */
export function boxOf(x: Float32Array, eps: number): { lower: Float32Array; upper: Float32Array } {
  const lower = x.map((v) => Math.max(v - eps, 0));
  const upper = x.map((v) => Math.min(v + eps, 1));
  return { lower, upper };
}

/** `count` points of the box: half random corners, half uniform. */
export function sampleBox(lower: Float32Array, upper: Float32Array, count: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const d = lower.length;
  const out = new Float32Array(count * d);
  for (let p = 0; p < count; p++) {
    const corner = p % 2 === 0;
    for (let i = 0; i < d; i++) {
      const t = corner ? (rand() < 0.5 ? 0 : 1) : rand();
      out[p * d + i] = lower[i] + t * (upper[i] - lower[i]);
    }
  }
  return out;
}

function update(ext: SampledExtremes, logits: Float32Array, k: number, c: number): void {
  const n = logits.length / k;
  for (let p = 0; p < n; p++) {
    const row = logits.subarray(p * k, (p + 1) * k);
    for (let j = 0; j < k; j++) {
      ext.minMargins[j] = Math.min(ext.minMargins[j], row[c] - row[j]);
      ext.minLogits[j] = Math.min(ext.minLogits[j], row[j]);
      ext.maxLogits[j] = Math.max(ext.maxLogits[j], row[j]);
    }
  }
  ext.points += n;
}

/**
 * Runs `count` sampled points plus, per class j ≠ c, a 20-step signed-gradient descent on z_c − z_j inside the
 * box, and returns the extremes reached.
 */
export async function sampleExtremes(
  model: tf.LayersModel,
  image: Float32Array,
  shape: number[],
  c: number,
  eps: number,
  count: number,
  seed: number,
): Promise<SampledExtremes> {
  const { lower, upper } = boxOf(image, eps);
  const k = (model.outputs[0].shape as number[])[1];
  const ext: SampledExtremes = {
    minMargins: new Float64Array(k).fill(Infinity),
    minLogits: new Float64Array(k).fill(Infinity),
    maxLogits: new Float64Array(k).fill(-Infinity),
    points: 0,
  };
  const points = sampleBox(lower, upper, count, seed);
  const d = image.length;
  const batch = 1000;
  for (let s = 0; s < count; s += batch) {
    const m = Math.min(batch, count - s);
    const z = tf.tidy(
      () =>
        model.apply(tf.tensor(points.subarray(s * d, (s + m) * d), [m, ...shape]), { training: false }) as tf.Tensor,
    );
    update(ext, (await z.data()) as Float32Array, k, c);
    z.dispose();
  }
  const attacked = tf.tidy(() => {
    const lo = tf.tensor(lower, [1, ...shape]);
    const hi = tf.tensor(upper, [1, ...shape]);
    const targets = tf.oneHot(tf.tensor1d([...Array(k).keys()], 'int32'), k).toFloat();
    const own = tf.oneHot(tf.fill([k], c, 'int32') as tf.Tensor1D, k).toFloat();
    let xs: tf.Tensor = tf.add(tf.tensor(image, [1, ...shape]), tf.zeros([k, ...shape]));
    const margin = (v: tf.Tensor) =>
      tf.sum(tf.mul(model.apply(v, { training: false }) as tf.Tensor, tf.sub(own, targets)));
    const step = Math.max(eps, 0) / 8;
    for (let it = 0; it < 20; it++) {
      const g = tf.grad(margin)(xs);
      xs = tf.minimum(tf.maximum(tf.sub(xs, tf.mul(tf.sign(g), step)), lo), hi);
    }
    return model.apply(xs, { training: false }) as tf.Tensor;
  });
  update(ext, (await attacked.data()) as Float32Array, k, c);
  attacked.dispose();
  return ext;
}

/** Largest amount by which a sampled point beats a bound (≤ 0 when sound), with a float32 allowance. */
export function worstViolation(
  ext: SampledExtremes,
  marginLower: ArrayLike<number>,
  logitBounds?: { lower: ArrayLike<number>; upper: ArrayLike<number> },
): number {
  let worst = -Infinity;
  const tol = (v: number) => 1e-4 * (1 + Math.abs(v));
  for (let j = 0; j < ext.minMargins.length; j++) {
    worst = Math.max(worst, marginLower[j] - ext.minMargins[j] - tol(ext.minMargins[j]));
    if (logitBounds) {
      worst = Math.max(worst, logitBounds.lower[j] - ext.minLogits[j] - tol(ext.minLogits[j]));
      worst = Math.max(worst, ext.maxLogits[j] - logitBounds.upper[j] - tol(ext.maxLogits[j]));
    }
  }
  return worst;
}

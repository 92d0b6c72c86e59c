/**
 * Norms of a model's parameters: ρ = ‖θ‖₂ over all trainable parameters (Lyu & Li 2020,
 * the normalised margin's denominator) and the lazy-training ratio ‖θ_t − θ₀‖₂ / ‖θ₀‖₂ (Zhu et al. 2022).
 */
import type * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';

/** ‖θ‖₂ over every trainable weight (kernels and biases), in double precision. */
export async function parameterNorm(model: tf.LayersModel): Promise<number> {
  return normOfArrays(await Promise.all(model.trainableWeights.map((w) => w.read().data())));
}

/** ‖(w₁, …, w_k)‖₂ of weights read back as arrays, summed in double precision (float32 overflows for big nets). */
export function normOfArrays(weights: readonly ArrayLike<number>[]): number {
  let s = 0;
  for (const v of weights) {
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  }
  return Math.sqrt(s);
}

/** ‖θ − θ₀‖₂ / ‖θ₀‖₂ of two lists of weights read back as arrays, in double precision (the trainer's form). */
export function lazyRatioOfArrays(
  current: readonly ArrayLike<number>[],
  initial: readonly ArrayLike<number>[],
): number {
  let diff = 0;
  let base = 0;
  current.forEach((v, k) => {
    const v0 = initial[k];
    for (let i = 0; i < v.length; i++) {
      diff += (v[i] - v0[i]) ** 2;
      base += v0[i] ** 2;
    }
  });
  return Math.sqrt(diff) / Math.max(Math.sqrt(base), 1e-12);
}

/** A copy of the trainable parameters as plain arrays, e.g. θ₀ before training. */
export async function snapshotParameters(model: tf.LayersModel): Promise<{ name: string; values: Float32Array }[]> {
  // Read asynchronously: WebGPU's synchronous read can lose the device.
  return Promise.all(
    model.trainableWeights.map(async (w) => ({
      name: w.originalName,
      values: Float32Array.from(await w.read().data()),
    })),
  );
}

export interface LazyTrainingRatio {
  /** ‖θ_t − θ₀‖₂ / ‖θ₀‖₂ over all parameters. */
  total: number;
  /** The same ratio per weight tensor; null where θ₀ was all zeros (biases start at 0). */
  perWeight: { name: string; ratio: number | null }[];
}

/** ‖θ_t − θ₀‖₂ / ‖θ₀‖₂: small means the network stayed near its initialisation (lazy regime). */
export async function lazyTrainingRatio(
  initial: { name: string; values: Float32Array }[],
  model: tf.LayersModel,
): Promise<LazyTrainingRatio> {
  const now = await snapshotParameters(model);
  if (now.length !== initial.length) throw new InvalidOptionError('The snapshot does not belong to this model.');
  let diff = 0;
  let base = 0;
  const perWeight = now.map((w, k) => {
    const w0 = initial[k].values;
    if (w0.length !== w.values.length)
      throw new InvalidOptionError(`Weight ${w.name} changed size since the snapshot.`);
    let d = 0;
    let b = 0;
    for (let i = 0; i < w0.length; i++) {
      d += (w.values[i] - w0[i]) ** 2;
      b += w0[i] ** 2;
    }
    diff += d;
    base += b;
    return { name: w.name, ratio: b > 0 ? Math.sqrt(d / b) : null };
  });
  return { total: base > 0 ? Math.sqrt(diff / base) : NaN, perWeight };
}

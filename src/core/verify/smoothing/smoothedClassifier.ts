/**
 * Randomized smoothing (Cohen, Rosenfeld & Kolter 2019, "Certified adversarial robustness via randomized
 * smoothing"): the smoothed classifier g(x) = argmax_c P(f(x + δ) = c), δ ~ N(0, σ²I), is robust in L2: if the
 * top class has probability p_A ≥ p̲_A > ½ then g is constant within radius σ·Φ⁻¹(p̲_A) (Theorem 1 with
 * p̄_B = 1 − p̲_A). Its two Monte Carlo procedures (§3.2, Pseudocode):
 *
 *   PREDICT   n noisy samples; the top two counts n_A, n_B; return c_A if the two-sided binomial test of
 *             n_A against n_A + n_B at ½ has p-value ≤ α, else abstain (wrong with probability ≤ α).
 *   CERTIFY   n₀ samples choose ĉ_A; n fresh samples count it; p̲_A = LowerConfBound(n_A, n, 1 − α)
 *             (Clopper–Pearson); if p̲_A > ½ return ĉ_A with radius σ·Φ⁻¹(p̲_A), else abstain.
 *
 * The base classifier sees x + δ unclipped, as in the paper (the certificate is about the smoothed classifier
 * on all of ℝ^d; a model trained with Gaussian noise for it should see the same distribution). Noise comes in
 * batches of a size the caller sets, each from its own seed, read back asynchronously; progress and cancel
 * between batches.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../../models/classifier';
import { InvalidOptionError } from '../../util/errors';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../../util/progress';
import { tfNormalSeed } from '../../util/random';
import { binomialTestHalf, clopperPearsonLower } from './binomialBounds';
import { normalQuantile } from './normalQuantile';

export interface SmoothingOptions {
  /** Noise level σ in pixel units ([0, 1] images). */
  sigma: number;
  /** Samples that choose the class (CERTIFY's n₀; default 100). */
  n0?: number;
  /** Samples that estimate its probability (default 10,000). */
  n?: number;
  /** Failure probability (default 0.001). */
  alpha?: number;
  /** Noisy copies per forward pass (default 1,000). */
  batchSize?: number;
  seed?: number;
}

export const SMOOTHING_DEFAULTS = { n0: 100, n: 10_000, alpha: 0.001, batchSize: 1000, seed: 0 } as const;

export type ResolvedSmoothingOptions = Required<SmoothingOptions>;

const isWhole = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

/** Defaults filled in and every option checked (the URL and the command line can pass anything). */
export function resolveSmoothingOptions(o: SmoothingOptions): ResolvedSmoothingOptions {
  const r = {
    sigma: o.sigma,
    n0: o.n0 ?? SMOOTHING_DEFAULTS.n0,
    n: o.n ?? SMOOTHING_DEFAULTS.n,
    alpha: o.alpha ?? SMOOTHING_DEFAULTS.alpha,
    batchSize: o.batchSize ?? SMOOTHING_DEFAULTS.batchSize,
    seed: o.seed ?? SMOOTHING_DEFAULTS.seed,
  };
  if (!(Number.isFinite(r.sigma) && r.sigma > 0 && r.sigma <= 10)) {
    throw new InvalidOptionError(`σ must be above 0 and at most 10 (pixel units), got ${o.sigma}.`);
  }
  if (!isWhole(r.n0, 1, 10_000_000)) throw new InvalidOptionError(`n0 must be a whole number from 1, got ${r.n0}.`);
  if (!isWhole(r.n, 1, 10_000_000)) throw new InvalidOptionError(`n must be a whole number from 1, got ${r.n}.`);
  if (!(r.alpha > 0 && r.alpha < 0.5)) throw new InvalidOptionError(`α must be in (0, 0.5), got ${r.alpha}.`);
  if (!isWhole(r.batchSize, 1, 100_000)) {
    throw new InvalidOptionError(`The noise batch must be a whole number from 1 to 100000, got ${r.batchSize}.`);
  }
  if (!isWhole(r.seed, 0, 2 ** 31 - 1)) throw new InvalidOptionError(`The seed must be a whole number ≥ 0.`);
  return r;
}

/** A 31-bit seed from several integers (FNV-1a over their 32-bit words), so streams never share noise. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let v = p >>> 0;
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ (v & 0xff), 0x01000193);
      v >>>= 8;
    }
  }
  return (h >>> 0) % 2147483647 || 1;
}

/**
 * How often the base classifier picks each class on `count` noisy copies x + δ of one image ([1, h, w, c]).
 * `stream` separates independent draws for the same image (CERTIFY's selection and estimation samples).
 */
export async function sampleNoiseCounts(
  logits: LogitsFn,
  image: tf.Tensor4D,
  numClasses: number,
  count: number,
  sigma: number,
  batchSize: number,
  seed: number,
  task?: LongTask & { onSamples?: (done: number) => void },
): Promise<Int32Array> {
  if (image.shape[0] !== 1) throw new InvalidOptionError('Smoothing samples one image at a time.');
  const counts = new Int32Array(numClasses);
  const shape = image.shape.slice(1);
  for (let done = 0, batch = 0; done < count; batch++) {
    throwIfCancelled(task);
    const size = Math.min(batchSize, count - done);
    const tally = tf.tidy(() => {
      const noise = tf.randomNormal([size, ...shape], 0, sigma, 'float32', tfNormalSeed(mixSeed(seed, batch)));
      const predicted = tf.argMax(logits(tf.add(image, noise) as tf.Tensor4D), 1);
      return tf.sum(tf.oneHot(predicted, numClasses), 0);
    });
    const values = await tally.data();
    tally.dispose();
    for (let c = 0; c < numClasses; c++) counts[c] += values[c];
    done += size;
    task?.onSamples?.(done);
    await yieldToEventLoop();
  }
  return counts;
}

function topTwo(counts: Int32Array): [number, number] {
  let a = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c] > counts[a]) a = c;
  let b = a === 0 ? 1 : 0;
  for (let c = 0; c < counts.length; c++) if (c !== a && counts[c] > counts[b]) b = c;
  return [a, b];
}

export interface SmoothedPrediction {
  /** The class, or null when the test cannot separate the top two at level α (abstain). */
  prediction: number | null;
  pValue: number;
  counts: Int32Array;
}

/** PREDICT (Cohen et al. 2019, §3.2) for one image [1, h, w, c]. */
export async function smoothedPredict(
  logits: LogitsFn,
  image: tf.Tensor4D,
  numClasses: number,
  options: SmoothingOptions,
  task?: LongTask,
): Promise<SmoothedPrediction> {
  const o = resolveSmoothingOptions(options);
  const onSamples = (done: number) =>
    task?.onProgress?.({ fraction: done / o.n, message: `${done}/${o.n} noisy samples` });
  const counts = await sampleNoiseCounts(logits, image, numClasses, o.n, o.sigma, o.batchSize, mixSeed(o.seed, 0), {
    ...task,
    onSamples,
  });
  const [a, b] = topTwo(counts);
  const pValue = binomialTestHalf(counts[a], counts[a] + counts[b]);
  return { prediction: pValue <= o.alpha ? a : null, pValue, counts };
}

export interface SmoothedCertificate {
  /** The class, or null when p̲_A ≤ ½ (abstain). */
  prediction: number | null;
  /** The certified L2 radius σ·Φ⁻¹(p̲_A), or null when abstaining. */
  radius: number | null;
  /** The Clopper–Pearson lower bound on the top class's probability (holds with probability ≥ 1 − α). */
  pALower: number;
  /** Counts of the n estimation samples. */
  counts: Int32Array;
}

/** CERTIFY (Cohen et al. 2019, §3.2) for one image [1, h, w, c]. */
export async function smoothedCertify(
  logits: LogitsFn,
  image: tf.Tensor4D,
  numClasses: number,
  options: SmoothingOptions,
  task?: LongTask,
): Promise<SmoothedCertificate> {
  const o = resolveSmoothingOptions(options);
  const total = o.n0 + o.n;
  const progress = (offset: number) => (done: number) =>
    task?.onProgress?.({ fraction: (offset + done) / total, message: `${offset + done}/${total} noisy samples` });
  const run = (count: number, stream: number, offset: number) =>
    sampleNoiseCounts(logits, image, numClasses, count, o.sigma, o.batchSize, mixSeed(o.seed, stream), {
      ...task,
      onSamples: progress(offset),
    });
  const selection = await run(o.n0, 1, 0);
  const [cA] = topTwo(selection);
  const counts = await run(o.n, 2, o.n0);
  const pALower = clopperPearsonLower(counts[cA], o.n, o.alpha);
  if (!(pALower > 0.5)) return { prediction: null, radius: null, pALower, counts };
  return { prediction: cA, radius: o.sigma * normalQuantile(pALower), pALower, counts };
}

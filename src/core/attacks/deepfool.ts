/**
 * DeepFool, L2, multi-class (Moosavi-Dezfooli et al. 2016, CVPR, Algorithm 2): a
 * minimal-perturbation attack that linearises the classifier at each iterate and steps onto the
 * nearest linearised decision boundary.
 *
 * At x_i, with k̂ the clean prediction and each candidate k ≠ k̂:
 *   w'_k = ∇f_k(x_i) − ∇f_k̂(x_i),  f'_k = f_k(x_i) − f_k̂(x_i)
 *   l = argmin_k |f'_k| / ‖w'_k‖₂,   r_i = |f'_l| / ‖w'_l‖₂² · w'_l
 *   x_{i+1} = clip[0,1](x₀ + (1 + η)·Σ r_i)          until the prediction leaves k̂
 *
 * The overshoot η multiplies the total perturbation, as in the authors' code. Candidates are the
 * top classes of the clean logits, fixed for the run.
 *
 * Staying in the image box [0,1] (the authors do not clip; foolbox clips the iterate): iterates
 * are clipped, Σr is reset to the clipped iterate's own displacement, and gradient components
 * that would push a pixel already at 0 or 1 further out are dropped before the step is computed.
 * Clipping only the iterate lets the clipped-away part of Σr grow unchecked: on MNIST, whose
 * background is exactly 0, that stalled DeepFool for 13–50 iterations (some images never left
 * their class) instead of 3–6.
 * Reported: DeepFool's estimate ‖Σ r_i‖₂ (without the overshoot) and the achieved ‖x_adv − x₀‖₂
 * (with it, in the box). On a linear model away from the box's faces the first is exactly the
 * distance to the decision boundary and one iteration suffices.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import { InvalidOptionError } from '../util/errors';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { logitGradient } from '../metrics/inputJacobian';
import { MARGINS_FIELDS } from '../options/analysisOptions';

/** η, the authors' default. */
export const DEEPFOOL_OVERSHOOT = MARGINS_FIELDS.overshoot.default;
/** The authors' default iteration cap. */
export const DEEPFOOL_MAX_ITERATIONS = MARGINS_FIELDS.maxIterations.default;
/** Candidate classes considered (the authors' default; all of them on MNIST). */
export const DEEPFOOL_CANDIDATES = 10;
/** Guards divisions when two classes have identical gradients. */
const TINY = 1e-12;

export interface DeepFoolOptions {
  overshoot?: number;
  maxIterations?: number;
  candidates?: number;
}

export interface DeepFoolResult {
  /** Clipped adversarial images [n, h, w, c]; the caller disposes them. */
  adversarial: tf.Tensor4D;
  originalClass: Int32Array;
  adversarialClass: Int32Array;
  /** ‖Σ r_i‖₂: DeepFool's estimate of the distance to the boundary (the achieved distance without the overshoot). */
  perturbationNorm: Float64Array;
  /** ‖x_adv − x₀‖₂ with the overshoot, inside the box: the distance actually achieved. */
  distance: Float64Array;
  /** 1 where the prediction left the clean class within the iteration cap. */
  fooled: Uint8Array;
  iterations: Int32Array;
  options: Required<DeepFoolOptions>;
}

function resolve(o: DeepFoolOptions, numClasses: number): Required<DeepFoolOptions> {
  const r = {
    overshoot: o.overshoot ?? DEEPFOOL_OVERSHOOT,
    maxIterations: o.maxIterations ?? DEEPFOOL_MAX_ITERATIONS,
    candidates: Math.min(o.candidates ?? DEEPFOOL_CANDIDATES, numClasses),
  };
  if (!(r.overshoot >= 0 && r.overshoot <= 1))
    throw new InvalidOptionError(`DeepFool overshoot must be between 0 and 1, got ${r.overshoot}.`);
  if (!(Number.isInteger(r.maxIterations) && r.maxIterations >= 1 && r.maxIterations <= 1000)) {
    throw new InvalidOptionError(`DeepFool iterations must be a whole number from 1 to 1000, got ${r.maxIterations}.`);
  }
  if (!(Number.isInteger(r.candidates) && r.candidates >= 2))
    throw new InvalidOptionError(`DeepFool needs at least 2 candidate classes, got ${r.candidates}.`);
  return r;
}

/** One DeepFool step r_i per example [n, h, w, c] (zero where `active` is 0). */
function deepFoolStep(logitsFn: LogitsFn, xi: tf.Tensor4D, candidates: tf.Tensor2D, active: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, k] = candidates.shape;
    const columns = tf.unstack(candidates, 1) as tf.Tensor1D[];
    const z = logitsFn(xi);
    const numClasses = z.shape[1];
    const zc = tf.stack(
      columns.map((c) => tf.sum(tf.mul(z, tf.oneHot(c, numClasses)), 1)),
      1,
    ); // [n, k]
    const grads = columns.map((c) => tf.reshape(logitGradient(logitsFn, xi, c), [n, -1])); // k × [n, d]
    const wRaw = tf.sub(tf.stack(grads.slice(1), 1), tf.expandDims(grads[0], 1)); // [n, k−1, d]
    // The step moves along +w'. A pixel already at 0 cannot go lower, nor one at 1 higher: drop
    // those components, so the step is the minimal one among moves that stay in the image box.
    const flat = tf.expandDims(tf.reshape(xi, [n, -1]), 1); // [n, 1, d]
    const blocked = tf.logicalOr(
      tf.logicalAnd(tf.lessEqual(flat, 0), tf.less(wRaw, 0)),
      tf.logicalAnd(tf.greaterEqual(flat, 1), tf.greater(wRaw, 0)),
    );
    const wPrime = tf.where(blocked, tf.zerosLike(wRaw), wRaw);
    const fPrime = tf.sub(tf.slice(zc, [0, 1], [n, k - 1]), tf.slice(zc, [0, 0], [n, 1])); // [n, k−1]
    const wNorm = tf.norm(wPrime, 'euclidean', 2); // [n, k−1]
    const l = tf.argMin(tf.div(tf.abs(fPrime), tf.add(wNorm, TINY)), 1);
    // tf.oneHot refuses a depth of 1: on a two-class model the one other class is always the pick.
    const pick = k === 2 ? tf.ones([n, 1]) : tf.oneHot(l, k - 1); // [n, k−1]
    const wl = tf.sum(tf.mul(wPrime, tf.expandDims(pick, 2)), 1); // [n, d]
    const fl = tf.sum(tf.mul(fPrime, pick), 1); // [n]
    const scale = tf.div(tf.abs(fl), tf.add(tf.sum(tf.square(wl), 1), TINY));
    const r = tf.mul(wl, tf.expandDims(tf.mul(scale, active), 1));
    return tf.reshape(r, xi.shape) as tf.Tensor4D;
  });
}

async function perExampleL2(t: tf.Tensor4D): Promise<Float64Array> {
  const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.reshape(t, [t.shape[0], -1])), 1)));
  const out = Float64Array.from(await norms.data());
  norms.dispose();
  return out;
}

export async function deepFool(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  o: DeepFoolOptions = {},
  task?: LongTask,
): Promise<DeepFoolResult> {
  const n = x.shape[0];
  const clean = tf.tidy(() => logitsFn(x));
  let options: Required<DeepFoolOptions>;
  try {
    options = resolve(o, clean.shape[1]);
  } catch (err) {
    clean.dispose();
    throw err;
  }
  const k = options.candidates;
  const candidates = tf.tidy(() => tf.topk(clean, k).indices as tf.Tensor2D);
  clean.dispose();
  // The first candidate is the clean prediction k̂.
  // Reads are asynchronous throughout: WebGPU's synchronous read can lose the device.
  const ranked = await candidates.data();
  const originalClass = Int32Array.from({ length: n }, (_, i) => ranked[i * k]);
  const adversarialClass = Int32Array.from(originalClass);
  const active = new Uint8Array(n).fill(1);
  const iterations = new Int32Array(n);
  let rTotal = tf.zerosLike(x);
  let xi = x.clone();
  let handedOver = false;
  try {
    for (let t = 0; t < options.maxIterations && active.some((a) => a); t++) {
      throwIfCancelled(task);
      const activeMask = tf.tensor1d(Float32Array.from(active));
      const r = deepFoolStep(logitsFn, xi, candidates, activeMask);
      const nextX = tf.tidy(
        () => tf.clipByValue(tf.add(x, tf.mul(1 + options.overshoot, tf.add(rTotal, r))), 0, 1) as tf.Tensor4D,
      );
      // Keep Σr equal to what the clipped iterate actually moved, so clipped-away components do
      // not pile up in the total and stall the next steps.
      const nextTotal = tf.tidy(() => tf.div(tf.sub(nextX, x), 1 + options.overshoot) as tf.Tensor4D);
      tf.dispose([r, rTotal, xi, activeMask]);
      rTotal = nextTotal;
      xi = nextX;
      const pred = tf.tidy(() => tf.argMax(logitsFn(xi), 1));
      const p = await pred.data();
      pred.dispose();
      for (let i = 0; i < n; i++) {
        if (!active[i]) continue;
        iterations[i]++;
        adversarialClass[i] = p[i];
        if (p[i] !== originalClass[i]) active[i] = 0;
      }
      task?.onProgress?.({ fraction: (t + 1) / options.maxIterations, message: `DeepFool iteration ${t + 1}` });
      if (task) await yieldToEventLoop();
    }
    const perturbationNorm = await perExampleL2(rTotal);
    const diff = tf.sub(xi, x) as tf.Tensor4D;
    const distance = await perExampleL2(diff);
    diff.dispose();
    const fooled = Uint8Array.from(originalClass, (c, i) => (adversarialClass[i] !== c ? 1 : 0));
    handedOver = true;
    return {
      adversarial: xi,
      originalClass,
      adversarialClass,
      perturbationNorm,
      distance,
      fooled,
      iterations,
      options,
    };
  } finally {
    if (!handedOver) xi.dispose();
    tf.dispose([rTotal, candidates]);
  }
}

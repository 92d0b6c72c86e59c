/**
 * Figures of the analysis view computed a second time, in Node, for the browser tests to compare with what the page
 * shows. The shipped CNN is read from public/ and run on tfjs' wasm backend in Node (so a page on WebGPU is compared
 * with wasm's figures); everything after the logits is computed here by hand, not by the core's metric code:
 * accuracy; FGSM accuracy (Goodfellow et al. 2015: one step of ε·sign ∇ₓ cross-entropy, clipped to [0,1]); the
 * expected calibration error (Guo et al. 2017, §2: equal-width (lo, hi] bins of the top softmax probability) and the
 * NLL that temperature scaling minimises; Lyu & Li's (2020) q_min and ρ = ‖θ‖₂ and the count of weight layers.
 * Only the split of the images into the halves that fit and report temperature scaling is the core's (an index
 * choice, not a figure).
 */
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../src/cli/nodeEnv';
import { loadMnist, readModelDir } from '../../src/cli/nodeFiles';
import type { Classifier } from '../../src/core/models/classifier';
import { DEFAULT_FIT_FRACTION, heldOutSplit } from '../../src/core/metrics/temperatureScaling';

export const SHIPPED_CNN_DIR = 'public/models/mnist-cnn';

export interface Reference {
  /** The first n test images' labels and the CNN's logits on them. */
  labels: number[];
  logits: number[][];
  /** sign ∇ₓ of the cross-entropy, one flat array per image (for FGSM at any ε). */
  gradients: Float32Array[];
  images: Float32Array[];
  classifier: Classifier;
}

let started: Promise<string> | undefined;

/** Logits and input gradients of the shipped CNN on the first `n` MNIST test images, on wasm in Node. */
export async function shippedCnnReference(n: number): Promise<Reference> {
  started ??= initNodeBackend('wasm');
  await started;
  const [classifier, test] = await Promise.all([readModelDir(SHIPPED_CNN_DIR), loadMnist('test')]);
  const size = test.height * test.width * test.channels;
  const pixels = Float32Array.from(test.images.subarray(0, n * size), (v) => v / 255);
  const labels = Array.from(test.labels.subarray(0, n));
  const x = tf.tensor4d(pixels, [n, test.height, test.width, test.channels]);
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), test.classNames.length);
  const logitsOf = (z: tf.Tensor) => classifier.model.apply(z, { training: false }) as tf.Tensor2D;
  const loss = (z: tf.Tensor) => tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logitsOf(z))))) as tf.Scalar;
  // The sign is taken by the backend, as the page's is: gradients of a saturated softmax underflow to denormals,
  // which wasm's kernels treat as 0 and JavaScript's Math.sign would not.
  const grad = tf.grad(loss)(x);
  const sign = tf.sign(grad);
  const logitsTensor = logitsOf(x);
  const logits = (await logitsTensor.array()) as number[][];
  const flatGrad = await sign.data();
  tf.dispose([x, oneHot, grad, sign, logitsTensor]);
  return {
    labels,
    logits,
    gradients: labels.map((_, i) => Float32Array.from(flatGrad.subarray(i * size, (i + 1) * size))),
    images: labels.map((_, i) => pixels.subarray(i * size, (i + 1) * size)),
    classifier,
  };
}

const argMax = (v: number[]) => v.reduce((best, x, j) => (x > v[best] ? j : best), 0);

function softmax(v: number[], temperature = 1): number[] {
  const z = v.map((x) => x / temperature);
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export function accuracyOf(r: Reference, indices = r.labels.map((_, i) => i)): number {
  return indices.filter((i) => argMax(r.logits[i]) === r.labels[i]).length / indices.length;
}

/**
 * Accuracy after FGSM at L∞ ε on the first `n` images: x' = clip(x + ε·sign(∇ₓ CE), 0, 1), classified by the model
 * on wasm.
 */
export async function fgsmAccuracy(r: Reference, eps: number, n = r.labels.length): Promise<number> {
  const size = r.images[0].length;
  const adv = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < size; k++) {
      const g = r.gradients[i][k];
      adv[i * size + k] = Math.min(1, Math.max(0, r.images[i][k] + eps * Math.sign(g)));
    }
  }
  const [h, w, c] = r.classifier.meta.inputShape;
  const x = tf.tensor4d(adv, [n, h, w, c]);
  const out = r.classifier.model.apply(x, { training: false }) as tf.Tensor2D;
  const logits = (await out.array()) as number[][];
  tf.dispose([x, out]);
  return logits.filter((l, i) => argMax(l) === r.labels[i]).length / n;
}

/** The report half of temperature scaling's split (the one the page's ECE is measured on) and the fitting half. */
export function calibrationHalves(n: number): { fit: number[]; report: number[] } {
  const { fit, report } = heldOutSplit(n, DEFAULT_FIT_FRACTION, 0);
  return { fit: Array.from(fit), report: Array.from(report) };
}

/** ECE over `indices` at temperature T: Σ_bins (count/n)·|accuracy − mean confidence|, (lo, hi] bins. */
export function expectedCalibrationError(r: Reference, indices: number[], bins: number, temperature = 1): number {
  const count = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  for (const i of indices) {
    const p = softmax(r.logits[i], temperature);
    const top = Math.max(...p);
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(top * bins) - 1));
    count[b] += 1;
    confidence[b] += top;
    if (argMax(p) === r.labels[i]) correct[b] += 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] > 0) ece += Math.abs(correct[b] - confidence[b]) / indices.length;
  }
  return ece;
}

/** Mean negative log-likelihood over `indices` at temperature T. */
export function meanNll(r: Reference, indices: number[], temperature: number): number {
  let s = 0;
  for (const i of indices) s -= Math.log(softmax(r.logits[i], temperature)[r.labels[i]]);
  return s / indices.length;
}

/** q_min = min over the first `n` images (all of them unless given) of z_y − max_{j≠y} z_j (Lyu & Li 2020's margin). */
export function smallestMargin(r: Reference, n = r.labels.length): number {
  let q = Infinity;
  r.logits.slice(0, n).forEach((z, i) => {
    const y = r.labels[i];
    const other = Math.max(...z.filter((_, j) => j !== y));
    q = Math.min(q, z[y] - other);
  });
  return q;
}

/** ρ = ‖θ‖₂ over every trainable weight, and L = the number of dense and convolutional layers. */
export async function parameterFigures(r: Reference): Promise<{ rho: number; layers: number }> {
  let s = 0;
  for (const w of r.classifier.model.trainableWeights) {
    for (const v of await w.read().data()) s += v * v;
  }
  const layers = r.classifier.model.layers.filter((l) => /^(Dense|Conv2D)$/.test(l.getClassName())).length;
  return { rho: Math.sqrt(s), layers };
}

/** What the attack lab shows for one FGSM attack, computed by hand in Node on wasm. */
export interface FgsmOnImage {
  cleanLabel: number;
  /** Top softmax probability of the clean and the adversarial image, in %. */
  cleanPercent: number;
  advLabel: number;
  advPercent: number;
  /** ‖δ‖∞ and ‖δ‖₂ of δ = x' − x. */
  linf: number;
  l2: number;
}

/** FGSM at L∞ ε against the shipped CNN on MNIST test image `index`, untargeted, on the cross-entropy of its label. */
export async function fgsmOnTestImage(index: number, eps: number): Promise<FgsmOnImage> {
  started ??= initNodeBackend('wasm');
  await started;
  const [classifier, test] = await Promise.all([readModelDir(SHIPPED_CNN_DIR), loadMnist('test')]);
  const size = test.height * test.width * test.channels;
  const pixels = Float32Array.from(test.images.subarray(index * size, (index + 1) * size), (v) => v / 255);
  const label = test.labels[index];
  const shape: [number, number, number, number] = [1, test.height, test.width, test.channels];
  const probabilitiesOf = async (values: Float32Array) => {
    const x = tf.tensor4d(values, shape);
    const p = tf.softmax(classifier.model.apply(x, { training: false }) as tf.Tensor2D);
    const out = Array.from(await p.data());
    tf.dispose([x, p]);
    return out;
  };
  const x = tf.tensor4d(pixels, shape);
  const oneHot = tf.oneHot(tf.tensor1d([label], 'int32'), test.classNames.length);
  const grad = tf.grad((z: tf.Tensor) =>
    tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(classifier.model.apply(z, { training: false }) as tf.Tensor2D)))),
  )(x);
  const sign = tf.sign(grad);
  const g = await sign.data();
  tf.dispose([x, oneHot, grad, sign]);
  const adv = pixels.map((v, k) => Math.min(1, Math.max(0, v + eps * Math.sign(g[k]))));
  let linf = 0;
  let sq = 0;
  adv.forEach((v, k) => {
    const d = v - pixels[k];
    linf = Math.max(linf, Math.abs(d));
    sq += d * d;
  });
  const clean = await probabilitiesOf(pixels);
  const attacked = await probabilitiesOf(adv);
  classifier.model.dispose();
  return {
    cleanLabel: argMax(clean),
    cleanPercent: 100 * Math.max(...clean),
    advLabel: argMax(attacked),
    advPercent: 100 * Math.max(...attacked),
    linf,
    l2: Math.sqrt(sq),
  };
}

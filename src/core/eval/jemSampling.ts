/**
 * Drawing samples from a classifier read as an energy model (Grathwohl et al., ICLR 2020, §3, §5.1): chains of SGLD
 * (Welling & Teh 2011) on E(x) = −logsumexp f(x), or on −f(x)[y] for class y, started from uniform noise, from a
 * picture or from given starts. Also the grid the samples are shown in (one row per class) and the share of samples
 * a classifier assigns to the class they were drawn for — with a second, independently trained model as the judge,
 * that share says whether the samples look like the class to someone else, not only to the model that drew them.
 */
import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../models/classifier';
import { energyOf } from '../metrics/energyGradient';
import { runSgld, type SgldConfig } from '../train/jem/sgld';
import { InvalidOptionError } from '../util/errors';
import { mulberry32 } from '../util/random';

export interface SamplingResult {
  /** n × h·w·c values in the data range. */
  samples: Float32Array;
  /** The class each chain was drawn for (null: unconditional). */
  classes: number[] | null;
  /** E(x) = −logsumexp f(x) of each chain's start and end. */
  energyStart: Float32Array;
  energyEnd: Float32Array;
  /** The sampling model's own argmax on each sample. */
  predicted: Int32Array;
}

/** n uniform-noise starts on [lo, hi], seeded. */
export function uniformStarts(n: number, size: number, seed: number, range: [number, number] = [0, 1]): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n * size);
  for (let i = 0; i < out.length; i++) out[i] = range[0] + (range[1] - range[0]) * rand();
  return out;
}

/** The same picture as the start of n chains. */
export function repeatedStarts(picture: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * picture.length);
  for (let i = 0; i < n; i++) out.set(picture, i * picture.length);
  return out;
}

/** Classes of n chains: `all` gives n/k per class in class order (rows of the grid), a number gives n of it. */
export function chainClasses(which: 'all' | number | null, n: number, numClasses: number): number[] | null {
  if (which === null) return null;
  if (which === 'all') {
    if (n % numClasses !== 0) throw new InvalidOptionError(`--n must be a multiple of ${numClasses} with --class all.`);
    return Array.from({ length: n }, (_, i) => Math.floor(i / (n / numClasses)));
  }
  if (!Number.isInteger(which) || which < 0 || which >= numClasses)
    throw new InvalidOptionError(`The class must be a whole number from 0 to ${numClasses - 1}.`);
  return new Array<number>(n).fill(which);
}

/** Runs the chains in batches; `onProgress(done)` after each batch. */
export async function drawSamples(
  clf: Classifier,
  o: { starts: Float32Array; classes: number[] | null; sgld: SgldConfig; seed: number; batchSize?: number },
  onProgress?: (done: number, total: number) => void,
): Promise<SamplingResult> {
  const [h, w, c] = clf.meta.inputShape;
  const size = h * w * c;
  const n = o.starts.length / size;
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError('The starts must be whole images.');
  const batch = o.batchSize ?? 100;
  const samples = new Float32Array(n * size);
  const energyStart = new Float32Array(n);
  const energyEnd = new Float32Array(n);
  const predicted = new Int32Array(n);
  for (let s = 0; s < n; s += batch) {
    const e = Math.min(n, s + batch);
    const x0 = tf.tensor4d(o.starts.subarray(s * size, e * size), [e - s, h, w, c]);
    const classes = o.classes ? tf.tensor1d(o.classes.slice(s, e), 'int32') : undefined;
    const x = runSgld(clf.logits, x0, o.sgld, o.seed + s, classes);
    const [start, end, argmax] = tf.tidy(() => {
      const z = clf.logits(x);
      return [energyOf(clf.logits(x0)), energyOf(z), tf.argMax(z, 1)];
    });
    samples.set((await x.data()) as Float32Array, s * size);
    energyStart.set((await start.data()) as Float32Array, s);
    energyEnd.set((await end.data()) as Float32Array, s);
    predicted.set((await argmax.data()) as Int32Array, s);
    tf.dispose([x0, classes, x, start, end, argmax].filter((t) => t !== undefined));
    onProgress?.(e, n);
  }
  return { samples, classes: o.classes, energyStart, energyEnd, predicted };
}

/** Share of samples whose predicted class is the one they were drawn for, overall and per class. */
export function classAgreement(
  predicted: ArrayLike<number>,
  classes: number[],
  numClasses: number,
): { agreement: number; perClass: (number | null)[] } {
  const hits = new Array<number>(numClasses).fill(0);
  const counts = new Array<number>(numClasses).fill(0);
  let total = 0;
  for (let i = 0; i < classes.length; i++) {
    counts[classes[i]]++;
    if (predicted[i] === classes[i]) {
      hits[classes[i]]++;
      total++;
    }
  }
  return { agreement: total / classes.length, perClass: counts.map((c, k) => (c > 0 ? hits[k] / c : null)) };
}

/** Lays n images out as rows of `columns`, with a 1-pixel grey gap; h·w·c values each. */
export function imageGrid(
  images: Float32Array,
  shape: [number, number, number],
  columns: number,
): { pixels: Float32Array; width: number; height: number } {
  const [h, w, c] = shape;
  const n = images.length / (h * w * c);
  const rows = Math.ceil(n / columns);
  const width = columns * (w + 1) + 1;
  const height = rows * (h + 1) + 1;
  const pixels = new Float32Array(width * height * c).fill(0.5);
  for (let i = 0; i < n; i++) {
    const top = 1 + Math.floor(i / columns) * (h + 1);
    const left = 1 + (i % columns) * (w + 1);
    for (let r = 0; r < h; r++) {
      const from = (i * h * w + r * w) * c;
      pixels.set(images.subarray(from, from + w * c), ((top + r) * width + left) * c);
    }
  }
  return { pixels, width, height };
}

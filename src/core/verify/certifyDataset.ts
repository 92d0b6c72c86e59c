/**
 * Certified accuracy over a data set: the fraction of images that are classified correctly and provably stay
 * so, at each L∞ radius ε (IBP, Gowal et al. 2018; CROWN, Zhang et al. 2018) or each L2 radius r (randomized
 * smoothing, Cohen et al. 2019, who count an image at r when CERTIFY returns its label with radius ≥ r; an
 * abstention counts as wrong). Per image: the label, the prediction and the largest certified radius (L∞ by
 * bisection for IBP/CROWN, L2 from CERTIFY for smoothing). The function the command line's `certify` and the
 * worker call: options validated here, batches with progress and cancel, asynchronous reads.
 *
 * The radius certified for an image is the radius of its prediction, right or wrong (a wrongly classified
 * image can be "robustly wrong"); certified accuracy counts only correct ones. `cleanAccuracy` is the base
 * model's accuracy on the clean images, for every method.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range, type ImageDataset } from '../data/dataset';
import type { Classifier } from '../models/classifier';
import { InvalidOptionError } from '../util/errors';
import { throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { BOUND_METHODS, certifiedAt, certifiedRadii, type BoundMethod, type RadiusOptions } from './certifiedRadius';
import { crownChain } from './crown';
import { checkIbpSupport } from './ibp';
import {
  mixSeed,
  resolveSmoothingOptions,
  smoothedCertify,
  type ResolvedSmoothingOptions,
  type SmoothingOptions,
} from './smoothing/smoothedClassifier';

export const CERTIFY_METHODS = [...BOUND_METHODS, 'smoothing'] as const;
export type CertifyMethod = (typeof CERTIFY_METHODS)[number];

export interface BoundCertifyOptions {
  method: BoundMethod;
  /** L∞ radii in [0, 1] pixel units. */
  eps: number[];
  /** Images per bound computation (default 128 for IBP, 16 for CROWN). */
  batchSize?: number;
  /** The per-image radius by bisection (default on; false skips it and reports null radii). */
  radius?: RadiusOptions | false;
}

export interface SmoothingCertifyOptions extends SmoothingOptions {
  method: 'smoothing';
  /** L2 radii at which to report certified accuracy. */
  radii: number[];
}

export type CertifyOptions = BoundCertifyOptions | SmoothingCertifyOptions;

export interface ImageCertificate {
  index: number;
  label: number;
  /** The model's (IBP/CROWN) or the smoothed classifier's prediction; null when smoothing abstains. */
  prediction: number | null;
  /** The largest certified radius (L∞ for IBP/CROWN, L2 for smoothing); null when not computed or abstained. */
  certifiedRadius: number | null;
  /** Smoothing only: the lower confidence bound on the top class's probability. */
  pALower?: number;
}

interface CertifyCommon {
  n: number;
  cleanAccuracy: number;
  images: ImageCertificate[];
  seconds: number;
}

export interface BoundCertifyResult extends CertifyCommon {
  method: BoundMethod;
  results: { eps: number; certifiedAccuracy: number }[];
}

export interface SmoothingCertifyResult extends CertifyCommon {
  method: 'smoothing';
  results: { radius: number; certifiedAccuracy: number }[];
  /** What ran, defaults filled in. */
  smoothing: ResolvedSmoothingOptions;
}

export type CertifyResult = BoundCertifyResult | SmoothingCertifyResult;

function checkRadii(values: unknown, what: string, max: number): number[] {
  if (!Array.isArray(values) || values.length === 0 || values.length > 100) {
    throw new InvalidOptionError(`Give 1 to 100 ${what} values.`);
  }
  for (const v of values) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max)) {
      throw new InvalidOptionError(`Each ${what} must be a number from 0 to ${max}, got ${String(v)}.`);
    }
  }
  return values;
}

/** The method's refusal, before any work, when the model has a layer it cannot bound. */
export function checkCertifiable(model: tf.LayersModel, method: CertifyMethod): void {
  if (method === 'ibp') checkIbpSupport(model);
  else if (method === 'crown') crownChain(model);
}

/** Certified accuracy of `clf` on `ds` under the method, with per-image certificates. */
export async function certifyDataset(
  clf: Classifier,
  ds: ImageDataset,
  options: CertifyOptions,
  task?: LongTask,
): Promise<CertifyResult> {
  if (!(CERTIFY_METHODS as readonly string[]).includes(options?.method)) {
    throw new InvalidOptionError(`Unknown certification method "${options?.method}". Choose ibp, crown or smoothing.`);
  }
  checkCertifiable(clf.model, options.method);
  return options.method === 'smoothing'
    ? certifySmoothing(clf, ds, options, task)
    : certifyBounds(clf, ds, options, task);
}

async function predictions(clf: Classifier, x: tf.Tensor4D): Promise<Int32Array> {
  const p = tf.tidy(() => tf.argMax(clf.logits(x), 1));
  try {
    return Int32Array.from(await p.data());
  } finally {
    p.dispose();
  }
}

async function certifyBounds(
  clf: Classifier,
  ds: ImageDataset,
  options: BoundCertifyOptions,
  task?: LongTask,
): Promise<BoundCertifyResult> {
  const eps = checkRadii(options.eps, 'ε', 1);
  const batchSize = options.batchSize ?? (options.method === 'ibp' ? 128 : 16);
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 4096)) {
    throw new InvalidOptionError(`The batch size must be a whole number from 1 to 4096, got ${batchSize}.`);
  }
  const started = performance.now();
  const certified = new Array<number>(eps.length).fill(0);
  const images: ImageCertificate[] = [];
  let correct = 0;
  for (let start = 0; start < ds.count; start += batchSize) {
    throwIfCancelled(task);
    const end = Math.min(ds.count, start + batchSize);
    const { x, y } = batchTensors(ds, range(start, end));
    const pred = tf.tensor1d(await predictions(clf, x), 'int32');
    try {
      const predicted = await pred.data();
      const labels = await y.data();
      const right = (i: number) => predicted[i] === labels[i];
      for (let i = 0; i < end - start; i++) if (right(i)) correct++;
      for (const [k, e] of eps.entries()) {
        throwIfCancelled(task);
        const ok = await certifiedAt(clf.model, x, pred, e, options.method);
        for (let i = 0; i < ok.length; i++) if (ok[i] && right(i)) certified[k]++;
      }
      const radii =
        options.radius === false
          ? null
          : await certifiedRadii(clf.model, x, pred, options.method, options.radius ?? {}, {
              isCancelled: task?.isCancelled,
            });
      for (let i = 0; i < end - start; i++) {
        images.push({
          index: start + i,
          label: labels[i],
          prediction: predicted[i],
          certifiedRadius: radii ? radii[i] : null,
        });
      }
    } finally {
      tf.dispose([x, y, pred]);
    }
    task?.onProgress?.({ fraction: end / ds.count, message: `${options.method}: ${end}/${ds.count} images` });
    await yieldToEventLoop();
  }
  const n = ds.count;
  return {
    method: options.method,
    n,
    cleanAccuracy: n ? correct / n : 0,
    results: eps.map((e, k) => ({ eps: e, certifiedAccuracy: n ? certified[k] / n : 0 })),
    images,
    seconds: (performance.now() - started) / 1000,
  };
}

async function certifySmoothing(
  clf: Classifier,
  ds: ImageDataset,
  options: SmoothingCertifyOptions,
  task?: LongTask,
): Promise<SmoothingCertifyResult> {
  const radii = checkRadii(options.radii, 'radius', 1000);
  const smoothing = resolveSmoothingOptions(options);
  const numClasses = clf.meta.classNames.length;
  const started = performance.now();
  const images: ImageCertificate[] = [];
  let correct = 0;
  for (let index = 0; index < ds.count; index++) {
    throwIfCancelled(task);
    const { x, y } = batchTensors(ds, [index]);
    try {
      const label = (await y.data())[0];
      if ((await predictions(clf, x))[0] === label) correct++;
      const cert = await smoothedCertify(
        clf.logits,
        x,
        numClasses,
        { ...smoothing, seed: mixSeed(smoothing.seed, index) },
        {
          isCancelled: task?.isCancelled,
          onProgress: (p) =>
            task?.onProgress?.({
              fraction: (index + p.fraction) / ds.count,
              message: `smoothing: image ${index + 1}/${ds.count}, ${p.message}`,
            }),
        },
      );
      images.push({
        index,
        label,
        prediction: cert.prediction,
        certifiedRadius: cert.radius,
        pALower: cert.pALower,
      });
    } finally {
      tf.dispose([x, y]);
    }
  }
  const n = ds.count;
  const certifiedAt = (r: number) =>
    images.filter((im) => im.prediction === im.label && im.certifiedRadius !== null && im.certifiedRadius >= r).length;
  return {
    method: 'smoothing',
    n,
    cleanAccuracy: n ? correct / n : 0,
    results: radii.map((r) => ({ radius: r, certifiedAccuracy: n ? certifiedAt(r) / n : 0 })),
    images,
    smoothing,
    seconds: (performance.now() - started) / 1000,
  };
}

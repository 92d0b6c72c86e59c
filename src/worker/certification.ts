/**
 * The worker side of certification: the verification core (src/core/verify) over the analysis view's models,
 * and over the attack lab's one picture, each beside what the attacks find on the same images.
 *
 * A method a model has a layer for that it cannot bound (CROWN on a max-pool or a GroupNorm) reports the core's
 * one sentence in place of its curve; the other methods still run. A certified image can never be broken by an
 * attack (both are computed on the same images), so the certified curve stays under the empirical one.
 */
import * as tf from '@tensorflow/tfjs';
import { takeFirst, type ImageDataset } from '../core/data/dataset';
import { deepFool } from '../core/attacks/deepfool';
import { pgdMinimalLinfDistance } from '../core/eval/minimalDistance';
import { robustnessSweep } from '../core/eval/robustnessSweep';
import type { Classifier } from '../core/models/classifier';
import { trainingNoiseSigma } from '../core/models/trainingNoise';
import { chunkSizeFor, withMemoryErrors } from '../core/util/memoryBudget';
import { InvalidOptionError, UnsupportedLayerError } from '../core/util/errors';
import { partOf, phases, type LongTask } from '../core/util/progress';
import { certifiedRadii } from '../core/verify/certifiedRadius';
import { certifyDataset } from '../core/verify/certifyDataset';
import { smoothedCertify } from '../core/verify/smoothing/smoothedClassifier';
import { checkDataset, loadAll } from './analysis';
import type {
  BoundMethodName,
  CertifiedCurve,
  CertifyApi,
  CertifyModelsRequest,
  CertifyModelsResult,
  ModelCertification,
  PictureCertificate,
  PictureCertifyRequest,
  RadiusOrError,
  SmoothingCurve,
  SmoothingSettings,
} from './api';
import type { WorkerState } from './workerState';

/** Noisy copies per forward pass at most; lowered to fit the memory budget. */
const SMOOTHING_BATCH = 1000;
/** The largest L∞ ε the picture's PGD bisection tries: on MNIST every image can be greyed out beyond it. */
const PICTURE_PGD_MAX = 0.5;

export function certifyApi(state: WorkerState): CertifyApi {
  return {
    async certifyModels(req, onProgress) {
      return certifyModels(req, state.requireTestSet(), state.startTask(onProgress));
    },
    async certifyPicture(req, onProgress) {
      const task = state.startTask(onProgress);
      const clf = state.requireModel();
      const x = state.imageTensor(req.image);
      try {
        return await certifyPicture(clf, x, req, task);
      } finally {
        x.dispose();
      }
    },
  };
}

function checkWhole(value: number, what: string, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max))
    throw new InvalidOptionError(`${what} must be a whole number from ${min} to ${max}, got ${value}.`);
}

/** The σ smoothing runs at: the model's training σ unless one is chosen. */
export function smoothingSigma(
  clf: Classifier,
  s: SmoothingSettings,
): { sigma: number; sigmaFrom: 'model' | 'chosen' } {
  if (s.sigma !== null) return { sigma: s.sigma, sigmaFrom: 'chosen' };
  const trained = trainingNoiseSigma(clf.meta);
  return trained !== null ? { sigma: trained, sigmaFrom: 'model' } : { sigma: s.fallbackSigma, sigmaFrom: 'chosen' };
}

/** Noisy copies per forward pass within the memory budget (measured once per model). */
async function smoothingBatch(clf: Classifier): Promise<number> {
  const [h, w, c] = clf.meta.inputShape;
  return chunkSizeFor(SMOOTHING_BATCH, (m) => tf.tidy(() => clf.logits(tf.zeros([m, h, w, c]) as tf.Tensor4D)), {
    cache: { key: clf.model, kind: 'forward' },
  });
}

/** The core's refusal as the method's one sentence; any other failure (cancel, memory) goes on up. */
async function orRefusal<T>(work: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UnsupportedLayerError) return { error: err.message };
    throw err;
  }
}

export async function certifyModels(
  req: CertifyModelsRequest,
  test: ImageDataset,
  task: LongTask,
): Promise<CertifyModelsResult> {
  const started = performance.now();
  checkWhole(req.images, 'The number of test images', 1, test.count);
  checkWhole(req.pgd.steps, 'PGD steps', 1, 1000);
  checkWhole(req.pgd.restarts, 'PGD restarts', 1, 20);
  if (req.smoothing) checkWhole(req.smoothing.images, 'The number of smoothing images', 1, test.count);
  const data = takeFirst(test, req.images);
  const loaded = await loadAll(req.models);
  try {
    const models: ModelCertification[] = [];
    for (const [k, { name, classifier }] of loaded.entries()) {
      checkDataset(classifier, name, test);
      models.push(await certifyOne(name, classifier, req, data, test, partOf(task, k, loaded.length, name)));
    }
    return { models, pgd: req.pgd, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const m of loaded) m.classifier.model.dispose();
  }
}

async function certifyOne(
  name: string,
  clf: Classifier,
  req: CertifyModelsRequest,
  data: ImageDataset,
  test: ImageDataset,
  task: LongTask,
): Promise<ModelCertification> {
  const phase = phases(task, {
    ibp: req.methods.includes('ibp') ? 1 : 0,
    crown: req.methods.includes('crown') ? 4 : 0,
    pgd: 4,
    smoothing: req.smoothing ? 6 : 0,
  });
  const certified: CertifiedCurve[] = [];
  for (const method of (['ibp', 'crown'] as const).filter((m) => req.methods.includes(m))) {
    const outcome = await orRefusal(() =>
      withMemoryErrors(`${method.toUpperCase()} certification`, data.count, () =>
        certifyDataset(clf, data, { method, eps: req.eps, radius: false }, phase(method, method.toUpperCase())),
      ),
    );
    certified.push(
      'error' in outcome
        ? { method, error: outcome.error }
        : {
            method,
            points: outcome.method === 'smoothing' ? [] : outcome.results,
            seconds: outcome.seconds,
          },
    );
  }
  const attacked = req.eps.filter((e) => e > 0);
  const sweep = await robustnessSweep(
    {
      models: [{ name, classifier: clf }],
      attacks: [{ name: 'pgd', norm: 'linf', steps: req.pgd.steps, restarts: req.pgd.restarts }],
      eps: attacked.length > 0 ? attacked : [req.eps[0]],
      seeds: [1],
      data,
    },
    phase('pgd', `PGD-${req.pgd.steps}`),
  );
  const cleanAccuracy = sweep.clean[0]?.accuracy ?? 0;
  const empirical = req.eps.map((eps) => ({
    eps,
    accuracy: eps > 0 ? (sweep.summary.find((s) => s.eps === eps)?.mean ?? Number.NaN) : cleanAccuracy,
  }));
  const smoothing = req.smoothing
    ? await smoothingCurve(clf, req.smoothing, takeFirst(test, req.smoothing.images), phase('smoothing'))
    : null;
  return { name, n: data.count, cleanAccuracy, certified, empirical, smoothing };
}

async function smoothingCurve(
  clf: Classifier,
  s: NonNullable<CertifyModelsRequest['smoothing']>,
  data: ImageDataset,
  task: LongTask,
): Promise<SmoothingCurve> {
  const { sigma, sigmaFrom } = smoothingSigma(clf, s);
  const batchSize = await smoothingBatch(clf);
  const result = await certifyDataset(
    clf,
    data,
    { method: 'smoothing', sigma, n0: s.n0, n: s.n, alpha: s.alpha, radii: s.radii, batchSize },
    task,
  );
  if (result.method !== 'smoothing') throw new Error('smoothing returned another method');
  return {
    sigma,
    sigmaFrom,
    n: result.n,
    points: result.results,
    abstained: result.images.filter((im) => im.prediction === null).length,
    cleanAccuracy: result.cleanAccuracy,
    seconds: result.seconds,
  };
}

async function radiusBy(
  clf: Classifier,
  x: tf.Tensor4D,
  label: number,
  method: BoundMethodName,
  task: LongTask,
): Promise<RadiusOrError> {
  const classes = tf.tensor1d([label], 'int32');
  try {
    return await orRefusal(async () => ({
      radius: (await certifiedRadii(clf.model, x, classes, method, {}, task))[0],
    }));
  } finally {
    classes.dispose();
  }
}

/** Certified radii of one picture [1, h, w, c] for `req.label`, and the smallest perturbations the attacks found. */
export async function certifyPicture(
  clf: Classifier,
  x: tf.Tensor4D,
  req: PictureCertifyRequest,
  task: LongTask,
): Promise<PictureCertificate> {
  const started = performance.now();
  const numClasses = clf.meta.classNames.length;
  checkWhole(req.label, 'The label', 0, numClasses - 1);
  const phase = phases(task, { ibp: 1, crown: 3, pgd: 4, deepfool: 1, smoothing: 6 });
  const predicted = tf.tidy(() => tf.argMax(clf.logits(x), 1));
  const prediction = (await predicted.data())[0];
  predicted.dispose();
  const ibp = await radiusBy(clf, x, req.label, 'ibp', phase('ibp', 'IBP bisection'));
  const crown = await radiusBy(clf, x, req.label, 'crown', phase('crown', 'CROWN bisection'));
  const y = tf.tensor1d([req.label], 'int32');
  let attackLinf: PictureCertificate['attackLinf'];
  try {
    const found = await pgdMinimalLinfDistance(
      clf.logits,
      x,
      y,
      { steps: req.pgd.steps, restarts: req.pgd.restarts, epsMax: PICTURE_PGD_MAX },
      phase('pgd', `PGD-${req.pgd.steps} bisection`),
    );
    const upper = found.upper[0];
    attackLinf = {
      eps: Number.isFinite(upper) ? upper : null,
      lastFailed: found.lower[0],
      max: PICTURE_PGD_MAX,
      steps: req.pgd.steps,
      restarts: req.pgd.restarts,
    };
  } finally {
    y.dispose();
  }
  // DeepFool moves away from the model's own class: a picture it already gets wrong is at distance 0.
  let attackL2: number | null = 0;
  if (prediction === req.label) {
    phase('deepfool', 'DeepFool').onProgress?.({ fraction: 0, message: 'L2' });
    const df = await deepFool(clf.logits, x);
    attackL2 = df.fooled[0] ? df.distance[0] : null;
    df.adversarial.dispose();
  }
  const smoothing = await orRefusal(async () => {
    const { sigma, sigmaFrom } = smoothingSigma(clf, req.smoothing);
    const cert = await smoothedCertify(
      clf.logits,
      x,
      numClasses,
      {
        sigma,
        n0: req.smoothing.n0,
        n: req.smoothing.n,
        alpha: req.smoothing.alpha,
        batchSize: await smoothingBatch(clf),
      },
      phase('smoothing', `smoothing σ = ${sigma}`),
    );
    return {
      sigma,
      sigmaFrom,
      n: req.smoothing.n,
      alpha: req.smoothing.alpha,
      prediction: cert.prediction,
      radius: cert.radius,
      pALower: cert.pALower,
    };
  });
  return {
    label: req.label,
    prediction,
    ibp,
    crown,
    attackLinf,
    attackL2,
    smoothing,
    seconds: (performance.now() - started) / 1000,
  };
}

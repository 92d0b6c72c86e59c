/**
 * "Certify this image": one picture's certified radii beside the smallest perturbations attacks found — proof ≤
 * truth ≤ attack. IBP (Gowal et al. 2018) and CROWN (Zhang et al. 2018) give the largest certified L∞ radius by
 * bisection; PGD (Madry et al. 2018) bisection gives the smallest L∞ ε at which an adversarial example was found;
 * DeepFool (Moosavi-Dezfooli et al. 2016) an L2 distance; randomized smoothing (Cohen et al. 2019) a certified L2
 * radius with probability 1 − α, or an abstention. The worker and the CLI call this and only adapt it.
 */
import * as tf from '@tensorflow/tfjs';
import { deepFool } from '../attacks/deepfool';
import { pgdMinimalLinfDistance } from '../eval/minimalDistance';
import type { Classifier } from '../models/classifier';
import { InvalidOptionError } from '../util/errors';
import { phases, type LongTask } from '../util/progress';
import { certifiedRadii } from './certifiedRadius';
import { orRefusal } from './refusal';
import { smoothedCertify } from './smoothing/smoothedClassifier';
import { smoothingBatch, smoothingSigma, type SmoothingSettings } from './smoothing/smoothingSettings';

/** The largest L∞ ε the picture's PGD bisection tries: on MNIST every image can be greyed out beyond it. */
export const PICTURE_PGD_MAX = 0.5;

export type BoundMethodName = 'ibp' | 'crown';

export interface PictureCertifySpec {
  /** The true label, or the model's clean prediction for a picture without one. */
  label: number;
  smoothing: SmoothingSettings;
  /** PGD steps and restarts per bisection probe. */
  pgd: { steps: number; restarts: number };
}

/** A certified radius, or why the method could not bound this model. */
export type RadiusOrError = { radius: number } | { error: string };

export interface PictureCertificate {
  label: number;
  prediction: number;
  /** Largest certified L∞ radius (bisection; 0 when not even the clean point is certified for the label). */
  ibp: RadiusOrError;
  crown: RadiusOrError;
  /** Smallest L∞ ε at which PGD found an adversarial example (0: already wrong); null: none up to `max`. */
  attackLinf: { eps: number | null; lastFailed: number; max: number; steps: number; restarts: number };
  /** L2 norm of DeepFool's adversarial perturbation; null when DeepFool did not change the class. */
  attackL2: number | null;
  smoothing:
    | {
        sigma: number;
        sigmaFrom: 'model' | 'chosen';
        n: number;
        alpha: number;
        /** null: CERTIFY abstains. */
        prediction: number | null;
        radius: number | null;
        pALower: number;
      }
    | { error: string };
  seconds: number;
}

export function checkWhole(value: number, what: string, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max))
    throw new InvalidOptionError(`${what} must be a whole number from ${min} to ${max}, got ${value}.`);
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

async function attackLinfDistance(
  clf: Classifier,
  x: tf.Tensor4D,
  label: number,
  pgd: PictureCertifySpec['pgd'],
  task: LongTask,
): Promise<PictureCertificate['attackLinf']> {
  const y = tf.tensor1d([label], 'int32');
  try {
    const found = await pgdMinimalLinfDistance(
      clf.logits,
      x,
      y,
      { steps: pgd.steps, restarts: pgd.restarts, epsMax: PICTURE_PGD_MAX },
      task,
    );
    const upper = found.upper[0];
    return {
      eps: Number.isFinite(upper) ? upper : null,
      lastFailed: found.lower[0],
      max: PICTURE_PGD_MAX,
      steps: pgd.steps,
      restarts: pgd.restarts,
    };
  } finally {
    y.dispose();
  }
}

async function smoothedRadius(
  clf: Classifier,
  x: tf.Tensor4D,
  s: SmoothingSettings,
  task: LongTask,
): Promise<PictureCertificate['smoothing']> {
  return orRefusal(async () => {
    const { sigma, sigmaFrom } = smoothingSigma(clf, s);
    const numClasses = clf.meta.classNames.length;
    const options = { sigma, n0: s.n0, n: s.n, alpha: s.alpha, batchSize: await smoothingBatch(clf) };
    const cert = await smoothedCertify(clf.logits, x, numClasses, options, task);
    const { prediction, radius, pALower } = cert;
    return { sigma, sigmaFrom, n: s.n, alpha: s.alpha, prediction, radius, pALower };
  });
}

/** Certified radii of one picture [1, h, w, c] for `spec.label`, and the smallest perturbations the attacks found. */
export async function certifyPicture(
  clf: Classifier,
  x: tf.Tensor4D,
  spec: PictureCertifySpec,
  task: LongTask,
): Promise<PictureCertificate> {
  const started = performance.now();
  checkWhole(spec.label, 'The label', 0, clf.meta.classNames.length - 1);
  const phase = phases(task, { ibp: 1, crown: 3, pgd: 4, deepfool: 1, smoothing: 6 });
  const predicted = tf.tidy(() => tf.argMax(clf.logits(x), 1));
  const prediction = (await predicted.data())[0];
  predicted.dispose();
  const ibp = await radiusBy(clf, x, spec.label, 'ibp', phase('ibp', 'IBP bisection'));
  const crown = await radiusBy(clf, x, spec.label, 'crown', phase('crown', 'CROWN bisection'));
  const attackLinf = await attackLinfDistance(
    clf,
    x,
    spec.label,
    spec.pgd,
    phase('pgd', `PGD-${spec.pgd.steps} bisection`),
  );
  // DeepFool moves away from the model's own class: a picture it already gets wrong is at distance 0.
  let attackL2: number | null = 0;
  if (prediction === spec.label) {
    phase('deepfool', 'DeepFool').onProgress?.({ fraction: 0, message: 'L2' });
    const df = await deepFool(clf.logits, x);
    attackL2 = df.fooled[0] ? df.distance[0] : null;
    df.adversarial.dispose();
  }
  const sigmaNote = `smoothing σ = ${smoothingSigma(clf, spec.smoothing).sigma}`;
  const smoothing = await smoothedRadius(clf, x, spec.smoothing, phase('smoothing', sigmaNote));
  const seconds = (performance.now() - started) / 1000;
  return { label: spec.label, prediction, ibp, crown, attackLinf, attackL2, smoothing, seconds };
}

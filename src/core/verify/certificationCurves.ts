/**
 * One model's certified accuracy against ε beside its accuracy under attack, on the same first N test images: IBP
 * (Gowal et al. 2018) and CROWN (Zhang et al. 2018) lower bounds under the PGD (Madry et al. 2018) upper bound, and
 * randomized smoothing's certified accuracy against the L2 radius (Cohen et al. 2019). A certified image can never be
 * broken by the attack (both run on the same images), so the certified curve stays under the empirical one. The
 * analysis view (through the worker) calls this per model; the worker only loads the models and reports progress.
 */
import { takeFirst, type ImageDataset } from '../data/dataset';
import { robustnessSweep } from '../eval/robustnessSweep';
import type { Classifier } from '../models/classifier';
import { withMemoryErrors } from '../util/memoryBudget';
import { phases, type LongTask } from '../util/progress';
import { certifyDataset } from './certifyDataset';
import { checkWhole, type BoundMethodName } from './pictureCertificate';
import { orRefusal } from './refusal';
import { smoothingBatch, smoothingSigma, type SmoothingSettings } from './smoothing/smoothingSettings';

/** PGD restarts and steps for the empirical curve: at most these (a sweep beyond is a benchmark, not a check). */
const MAX_PGD_STEPS = 1000;
const MAX_PGD_RESTARTS = 20;

export interface CertificationCurvesSpec {
  /** The first N test images, for the L∞ curves. */
  images: number;
  /** L∞ radii (pixels in [0,1]). */
  eps: number[];
  methods: BoundMethodName[];
  /** The empirical curve: L∞ PGD with these steps and restarts at every ε. */
  pgd: { steps: number; restarts: number };
  /** Randomized smoothing on the first `images` test images at these L2 radii; none when absent. */
  smoothing?: SmoothingSettings & { images: number; radii: number[] };
}

/** One method's curve, or the one sentence saying why it could not run on this model. */
export type CertifiedCurve =
  | { method: BoundMethodName; points: { eps: number; certifiedAccuracy: number }[]; seconds: number }
  | { method: BoundMethodName; error: string };

export type SmoothingCurve =
  | {
      sigma: number;
      /** Whether σ came from the model's noise training or is the chosen fallback. */
      sigmaFrom: 'model' | 'chosen';
      n: number;
      points: { radius: number; certifiedAccuracy: number }[];
      /** Images on which CERTIFY abstained (p̲_A ≤ ½). */
      abstained: number;
      cleanAccuracy: number;
      seconds: number;
    }
  | { error: string };

export interface ModelCertification {
  name: string;
  n: number;
  cleanAccuracy: number;
  certified: CertifiedCurve[];
  /** Accuracy under PGD at each ε (ε = 0: clean accuracy), on the same images. */
  empirical: { eps: number; accuracy: number }[];
  smoothing: SmoothingCurve | null;
}

/** Refuses counts outside what the test set and a reasonable attack allow, before any work. */
export function checkCertificationSpec(spec: CertificationCurvesSpec, test: ImageDataset): void {
  checkWhole(spec.images, 'The number of test images', 1, test.count);
  checkWhole(spec.pgd.steps, 'PGD steps', 1, MAX_PGD_STEPS);
  checkWhole(spec.pgd.restarts, 'PGD restarts', 1, MAX_PGD_RESTARTS);
  if (spec.smoothing) checkWhole(spec.smoothing.images, 'The number of smoothing images', 1, test.count);
}

async function boundCurves(
  clf: Classifier,
  spec: CertificationCurvesSpec,
  data: ImageDataset,
  phase: (name: BoundMethodName, label?: string) => LongTask,
): Promise<CertifiedCurve[]> {
  const certified: CertifiedCurve[] = [];
  for (const method of (['ibp', 'crown'] as const).filter((m) => spec.methods.includes(m))) {
    const label = method.toUpperCase();
    const outcome = await orRefusal(() =>
      withMemoryErrors(`${label} certification`, data.count, () =>
        certifyDataset(clf, data, { method, eps: spec.eps, radius: false }, phase(method, label)),
      ),
    );
    if ('error' in outcome) certified.push({ method, error: outcome.error });
    else {
      const points = outcome.method === 'smoothing' ? [] : outcome.results;
      certified.push({ method, points, seconds: outcome.seconds });
    }
  }
  return certified;
}

async function empiricalCurve(
  name: string,
  clf: Classifier,
  spec: CertificationCurvesSpec,
  data: ImageDataset,
  task: LongTask,
): Promise<{ cleanAccuracy: number; empirical: ModelCertification['empirical'] }> {
  const attacked = spec.eps.filter((e) => e > 0);
  const sweep = await robustnessSweep(
    {
      models: [{ name, classifier: clf }],
      attacks: [{ name: 'pgd', norm: 'linf', steps: spec.pgd.steps, restarts: spec.pgd.restarts }],
      eps: attacked.length > 0 ? attacked : [spec.eps[0]],
      seeds: [1],
      data,
    },
    task,
  );
  const cleanAccuracy = sweep.clean[0]?.accuracy ?? 0;
  const empirical = spec.eps.map((eps) => ({
    eps,
    accuracy: eps > 0 ? (sweep.summary.find((s) => s.eps === eps)?.mean ?? Number.NaN) : cleanAccuracy,
  }));
  return { cleanAccuracy, empirical };
}

async function smoothingCurve(
  clf: Classifier,
  s: NonNullable<CertificationCurvesSpec['smoothing']>,
  data: ImageDataset,
  task: LongTask,
): Promise<SmoothingCurve> {
  const { sigma, sigmaFrom } = smoothingSigma(clf, s);
  const batchSize = await smoothingBatch(clf);
  const options = { method: 'smoothing' as const, sigma, n0: s.n0, n: s.n, alpha: s.alpha, radii: s.radii, batchSize };
  const result = await certifyDataset(clf, data, options, task);
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

/** The certified and empirical curves of one model on the first `spec.images` images of `test`. */
export async function certificationCurves(
  name: string,
  clf: Classifier,
  spec: CertificationCurvesSpec,
  test: ImageDataset,
  task: LongTask,
): Promise<ModelCertification> {
  checkCertificationSpec(spec, test);
  const data = takeFirst(test, spec.images);
  const phase = phases(task, {
    ibp: spec.methods.includes('ibp') ? 1 : 0,
    crown: spec.methods.includes('crown') ? 4 : 0,
    pgd: 4,
    smoothing: spec.smoothing ? 6 : 0,
  });
  const certified = await boundCurves(clf, spec, data, phase);
  const { cleanAccuracy, empirical } = await empiricalCurve(
    name,
    clf,
    spec,
    data,
    phase('pgd', `PGD-${spec.pgd.steps}`),
  );
  const smoothing = spec.smoothing
    ? await smoothingCurve(clf, spec.smoothing, takeFirst(test, spec.smoothing.images), phase('smoothing'))
    : null;
  return { name, n: data.count, cleanAccuracy, certified, empirical, smoothing };
}

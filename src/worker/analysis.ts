/**
 * The analysis view's worker side: robustness sweeps, calibration, margins and stability over
 * several models at once.
 * Models are loaded into their own classifiers for the run (the attack lab's model stays put) and
 * disposed afterwards. Each attack has its own ε grid, as the Yan et al. protocol needs.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, imageSize, range, takeFirst, type ImageDataset } from '../core/data/dataset';
import { modelSgld } from '../core/eval/dream';
import { energyAnalysis } from '../core/eval/energyAnalysis';
import { refinedClassifier } from '../core/eval/jemRefinement';
import { ANALYSIS_FIELDS } from '../core/options/analysisOptions';
import { checkValue } from '../core/options/field';
import { marginAnalysis } from '../core/eval/marginAnalysis';
import { LAZY_PROBE_TRAINING, probeTraining, stabilityAgainstEps, sweepRows } from '../core/eval/stabilityAnalysis';
import { mlpStabilitySweep } from '../core/eval/stabilitySweep';
import { STABILITY_FORM_LABELS } from '../core/metrics/stabilityForms';
import { robustnessSweep, type SweepSummary } from '../core/eval/robustnessSweep';
import { sanityChecksFromSweep, type SanityCheck } from '../core/eval/sanityChecks';
import { collectLogits } from '../core/metrics/logitTable';
import { temperatureScalingReport, type CalibrationReport } from '../core/metrics/temperatureScaling';
import type { Classifier } from '../core/models/classifier';
import { hasSplitBatchNorm, setBatchNormRoute } from '../core/models/layers/batchNorm';
import { classifierFromFiles } from '../core/models/modelIO';
import { InvalidOptionError, ModelFormatError } from '../core/util/errors';
import { partOf, type LongTask } from '../core/util/progress';
import type {
  AnalysisApi,
  AnalysisModel,
  CalibrationRequest,
  CalibrationResult,
  EnergyRequest,
  EnergyResult,
  MarginsRequest,
  MarginsResult,
  RobustnessRequest,
  RobustnessCurvesResult,
  StabilityRequest,
  StabilityResult,
  StabilitySweepPoint,
  StabilitySweepRequest,
  StabilitySweepResult,
} from './api';
import { fetchModelFiles } from './models';
import { savedModelFiles } from './savedModels';
import type { WorkerState } from './workerState';

export const MAX_ANALYSIS_MODELS = 3;
/** Stability differentiates all its images at once (one backward pass per class): keep it modest. */
export const MAX_STABILITY_IMAGES = 1000;
/** Configurations of one MLP sweep. */
export const MAX_SWEEP_CONFIGURATIONS = 64;

/** The analysis view's methods, on the MNIST test set (the sweep's probe training also on its training set). */
export function analysisApi(state: WorkerState): AnalysisApi {
  return {
    async evaluateRobustness(req, onSummary, onProgress) {
      return evaluateRobustness(req, await state.requireTestSet(), onSummary, state.startTask(onProgress));
    },
    async calibrate(req, onProgress) {
      return calibrate(req, await state.requireTestSet(), state.startTask(onProgress));
    },
    async analyseEnergy(req, onProgress) {
      return analyseEnergy(req, await state.requireTestSet(), state.startTask(onProgress));
    },
    async analyseMargins(req, onProgress) {
      return analyseMargins(req, await state.requireTestSet(), state.startTask(onProgress));
    },
    async analyseStability(req, onProgress) {
      return analyseStability(req, await state.requireTestSet(), state.startTask(onProgress));
    },
    async stabilitySweep(req, onPoint, onProgress) {
      return stabilitySweep(req, await state.requireTestSet(), state.mnistTrain, onPoint, state.startTask(onProgress));
    },
  };
}

export async function loadAll(models: AnalysisModel[]): Promise<{ name: string; classifier: Classifier }[]> {
  if (models.length < 1 || models.length > MAX_ANALYSIS_MODELS)
    throw new InvalidOptionError(`Pick 1 to ${MAX_ANALYSIS_MODELS} models.`);
  const loaded: { name: string; classifier: Classifier }[] = [];
  try {
    for (const m of models) {
      const files = m.ref.kind === 'shipped' ? await fetchModelFiles(m.ref.url) : await savedModelFiles(m.ref.name);
      const classifier = await classifierFromFiles(files, m.name);
      // The view's BN_clean / BN_adv choice reaches only models that have both (Xie & Yuille 2020, §4).
      if (m.bn !== undefined && hasSplitBatchNorm(classifier.model)) setBatchNormRoute(classifier.model, m.bn);
      loaded.push({ name: m.name, classifier });
    }
  } catch (err) {
    for (const l of loaded) l.classifier.model.dispose();
    throw err;
  }
  return loaded;
}

export async function evaluateRobustness(
  req: RobustnessRequest,
  test: ImageDataset,
  onSummary: (s: SweepSummary) => void,
  task: LongTask,
): Promise<RobustnessCurvesResult> {
  const started = performance.now();
  const loaded = await loadAll(req.models);
  try {
    const models = withRefinement(loaded, req.refinement);
    const summary: SweepSummary[] = [];
    let clean: RobustnessCurvesResult['clean'] = [];
    for (let g = 0; g < req.groups.length; g++) {
      const group = req.groups[g];
      const result = await robustnessSweep(
        { models, attacks: [group.attack], eps: group.eps, seeds: req.seeds, data: test, images: req.images },
        { ...partOf(task, g, req.groups.length), onSummary: (s) => onSummary(s) },
      );
      clean = result.clean;
      summary.push(...result.summary);
    }
    const checks: SanityCheck[] = sanityChecksFromSweep(summary);
    return {
      n: Math.min(req.images, test.count),
      clean,
      summary,
      checks,
      seconds: (performance.now() - started) / 1000,
      refinement: req.refinement?.steps ? req.refinement : undefined,
    };
  } finally {
    for (const m of loaded) m.classifier.model.dispose();
  }
}

/**
 * The models with JEM's refinement in front (Grathwohl et al. 2020, §5.3), attacked through its steps and averaged
 * over its noise draws (core/eval/jemRefinement.ts); the SGLD step and noise each model was trained with, else JEM's.
 */
function withRefinement(
  models: { name: string; classifier: Classifier }[],
  refinement: RobustnessRequest['refinement'],
): { name: string; classifier: Classifier }[] {
  if (!refinement || refinement.steps === 0) return models;
  checkValue(ANALYSIS_FIELDS.refineSteps, refinement.steps, {}, (m) => new InvalidOptionError(m));
  checkValue(ANALYSIS_FIELDS.eotDraws, refinement.draws, {}, (m) => new InvalidOptionError(m));
  return models.map(({ name, classifier }) => {
    const { stepSize, noise } = modelSgld(classifier.meta);
    const refined = refinedClassifier(classifier, { ...refinement, stepSize, noise, seed: 0 });
    return { name, classifier: refined };
  });
}

/**
 * Loads the requested models, runs `measure` on each (checked against the test set's data set,
 * with its share of the progress bar), and disposes them whatever happens: the one loop behind
 * calibration, energy, margins and stability.
 */
async function perModel<R>(
  models: AnalysisModel[],
  test: ImageDataset,
  task: LongTask,
  measure: (classifier: Classifier, subTask: LongTask) => Promise<R>,
): Promise<({ name: string } & R)[]> {
  const loaded = await loadAll(models);
  try {
    const out: ({ name: string } & R)[] = [];
    for (const [k, { name, classifier }] of loaded.entries()) {
      checkDataset(classifier, name, test);
      out.push({ name, ...(await measure(classifier, partOf(task, k, loaded.length, name))) });
    }
    return out;
  } finally {
    for (const m of loaded) m.classifier.model.dispose();
  }
}

export function calibrate(req: CalibrationRequest, test: ImageDataset, task: LongTask): Promise<CalibrationResult[]> {
  checkCount(req.images, 'The number of test images', 2, test.count);
  const data = takeFirst(test, req.images);
  return perModel(req.models, test, task, async (classifier, subTask) => {
    const table = await collectLogits(classifier.logits, data, classifier.meta.classNames.length, subTask);
    const report: CalibrationReport = temperatureScalingReport(table, { numBins: req.bins, seed: 0 });
    return { report };
  });
}

export function analyseEnergy(req: EnergyRequest, test: ImageDataset, task: LongTask): Promise<EnergyResult[]> {
  checkCount(req.images, 'The number of test images', 1, test.count);
  const data = takeFirst(test, req.images);
  return perModel(req.models, test, task, async (classifier, subTask) => ({
    result: await energyAnalysis(
      classifier,
      data,
      // With JEM's approximate-mass score −‖∂E/∂x‖ (Grathwohl et al. §5.2): one input gradient per image.
      {
        sources: req.sources,
        adversarialEps: req.adversarialEps,
        userImages: req.userImages,
        seed: 0,
        gradientNorm: true,
      },
      subTask,
    ),
  }));
}

function checkCount(value: number, what: string, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max))
    throw new InvalidOptionError(`${what} must be a whole number from ${min} to ${max}, got ${value}.`);
}

export function checkDataset(classifier: Classifier, name: string, test: ImageDataset): void {
  if (classifier.meta.dataset !== test.name)
    throw new ModelFormatError(
      `${name} was made for ${classifier.meta.dataset}, but the analysis runs on ${test.name} test images.`,
    );
}

export function analyseMargins(req: MarginsRequest, test: ImageDataset, task: LongTask): Promise<MarginsResult[]> {
  checkCount(req.images, 'The number of test images', 1, test.count);
  checkCount(req.deepFoolImages, 'The number of DeepFool images', 0, req.images);
  const data = takeFirst(test, req.images);
  return perModel(req.models, test, task, async (classifier, subTask) => ({
    result: await marginAnalysis(
      classifier,
      data,
      { deepFoolLimit: req.deepFoolImages, pgdDistance: req.pgdDistance, adversarialEps: req.eps, batchSize: 100 },
      subTask,
    ),
  }));
}

export async function analyseStability(
  req: StabilityRequest,
  test: ImageDataset,
  task: LongTask,
): Promise<StabilityResult[]> {
  checkCount(req.images, 'The number of test images', 1, Math.min(test.count, MAX_STABILITY_IMAGES));
  const { x, y } = batchTensors(test, range(0, req.images));
  y.dispose();
  try {
    return await perModel(req.models, test, task, async (classifier, subTask) => ({
      curve: await stabilityAgainstEps(
        classifier.logits,
        x,
        { eps: req.eps, samples: req.samples, form: req.form, seed: 0 },
        subTask,
      ),
    }));
  } finally {
    x.dispose();
  }
}

/** Examples [start, end) of a data set (a view; no copy). */
function slice(ds: ImageDataset, start: number, end: number): ImageDataset {
  const size = imageSize(ds);
  return {
    ...ds,
    count: end - start,
    images: ds.images.subarray(start * size, end * size),
    labels: ds.labels.subarray(start, end),
  };
}

/**
 * The sweep, measured on the first N test images. With `train`, each network first takes the
 * probe training on the MNIST training split when it is loaded, otherwise on test images that
 * follow the measured ones (never the measured images themselves); the result says which.
 */
export async function stabilitySweep(
  req: StabilitySweepRequest,
  test: ImageDataset,
  train: ImageDataset | undefined,
  onPoint: (p: StabilitySweepPoint) => void,
  task: LongTask,
): Promise<StabilitySweepResult> {
  const started = performance.now();
  checkCount(req.images, 'The number of test images', 1, Math.min(test.count, MAX_STABILITY_IMAGES));
  const total = req.widths.length * req.depths.length * req.inits.length;
  checkCount(total, 'The number of configurations (widths × depths × initialisations)', 1, MAX_SWEEP_CONFIGURATIONS);
  const form = req.form ?? 'first-order-squared';
  let training: StabilitySweepResult['training'] = null;
  let data: ImageDataset | undefined;
  if (req.train) {
    const probe = { ...LAZY_PROBE_TRAINING };
    if (train) {
      data = takeFirst(train, probe.examples);
      training = { ...probe, examples: data.count, data: `the first ${data.count} MNIST training images` };
    } else {
      data = slice(test, req.images, Math.min(test.count, req.images + probe.examples));
      training = {
        ...probe,
        examples: data.count,
        data: `MNIST test images ${req.images + 1}–${req.images + data.count} (not the measured ones)`,
      };
    }
  }
  const { x, y } = batchTensors(test, range(0, req.images));
  y.dispose();
  const points: StabilitySweepPoint[] = [];
  try {
    await mlpStabilitySweep(
      { widths: req.widths, depths: req.depths, inits: req.inits, seed: 0, classes: test.classNames.length },
      x,
      { eps: req.eps, samples: req.samples, form, seed: 0 },
      {
        isCancelled: task.isCancelled,
        onProgress: task.onProgress,
        prepare: data && training ? probeTraining(data, training, 0, task) : undefined,
        onConfiguration: (p, index, count) => {
          const point: StabilitySweepPoint = {
            ...sweepRows(p)[0],
            lazyTrainingRatio: p.lazyTrainingRatio,
            seconds: p.seconds,
            index,
            total: count,
          };
          points.push(point);
          onPoint(point);
        },
      },
    );
  } finally {
    tf.dispose(x);
  }
  return { training, form, label: STABILITY_FORM_LABELS[form], points, seconds: (performance.now() - started) / 1000 };
}

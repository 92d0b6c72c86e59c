/**
 * The analysis view's worker side: robustness sweeps and calibration over several models at once.
 * Models are loaded into their own classifiers for the run (the attack lab's model stays put) and
 * disposed afterwards. Each attack has its own ε grid, as the Yan et al. protocol needs.
 */
import { takeFirst, type ImageDataset } from '../core/data/dataset';
import { robustnessSweep, type SweepSummary } from '../core/eval/robustnessSweep';
import { sanityChecksFromSweep, type SanityCheck } from '../core/eval/sanityChecks';
import { collectLogits } from '../core/metrics/logitTable';
import { temperatureScalingReport, type CalibrationReport } from '../core/metrics/temperatureScaling';
import type { Classifier } from '../core/models/classifier';
import { classifierFromFiles, WEIGHTS_FILE, type ModelFiles } from '../core/models/modelIO';
import { InvalidOptionError } from '../core/util/errors';
import type { LongTask } from '../core/util/progress';
import type { AnalysisModel, CalibrationRequest, CalibrationResult, RobustnessRequest, RobustnessResult } from './api';
import { fetchBytes } from './fetchWithProgress';
import { savedModelFiles } from './savedModels';

export const MAX_ANALYSIS_MODELS = 3;

export async function fetchModelFiles(url: string): Promise<ModelFiles> {
  const modelJson = new TextDecoder().decode(await fetchBytes(url));
  const weights = await fetchBytes(new URL(WEIGHTS_FILE, new URL(url, self.location.href)).href);
  return { modelJson, weights };
}

async function loadAll(models: AnalysisModel[]): Promise<{ name: string; classifier: Classifier }[]> {
  if (models.length < 1 || models.length > MAX_ANALYSIS_MODELS) throw new InvalidOptionError(`Pick 1 to ${MAX_ANALYSIS_MODELS} models.`);
  const loaded: { name: string; classifier: Classifier }[] = [];
  try {
    for (const m of models) {
      const files = m.ref.kind === 'shipped' ? await fetchModelFiles(m.ref.url) : await savedModelFiles(m.ref.name);
      loaded.push({ name: m.name, classifier: await classifierFromFiles(files, m.name) });
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
): Promise<RobustnessResult> {
  const started = performance.now();
  const models = await loadAll(req.models);
  try {
    const summary: SweepSummary[] = [];
    let clean: RobustnessResult['clean'] = [];
    for (let g = 0; g < req.groups.length; g++) {
      const group = req.groups[g];
      const result = await robustnessSweep(
        { models, attacks: [group.attack], eps: group.eps, seeds: req.seeds, data: test, images: req.images },
        {
          isCancelled: task.isCancelled,
          onSummary: (s) => onSummary(s),
          onProgress: (p) => task.onProgress?.({ fraction: (g + p.fraction) / req.groups.length, message: p.message }),
        },
      );
      clean = result.clean;
      summary.push(...result.summary);
    }
    const checks: SanityCheck[] = sanityChecksFromSweep(summary);
    return { n: Math.min(req.images, test.count), clean, summary, checks, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const m of models) m.classifier.model.dispose();
  }
}

export async function calibrate(req: CalibrationRequest, test: ImageDataset, task: LongTask): Promise<CalibrationResult[]> {
  const models = await loadAll(req.models);
  try {
    const data = takeFirst(test, req.images);
    const out: CalibrationResult[] = [];
    for (let k = 0; k < models.length; k++) {
      const { name, classifier } = models[k];
      const table = await collectLogits(classifier.logits, data, classifier.meta.classNames.length, {
        isCancelled: task.isCancelled,
        onProgress: (p) => task.onProgress?.({ fraction: (k + p.fraction) / models.length, message: `${name}: ${p.message}` }),
      });
      const report: CalibrationReport = temperatureScalingReport(table, { numBins: req.bins, seed: 0 });
      out.push({ name, report });
    }
    return out;
  } finally {
    for (const m of models) m.classifier.model.dispose();
  }
}

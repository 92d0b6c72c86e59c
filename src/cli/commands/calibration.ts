/**
 * `calibration --model DIR --data mnist [--split test] [--limit N] [--bins 15] [--fit-fraction 0.5]
 *   [--seed S] [--ood none|uniform] [--batch B] [--backend wasm|cpu]`
 *
 * Reliability diagram, ECE and MCE before and after temperature scaling (ALGORITHMS.md §4). T is
 * fitted on a seeded random part of the chosen images (--fit-fraction) and every figure after
 * that is measured on the other, disjoint part: the shipped model was trained on all 60,000
 * training images, so the held-out split has to come from the test images. With --ood uniform,
 * the energy score's AUROC against as many uniform-noise images (in-distribution = positive).
 */
import * as tf from '@tensorflow/tfjs';
import { parseBackendName } from '../../core/backend/backends';
import { takeFirst, type Split } from '../../core/data/dataset';
import { DEFAULT_CALIBRATION_BINS, confidenceHistogram } from '../../core/metrics/calibration';
import { auroc, energyScores } from '../../core/metrics/energy';
import { accuracyOf, collectLogits, confidenceAndCorrectness, makeLogitTable, type LogitTable } from '../../core/metrics/logitTable';
import { summarize } from '../../core/metrics/summaryStats';
import { DEFAULT_FIT_FRACTION, temperatureScalingReport } from '../../core/metrics/temperatureScaling';
import type { Classifier } from '../../core/models/classifier';
import { InvalidOptionError, ModelFormatError } from '../../core/util/errors';
import { numberOption, parseCommandArgs, requiredString } from '../args';
import { initNodeBackend, printJson } from '../nodeEnv';
import { loadDataset, readModelDir } from '../nodeFiles';

/** Logits of `count` images of uniform noise in [0,1], seeded: a crude out-of-distribution set. */
function uniformNoiseLogits(clf: Classifier, count: number, seed: number, batchSize: number): LogitTable {
  const [h, w, c] = clf.meta.inputShape;
  const k = clf.meta.classNames.length;
  const logits = new Float32Array(count * k);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const z = tf.tidy(() => clf.logits(tf.randomUniform([n, h, w, c], 0, 1, 'float32', seed + start) as tf.Tensor4D));
    logits.set(z.dataSync(), start * k);
    z.dispose();
  }
  return makeLogitTable(logits, new Int32Array(count), k);
}

export async function calibrationCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs(argv, {
    model: { type: 'string' },
    data: { type: 'string' },
    split: { type: 'string' },
    limit: { type: 'string' },
    bins: { type: 'string' },
    'fit-fraction': { type: 'string' },
    seed: { type: 'string' },
    ood: { type: 'string' },
    batch: { type: 'string' },
    backend: { type: 'string' },
  });
  const modelDir = requiredString(v, 'model');
  const dataName = requiredString(v, 'data');
  const split = (typeof v.split === 'string' ? v.split : 'test') as Split;
  if (split !== 'test' && split !== 'train') throw new InvalidOptionError(`--split must be test or train, got "${split}".`);
  const limit = numberOption(v, 'limit', undefined, { min: 2, integer: true });
  const bins = numberOption(v, 'bins', DEFAULT_CALIBRATION_BINS, { min: 1, max: 1000, integer: true })!;
  const fitFraction = numberOption(v, 'fit-fraction', DEFAULT_FIT_FRACTION, { min: 0.01, max: 0.99 })!;
  const seed = numberOption(v, 'seed', 0, { min: 0, integer: true })!;
  const batchSize = numberOption(v, 'batch', 256, { min: 1, max: 4096, integer: true })!;
  const ood = typeof v.ood === 'string' ? v.ood : 'none';
  if (ood !== 'none' && ood !== 'uniform') throw new InvalidOptionError(`--ood must be none or uniform, got "${ood}".`);

  const backend = await initNodeBackend(parseBackendName(typeof v.backend === 'string' ? v.backend : 'wasm'));
  const started = performance.now();
  const clf = await readModelDir(modelDir);
  let ds = await loadDataset(dataName, split);
  if (clf.meta.dataset !== ds.name) throw new ModelFormatError(`The model in ${modelDir} was made for ${clf.meta.dataset}, not ${ds.name}.`);
  if (limit !== undefined) ds = takeFirst(ds, limit);
  const table = await collectLogits(clf.logits, ds, clf.meta.classNames.length, { batchSize });
  const report = temperatureScalingReport(table, { fitFraction, seed, numBins: bins });
  const { confidence } = confidenceAndCorrectness(table);
  const scores = energyScores(table);
  const diagram = (d: typeof report.before) => ({
    ece: d.ece,
    mce: d.mce,
    nll: d.nll,
    accuracy: d.accuracy,
    meanConfidence: d.meanConfidence,
    reliability: d.bins,
  });
  let oodReport: Record<string, unknown> | undefined;
  if (ood === 'uniform') {
    const noise = uniformNoiseLogits(clf, table.n, seed + 1, batchSize);
    const maxSoftmax = (t: LogitTable) => confidenceAndCorrectness(t).confidence;
    oodReport = {
      data: 'uniform noise in [0,1]',
      n: noise.n,
      aurocEnergy: auroc(scores, energyScores(noise)),
      aurocMaxSoftmax: auroc(maxSoftmax(table), maxSoftmax(noise)),
    };
  }
  printJson({
    model: modelDir,
    backend,
    data: dataName,
    split,
    n: table.n,
    accuracy: accuracyOf(table),
    bins,
    binEdges: report.before.edgeConvention,
    heldOut: { fitN: report.fit.fitN, reportN: report.reportN, fitFraction, seed },
    temperature: report.fit.temperature,
    temperatureAtSearchBoundary: report.fit.atBoundary,
    fitNll: { before: report.fit.nllBefore, after: report.fit.nllAfter },
    before: diagram(report.before),
    after: diagram(report.after),
    confidenceHistogram: confidenceHistogram(confidence, bins),
    energy: { score: 'logsumexp(z) = -E(x)', ...summarize(scores) },
    ...(oodReport ? { ood: oodReport } : {}),
    seconds: (performance.now() - started) / 1000,
  });
}

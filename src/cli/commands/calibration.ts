/**
 * `calibration --model DIR --data mnist [--split test] [--limit N] [--bins 15] [--fit-fraction 0.5]
 *   [--seed S] [--ood none|uniform,inverted,adversarial|all] [--ood-eps E] [--batch B] [--backend wasm|cpu]`
 *
 * Reliability diagram, ECE and MCE before and after temperature scaling (Guo et al. 2017). T is
 * fitted on a seeded random part of the chosen images (--fit-fraction) and every figure after
 * that is measured on the other, disjoint part: the shipped model was trained on all 60,000
 * training images, so the held-out split has to come from the test images. With --ood, JEM's
 * energy score against as many uniform-noise, inverted or PGD-10 adversarial images (ε --ood-eps):
 * the AUROC of each (in-distribution = positive), with the max-softmax baseline and JEM's approximate-mass score
 * −‖∂E(x)/∂x‖ (Grathwohl et al. 2020, §5.2) beside it.
 */
import { confidenceHistogram } from '../../core/metrics/calibration';
import { ANALYSIS_FIELDS, ENERGY_FIELDS } from '../../core/options/analysisOptions';
import { numberFieldOption, schemaSpec } from '../schemaArgs';
import { energyAnalysis } from '../../core/eval/energyAnalysis';
import type { OodSource } from '../../core/eval/oodSources';
import { energyScores } from '../../core/metrics/energy';
import { accuracyOf, collectLogits, confidenceAndCorrectness } from '../../core/metrics/logitTable';
import { summarize } from '../../core/metrics/summaryStats';
import { temperatureScalingReport } from '../../core/metrics/temperatureScaling';
import { InvalidOptionError } from '../../core/util/errors';
import { numberOption, parseCommandArgs, stringOption } from '../args';
import { MODEL_DATA_BATCH_OPTIONS, loadModelAndData, modelDataBatchOptions, startBackend } from '../commonOptions';
import { printJson } from '../nodeEnv';

const CLI_OOD_SOURCES: OodSource[] = ['uniform', 'inverted', 'adversarial'];

/** "none", "all" or a comma list of uniform, inverted, adversarial. */
function parseOodSources(text: string): OodSource[] {
  if (text === 'none') return [];
  if (text === 'all') return CLI_OOD_SOURCES;
  const names = text.split(',').map((t) => t.trim());
  for (const n of names) {
    if (!CLI_OOD_SOURCES.includes(n as OodSource))
      throw new InvalidOptionError(`--ood takes none, all or a list of ${CLI_OOD_SOURCES.join(', ')}; got "${n}".`);
  }
  return names as OodSource[];
}

export async function calibrationCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('calibration', argv, {
    ...MODEL_DATA_BATCH_OPTIONS,
    ...schemaSpec([ANALYSIS_FIELDS.bins, ANALYSIS_FIELDS.fitFraction]),
    seed: { type: 'string' },
    ood: { type: 'string' },
    'ood-eps': { type: 'string' },
  });
  // Two images at least: one to fit T on, one to report on.
  const choice = modelDataBatchOptions(v, { min: 2 });
  const { modelDir, dataName, split, batchSize } = choice;
  const bins = numberFieldOption(v, ANALYSIS_FIELDS.bins)!;
  const fitFraction = numberFieldOption(v, ANALYSIS_FIELDS.fitFraction)!;
  const seed = numberOption(v, 'seed', 0, { min: 0, integer: true })!;
  const oodSources = parseOodSources(stringOption(v, 'ood', 'none'));
  const oodEps = numberFieldOption(v, ENERGY_FIELDS.eps)!;

  const backend = await startBackend(v);
  const started = performance.now();
  const { clf, ds } = await loadModelAndData(choice);
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
  let oodReport: Record<string, unknown>[] | undefined;
  if (oodSources.length > 0) {
    const energy = await energyAnalysis(clf, ds, {
      sources: oodSources,
      adversarialEps: oodEps,
      seed,
      batchSize,
      gradientNorm: true,
    });
    oodReport = energy.sets
      .filter((s) => s.source !== 'in-distribution')
      .map((s) => ({
        data: s.description,
        n: s.n,
        aurocEnergy: s.aurocEnergy,
        aurocMaxSoftmax: s.aurocMaxSoftmax,
        aurocGradientNorm: s.aurocGradientNorm,
        energy: summarize(s.scores),
      }));
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
    ...(oodReport
      ? {
          ood: oodReport,
          oodAdversarial: oodSources.includes('adversarial')
            ? { attack: 'pgd', norm: 'linf', steps: 10, eps: oodEps }
            : undefined,
        }
      : {}),
    seconds: (performance.now() - started) / 1000,
  });
}

/**
 * `margins --model DIR --data mnist [--split test] [--limit N] [--bins 20] [--deepfool-limit M]
 *   [--overshoot 0.02] [--max-iterations 50] [--pgd-distance on|off] [--eps-max 0.5] [--steps 20]
 *   [--adversarial-eps E] [--seed S] [--batch B] [--backend wasm|cpu]`
 *
 * Logit margins (histogram), Lyu & Li's normalised margin, the L2 radius certified by the product
 * of layer operator norms, and DeepFool's L2 distances (Lyu & Li 2020; Moosavi-Dezfooli et al.
 * 2016): the safe radius of a correctly classified image lies between the certified lower bound
 * and DeepFool's distance.
 * With --pgd-distance on, also the L∞ distance found by PGD with bisection on ε; with
 * --adversarial-eps E, also the margins after PGD-20 L∞ at ε = E ("adversarial"). A model with
 * layers the bound cannot handle (GroupNorm, ODE blocks) prints "lipschitz": null and why.
 * The computation is src/core/eval/marginAnalysis.ts, shared with the app's margins panel.
 */
import { marginAnalysis } from '../../core/eval/marginAnalysis';
import { MARGINS_FIELDS } from '../../core/options/analysisOptions';
import { numberOption, parseCommandArgs } from '../args';
import { MODEL_DATA_BATCH_OPTIONS, loadModelAndData, modelDataBatchOptions, startBackend } from '../commonOptions';
import { printJson } from '../nodeEnv';
import { fieldOption, numberFieldOption, schemaSpec } from '../schemaArgs';

/** The flags the margins schema describes (--limit is the common option's). */
export const MARGINS_FLAG_FIELDS = Object.values(MARGINS_FIELDS).filter((f) => f.cliFlag !== 'limit');
const DEFAULT_LIMIT = MARGINS_FIELDS.images.cliDefault.value;

export async function marginsCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('margins', argv, {
    ...MODEL_DATA_BATCH_OPTIONS,
    ...schemaSpec(MARGINS_FLAG_FIELDS),
    seed: { type: 'string' },
  });
  const choice = modelDataBatchOptions(v, { min: 1, fallback: DEFAULT_LIMIT });
  const { modelDir, dataName, split, batchSize } = choice;
  const limit = choice.limit ?? DEFAULT_LIMIT;
  const F = MARGINS_FIELDS;
  const bins = numberFieldOption(v, F.histogramBins)!;
  const deepFoolLimit =
    v['deepfool-limit'] === undefined
      ? Math.min(limit, F.deepFoolImages.cliDefault.value)
      : numberFieldOption(v, F.deepFoolImages)!;
  const overshoot = numberFieldOption(v, F.overshoot)!;
  const maxIterations = numberFieldOption(v, F.maxIterations)!;
  const pgdDistance = fieldOption(v, F.pgdDistance) as boolean;
  const epsMax = numberFieldOption(v, F.epsMax)!;
  const steps = numberFieldOption(v, F.bisectionSteps)!;
  const adversarialEps = numberFieldOption(v, F.adversarialEps)!;
  const seed = numberOption(v, 'seed', 0, { min: 0, integer: true })!;

  const backend = await startBackend(v);
  const started = performance.now();
  const { clf, ds } = await loadModelAndData(choice);

  const r = await marginAnalysis(clf, ds, {
    bins,
    deepFoolLimit,
    overshoot,
    maxIterations,
    pgdDistance,
    epsMax,
    steps,
    adversarialEps,
    seed,
    batchSize,
  });

  printJson({
    model: modelDir,
    backend,
    data: dataName,
    split,
    n: r.n,
    accuracy: r.accuracy,
    margins: r.margins,
    normalizedMargin: r.normalizedMargin,
    lipschitz: r.lipschitz
      ? {
          layers: r.lipschitz.layers.map((l) => ({
            layer: l.layer,
            className: l.className,
            norm: l.norm,
            method: l.method,
          })),
          product: r.lipschitz.product,
          l2LowerBound: r.lipschitz.l2LowerBound,
        }
      : null,
    ...(r.lipschitzMessage ? { lipschitzMessage: r.lipschitzMessage } : {}),
    deepfool: r.deepfool,
    ...(r.pgdDistance ? { pgdDistance: r.pgdDistance } : {}),
    ...(r.adversarial ? { adversarial: r.adversarial } : {}),
    seconds: (performance.now() - started) / 1000,
  });
}

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
import { DEEPFOOL_MAX_ITERATIONS, DEEPFOOL_OVERSHOOT } from '../../core/attacks/deepfool';
import { MAX_STEPS } from '../../core/options/attackOptions';
import { DEFAULT_DEEPFOOL_LIMIT, marginAnalysis } from '../../core/eval/marginAnalysis';
import { DEFAULT_BISECTION_EPS_MAX, DEFAULT_BISECTION_PGD_STEPS } from '../../core/eval/minimalDistance';
import { numberOption, parseCommandArgs, switchOption } from '../args';
import { MODEL_DATA_BATCH_OPTIONS, loadModelAndData, modelDataBatchOptions, startBackend } from '../commonOptions';
import { printJson } from '../nodeEnv';

const DEFAULT_LIMIT = 1000;

export async function marginsCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('margins', argv, {
    ...MODEL_DATA_BATCH_OPTIONS,
    bins: { type: 'string' },
    'deepfool-limit': { type: 'string' },
    overshoot: { type: 'string' },
    'max-iterations': { type: 'string' },
    'pgd-distance': { type: 'string' },
    'eps-max': { type: 'string' },
    steps: { type: 'string' },
    'adversarial-eps': { type: 'string' },
    seed: { type: 'string' },
  });
  const choice = modelDataBatchOptions(v, { min: 1, fallback: DEFAULT_LIMIT });
  const { modelDir, dataName, split, batchSize } = choice;
  const limit = choice.limit ?? DEFAULT_LIMIT;
  const bins = numberOption(v, 'bins', 20, { min: 1, max: 1000, integer: true })!;
  const deepFoolLimit = numberOption(v, 'deepfool-limit', Math.min(limit, DEFAULT_DEEPFOOL_LIMIT), {
    min: 0,
    integer: true,
  })!;
  const overshoot = numberOption(v, 'overshoot', DEEPFOOL_OVERSHOOT, { min: 0, max: 1 })!;
  const maxIterations = numberOption(v, 'max-iterations', DEEPFOOL_MAX_ITERATIONS, {
    min: 1,
    max: 1000,
    integer: true,
  })!;
  const pgdDistance = switchOption(v, 'pgd-distance', false);
  const epsMax = numberOption(v, 'eps-max', DEFAULT_BISECTION_EPS_MAX, { min: 0.01, max: 1 })!;
  const steps = numberOption(v, 'steps', DEFAULT_BISECTION_PGD_STEPS, { min: 1, max: MAX_STEPS, integer: true })!;
  const adversarialEps = numberOption(v, 'adversarial-eps', 0, { min: 0, max: 1 })!;
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

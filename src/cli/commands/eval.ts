/**
 * `eval --model DIR --data mnist|cifar10 [--split test] [--limit N] [--attack none|gaussian|fgsm|bim|pgd] …`
 * Prints {"model","backend","n","cleanAccuracy","robustAccuracy","attack":{…},"seconds"}.
 * Several values in --eps, --sigma or --seeds run a grid instead (evalGrid.ts). `--bn clean|adv` picks the set of a
 * split batch norm (batchNormArgs.ts); the output names it as "batchNorm".
 */
import { robustAccuracy, type Threat } from '../../core/eval/robustAccuracy';
import { parseCommandArgs, stringOption } from '../args';
import { ATTACK_OPTION_SPEC, describeTarget, parseGradientAttack, parseSigma } from '../attackArgs';
import { MODEL_DATA_BATCH_OPTIONS, loadModelAndData, modelDataBatchOptions, startBackend } from '../commonOptions';
import { parseEvalGrid, runEvalGrid } from './evalGrid';
import { parseRefinement, REFINEMENT_OPTION_SPEC } from '../jemArgs';
import { applyBatchNormRoute, BATCH_NORM_ROUTE_OPTION, parseBatchNormRoute } from '../batchNormArgs';
import { printJson } from '../nodeEnv';

export async function evalCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('eval', argv, {
    ...MODEL_DATA_BATCH_OPTIONS,
    seeds: { type: 'string' },
    ...ATTACK_OPTION_SPEC,
    ...REFINEMENT_OPTION_SPEC,
    ...BATCH_NORM_ROUTE_OPTION,
  });
  const route = parseBatchNormRoute(v);
  const choice = modelDataBatchOptions(v, { min: 1 });
  const { modelDir, dataName, split, batchSize } = choice;
  const attackName = stringOption(v, 'attack', 'none');
  // Lists in --eps/--sigma/--seeds become their first value here; `grid` is set when any has several.
  const dataset = dataName === 'cifar10' ? 'cifar10' : 'mnist';
  const { single, grid } = parseEvalGrid(v, attackName, dataset);
  // Parse every attack option even when no gradient attack runs, so a typo never passes silently.
  const gradientMethod = ['none', 'gaussian'].includes(attackName) ? 'pgd' : attackName;
  const gradientOptions = parseGradientAttack(gradientMethod, single, dataset);
  const sigma = parseSigma(single);
  let threat: Threat;
  if (attackName === 'none') threat = { kind: 'none' };
  else if (attackName === 'gaussian') threat = { kind: 'gaussian', sigma, seed: gradientOptions.seed };
  else threat = { kind: 'attack', options: gradientOptions };

  const backend = await startBackend(v);
  const loaded = await loadModelAndData(choice);
  const ds = loaded.ds;
  const batchNorm = applyBatchNormRoute(loaded.clf, route);
  const bnField = batchNorm ? { batchNorm } : {};
  // JEM's refinement (--refine-steps K [--eot S]): the attack runs through it.
  const { classifier: clf, record: refinement } = parseRefinement(v, loaded.clf);
  if (grid) {
    const attack =
      attackName === 'gaussian'
        ? { kind: 'gaussian' as const }
        : { kind: 'gradient' as const, options: gradientOptions };
    printJson({
      model: modelDir,
      backend,
      data: dataName,
      split,
      ...bnField,
      ...(await runEvalGrid(clf, ds, grid, attack, batchSize)),
    });
    return;
  }
  const result = await robustAccuracy(clf, ds, threat, { batchSize });
  const t = result.threat;
  printJson({
    model: modelDir,
    backend,
    data: dataName,
    split,
    ...bnField,
    n: result.n,
    cleanAccuracy: result.cleanAccuracy,
    robustAccuracy: result.robustAccuracy,
    attack:
      t.kind === 'none'
        ? { name: 'none' }
        : t.kind === 'gaussian'
          ? { name: 'gaussian', sigma: t.sigma, seed: t.seed }
          : {
              name: t.options.method,
              norm: t.options.norm,
              eps: t.options.eps,
              steps: t.options.steps,
              alpha: t.options.alpha,
              restarts: t.options.restarts,
              randomStart: t.options.randomStart,
              target: describeTarget(t.options.target),
              seed: t.options.seed,
              batchSize,
              ...(t.options.targetClasses !== undefined ? { targetClasses: t.options.targetClasses } : {}),
              ...(t.options.confidence !== undefined
                ? { confidence: t.options.confidence, binarySearchSteps: t.options.binarySearchSteps }
                : {}),
              ...(t.options.method === 'autoattack-lite'
                ? { note: 'APGD-CE then APGD-T (Croce & Hein 2020): a subset of AutoAttack, not AutoAttack' }
                : {}),
            },
    ...(result.minimalL2
      ? {
          medianL2: Number.isFinite(result.minimalL2.median) ? result.minimalL2.median : null,
          brokenImages: result.minimalL2.found,
          correctImages: result.minimalL2.of,
        }
      : {}),
    ...(refinement ? { refinement } : {}),
    seconds: result.seconds,
  });
}

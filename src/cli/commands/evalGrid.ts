/**
 * The grid form of `eval`: `--eps 0,0.05,0.1` (or `--sigma` for Gaussian noise) and `--seeds 1,2,3`.
 * With one value of each, `eval` keeps its single-run output exactly (scripts depend on it); with
 * more, it prints
 *   {"model","backend","data","split","n","cleanAccuracy","attack":{…},
 *    "results":[{eps,seed,robustAccuracy}],"summary":[{eps,mean,std}],"seconds"}
 * For `--attack gaussian` the grid is σ (pixel units) and `eps` in results and summary holds σ.
 */
import type { DatasetName, ImageDataset } from '../../core/data/dataset';
import { resolveAttackOptions } from '../../core/attacks/resolveOptions';
import { ATTACK_FIELDS, DEFAULT_STEP_SIZE_FACTOR, EVAL_NOISE_FIELDS } from '../../core/options/attackOptions';
import type { AttackOptions } from '../../core/attacks/types';
import type { Classifier } from '../../core/models/classifier';
import { robustnessSweep, type SweepAttack } from '../../core/eval/robustnessSweep';
import { InvalidOptionError } from '../../core/util/errors';
import type { Values } from '../args';
import { describeTarget, parseSigma } from '../attackArgs';
import { numberListOption } from '../listArgs';
import { fieldListOption, numberFieldOption } from '../schemaArgs';

export interface EvalGrid {
  /** The grid values: ε, or σ for Gaussian noise. */
  values: number[];
  seeds: number[];
}

/**
 * Reads --eps, --sigma and --seeds as lists. Returns the option values with each list replaced by
 * its first element (what the single-run path parses as before), and the grid when any list has
 * more than one value.
 */
export function parseEvalGrid(
  v: Values,
  attackName: string,
  dataset: DatasetName = 'mnist',
): { single: Values; grid?: EvalGrid } {
  // ε's limit depends on the norm: each ε of the grid is checked under the --norm given.
  const ctx = { dataset, norm: typeof v.norm === 'string' ? v.norm : undefined };
  const epsList = fieldListOption(v, ATTACK_FIELDS.eps, ctx)?.map(Number);
  const sigmaList = (() => {
    if (typeof v.sigma === 'string') for (const s of v.sigma.split(',')) parseSigma({ sigma: s.trim() });
    return fieldListOption(v, EVAL_NOISE_FIELDS.sigma)?.map(Number);
  })();
  const seedList = numberListOption(v, 'seeds', undefined, { min: 0, integer: true });
  if (seedList && v.seed !== undefined) throw new InvalidOptionError('Give --seed or --seeds, not both.');
  const single: Values = { ...v };
  if (epsList) single.eps = String(epsList[0]);
  if (sigmaList) single.sigma = String(sigmaList[0]);
  if (seedList) single.seed = String(seedList[0]);
  delete single.seeds;
  const many = (l?: number[]) => l !== undefined && l.length > 1;
  if (!many(epsList) && !many(sigmaList) && !many(seedList)) return { single };
  if (attackName === 'none')
    throw new InvalidOptionError(
      'A grid (--eps, --sigma or --seeds with several values) needs --attack gaussian, fgsm, bim or pgd.',
    );
  if (attackName === 'gaussian' && many(epsList))
    throw new InvalidOptionError('For --attack gaussian give the grid as --sigma S1,S2,…');
  if (attackName !== 'gaussian' && many(sigmaList))
    throw new InvalidOptionError(`--sigma takes one value unless --attack gaussian.`);
  const seeds = seedList ?? [numberFieldOption(single, ATTACK_FIELDS.seed)!];
  const values =
    attackName === 'gaussian'
      ? (sigmaList ?? [numberFieldOption(single, EVAL_NOISE_FIELDS.sigma)!])
      : (epsList ?? [numberFieldOption(single, ATTACK_FIELDS.eps, ctx)!]);
  return { single, grid: { values, seeds } };
}

export async function runEvalGrid(
  clf: Classifier,
  ds: ImageDataset,
  grid: EvalGrid,
  attack: { kind: 'gaussian' } | { kind: 'gradient'; options: AttackOptions },
  batchSize: number,
): Promise<Record<string, unknown>> {
  let sweepAttack: SweepAttack;
  let description: Record<string, unknown>;
  if (attack.kind === 'gaussian') {
    sweepAttack = { name: 'gaussian' };
    description = { name: 'gaussian', sigma: grid.values, seeds: grid.seeds };
  } else {
    const o = attack.options;
    // Check every ε up front, so a bad grid fails before any work is done.
    const resolved = grid.values.map((eps) => resolveAttackOptions({ ...o, eps }, clf.meta.classNames.length));
    sweepAttack = {
      name: o.method,
      norm: o.norm,
      steps: o.steps,
      restarts: o.restarts,
      alpha: o.alpha,
      target: o.target,
    };
    const r = resolved[0];
    description = {
      name: r.method,
      norm: r.norm,
      eps: grid.values,
      steps: r.steps,
      // α follows ε unless given: report the rule instead of one number.
      ...(o.alpha !== undefined || r.method === 'fgsm'
        ? { alpha: r.method === 'fgsm' ? 'eps' : o.alpha }
        : { alpha: `${DEFAULT_STEP_SIZE_FACTOR}*eps/steps` }),
      restarts: r.restarts,
      randomStart: r.randomStart,
      target: describeTarget(r.target),
      seeds: grid.seeds,
      batchSize,
    };
  }
  const result = await robustnessSweep({
    models: [{ name: 'model', classifier: clf }],
    attacks: [sweepAttack],
    eps: grid.values,
    seeds: grid.seeds,
    data: ds,
    batchSize,
  });
  return {
    n: result.n,
    cleanAccuracy: result.clean[0].accuracy,
    attack: description,
    results: result.rows.map((r) => ({ eps: r.eps, seed: r.seed, robustAccuracy: r.accuracy })),
    summary: result.summary.map((s) => ({ eps: s.eps, mean: s.mean, std: s.std })),
    seconds: result.seconds,
  };
}

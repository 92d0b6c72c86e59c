/**
 * Robust accuracy over a grid: models × attacks × ε × seeds on one fixed set of N images, with
 * mean ± sample standard deviation over the seeds for every (model, attack, ε).
 *
 * What a seed changes: PGD's random starts and the Gaussian noise draws; the images stay the same,
 * so the spread is the attack's randomness alone (FGSM and BIM are deterministic: std 0).
 * For the `gaussian` attack the grid value is σ, in pixel units (x + σ·N(0, I), clipped), not a
 * norm budget; the norm-matched comparison lives in sanityChecks.ts.
 * Rows arrive through `onRow` as they finish, and each (model, attack, ε) summary through
 * `onSummary` as soon as its last seed is done, so curves can fill in while the sweep runs.
 */
import { takeFirst, type ImageDataset } from '../data/dataset';
import type { Classifier } from '../models/classifier';
import type { AttackMethod, Norm, TargetSpec } from '../attacks/types';
import { mean, sampleStd } from '../metrics/summaryStats';
import { InvalidOptionError } from '../util/errors';
import { partOf, throwIfCancelled, type LongTask } from '../util/progress';
import { robustAccuracy, type Threat } from './robustAccuracy';

export type SweepAttack =
  | { name: 'gaussian' }
  | { name: AttackMethod; norm?: Norm; steps?: number; restarts?: number; alpha?: number; target?: TargetSpec };

export interface SweepModel {
  name: string;
  classifier: Classifier;
}

export interface RobustnessSweepConfig {
  models: SweepModel[];
  attacks: SweepAttack[];
  /** ε grid (σ for the Gaussian attack). */
  eps: number[];
  seeds: number[];
  data: ImageDataset;
  /** Use the first `images` examples of `data` (all of them when absent). */
  images?: number;
  batchSize?: number;
}

export interface SweepRow {
  model: string;
  attack: string;
  eps: number;
  seed: number;
  /** Robust accuracy: correct both clean and perturbed. */
  accuracy: number;
}

export interface SweepSummary {
  model: string;
  attack: string;
  eps: number;
  mean: number;
  /** Sample standard deviation over seeds (0 for one seed). */
  std: number;
  seeds: number;
}

export interface RobustnessSweepResult {
  n: number;
  clean: { model: string; accuracy: number }[];
  rows: SweepRow[];
  summary: SweepSummary[];
  seconds: number;
}

export interface SweepTask extends LongTask {
  onRow?: (row: SweepRow) => void;
  onSummary?: (summary: SweepSummary) => void;
}

/** PGD and BIM default to 20 steps, like the command line (Madry et al. 2018 used 40 on MNIST). */
export const SWEEP_DEFAULT_STEPS = 20;

export function threatFor(attack: SweepAttack, eps: number, seed: number): Threat {
  if (attack.name === 'gaussian') return { kind: 'gaussian', sigma: eps, seed };
  return {
    kind: 'attack',
    options: {
      method: attack.name,
      norm: attack.norm ?? 'linf',
      eps,
      steps: attack.steps ?? SWEEP_DEFAULT_STEPS,
      restarts: attack.restarts ?? 1,
      alpha: attack.alpha,
      target: attack.target ?? { kind: 'untargeted' },
      seed,
    },
  };
}

function checkGrid(c: RobustnessSweepConfig): void {
  if (c.models.length === 0 || c.attacks.length === 0 || c.eps.length === 0 || c.seeds.length === 0) {
    throw new InvalidOptionError('The sweep needs at least one model, attack, ε and seed.');
  }
  for (const e of c.eps)
    if (!(Number.isFinite(e) && e >= 0)) throw new InvalidOptionError(`Every ε must be a number ≥ 0, got ${e}.`);
  for (const s of c.seeds)
    if (!(Number.isInteger(s) && s >= 0))
      throw new InvalidOptionError(`Every seed must be a whole number ≥ 0, got ${s}.`);
  const names = new Set(c.models.map((m) => m.name));
  if (names.size !== c.models.length) throw new InvalidOptionError('Model names in a sweep must be distinct.');
}

export async function robustnessSweep(c: RobustnessSweepConfig, task?: SweepTask): Promise<RobustnessSweepResult> {
  checkGrid(c);
  const started = performance.now();
  const ds = c.images === undefined ? c.data : takeFirst(c.data, c.images);
  const cells = c.models.length * c.attacks.length * c.eps.length * c.seeds.length;
  const rows: SweepRow[] = [];
  const summary: SweepSummary[] = [];
  const clean: RobustnessSweepResult['clean'] = [];
  let done = 0;
  for (const m of c.models) {
    throwIfCancelled(task);
    const cleanRun = await robustAccuracy(
      m.classifier,
      ds,
      { kind: 'none' },
      { batchSize: c.batchSize, isCancelled: task?.isCancelled },
    );
    clean.push({ model: m.name, accuracy: cleanRun.cleanAccuracy });
    for (const attack of c.attacks) {
      for (const eps of c.eps) {
        const accuracies: number[] = [];
        for (const seed of c.seeds) {
          throwIfCancelled(task);
          let accuracy: number;
          if (eps === 0) {
            // No budget, no perturbation: robust accuracy is the clean accuracy (saves a PGD run).
            accuracy = cleanRun.cleanAccuracy;
          } else {
            const r = await robustAccuracy(m.classifier, ds, threatFor(attack, eps, seed), {
              batchSize: c.batchSize,
              ...partOf(task, done, cells, `${m.name}, ${attack.name}, ε = ${eps}, seed ${seed}`),
            });
            accuracy = r.robustAccuracy;
          }
          const row = { model: m.name, attack: attack.name, eps, seed, accuracy };
          rows.push(row);
          accuracies.push(accuracy);
          task?.onRow?.(row);
          done++;
          task?.onProgress?.({ fraction: done / cells, message: `${done}/${cells} evaluations` });
        }
        const s = {
          model: m.name,
          attack: attack.name,
          eps,
          mean: mean(accuracies),
          std: sampleStd(accuracies),
          seeds: accuracies.length,
        };
        summary.push(s);
        task?.onSummary?.(s);
      }
    }
  }
  return { n: ds.count, clean, rows, summary, seconds: (performance.now() - started) / 1000 };
}

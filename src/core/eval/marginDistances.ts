/**
 * The margins analysis's distance phases (marginAnalysis.ts): DeepFool's L2 distances (Moosavi-Dezfooli et al.
 * 2016) and the smallest L∞ ε at which PGD breaks an image, found by bisection (Madry et al. 2018), on the first M
 * images, kept for the correctly classified ones; and the batch loop the analysis's attack phases share.
 */
import * as tf from '@tensorflow/tfjs';
import { deepFool } from '../attacks/deepfool';
import { batchTensors, range, type ImageDataset } from '../data/dataset';
import { summarize, type Summary } from '../metrics/summaryStats';
import type { Classifier } from '../models/classifier';
import { subTask, throwIfCancelled, yieldToEventLoop, type LongTask } from '../util/progress';
import { DEFAULT_BISECTION_TOLERANCE, pgdMinimalLinfDistance } from './minimalDistance';

/** The resolved settings the distance phases read. */
export interface DistanceSettings {
  deepFoolLimit: number;
  batchSize: number;
  overshoot: number;
  maxIterations: number;
  epsMax: number;
  steps: number;
  seed: number;
}

export interface DeepFoolDistanceSummary {
  norm: 'l2';
  n: number;
  overshoot: number;
  maxIterations: number;
  clipToUnitBox: true;
  fooled: number;
  estimate: { definition: string } & Summary;
  achieved: { definition: string } & Summary;
  meanIterations: number;
}

export interface PgdDistanceSummary {
  norm: 'linf';
  n: number;
  epsMax: number;
  tolerance: number;
  steps: number;
  notBrokenAtEpsMax: number;
  distance: Summary;
  pgdRuns: number;
}

/** Runs `work` on batches of the first `count` images, reporting progress as a fraction of them. */
export async function forBatches(
  ds: ImageDataset,
  count: number,
  batchSize: number,
  task: LongTask | undefined,
  work: (x: tf.Tensor4D, y: tf.Tensor1D, start: number, sub: LongTask) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < count; start += batchSize) {
    throwIfCancelled(task);
    const end = Math.min(count, start + batchSize);
    const { x, y } = batchTensors(ds, range(start, end));
    try {
      await work(x, y, start, subTask(task, start / count, end / count));
    } finally {
      tf.dispose([x, y]);
    }
    task?.onProgress?.({ fraction: end / count, message: `${end}/${count} images` });
    if (task) await yieldToEventLoop();
  }
}

/** Phase 4: DeepFool on the first M images; distances of the correctly classified ones. */
export async function deepFoolDistances(
  clf: Classifier,
  ds: ImageDataset,
  correct: boolean[],
  o: DistanceSettings,
  task: LongTask,
) {
  const perImage: (number | null)[] = new Array<number | null>(ds.count).fill(null);
  const estimate: number[] = [];
  const achieved: number[] = [];
  const iterations: number[] = [];
  let fooled = 0;
  let measured = 0;
  await forBatches(ds, o.deepFoolLimit, o.batchSize, task, async (x, _y, start, sub) => {
    const r = await deepFool(clf.logits, x, { overshoot: o.overshoot, maxIterations: o.maxIterations }, sub);
    r.adversarial.dispose();
    for (let i = 0; i < r.originalClass.length; i++) {
      if (!correct[start + i]) continue;
      measured++;
      iterations.push(r.iterations[i]);
      if (!r.fooled[i]) continue;
      fooled++;
      estimate.push(r.perturbationNorm[i]);
      achieved.push(r.distance[i]);
      perImage[start + i] = r.distance[i];
    }
  });
  const summary: DeepFoolDistanceSummary = {
    norm: 'l2',
    n: measured,
    overshoot: o.overshoot,
    maxIterations: o.maxIterations,
    clipToUnitBox: true,
    fooled,
    estimate: { definition: '||sum r_i||_2, without the overshoot', ...summarize(estimate) },
    achieved: { definition: '||x_adv - x||_2 with the overshoot, in [0,1]', ...summarize(achieved) },
    meanIterations: iterations.reduce((a, b) => a + b, 0) / Math.max(1, iterations.length),
  };
  return { perImage, summary };
}

/** Phase 5: the smallest L∞ ε at which PGD breaks each of the first M images, by bisection. */
export async function pgdDistances(
  clf: Classifier,
  ds: ImageDataset,
  correct: boolean[],
  o: DistanceSettings,
  task: LongTask,
) {
  const perImage: (number | null)[] = new Array<number | null>(ds.count).fill(null);
  const upper: number[] = [];
  let unbroken = 0;
  let runs = 0;
  await forBatches(ds, o.deepFoolLimit, o.batchSize, task, async (x, y, start, sub) => {
    const r = await pgdMinimalLinfDistance(clf.logits, x, y, { epsMax: o.epsMax, steps: o.steps, seed: o.seed }, sub);
    runs += r.pgdRuns;
    r.upper.forEach((u, i) => {
      if (!correct[start + i]) return;
      if (Number.isFinite(u)) {
        upper.push(u);
        perImage[start + i] = u;
      } else unbroken++;
    });
  });
  const summary: PgdDistanceSummary = {
    norm: 'linf',
    n: upper.length + unbroken,
    epsMax: o.epsMax,
    tolerance: DEFAULT_BISECTION_TOLERANCE,
    steps: o.steps,
    notBrokenAtEpsMax: unbroken,
    distance: summarize(upper),
    pgdRuns: runs,
  };
  return { perImage, summary };
}

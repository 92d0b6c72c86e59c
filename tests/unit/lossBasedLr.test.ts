/**
 * Lyu & Li's loss-based learning rate and the normalised margin in the trainer's reports:
 *  - the step size is α/𝓛 with 𝓛 the last kept epoch's mean loss, and α grows by 2^(1/5) per
 *    kept epoch (read back from the reports);
 *  - the reported normalised margin equals q_min/ρ^L computed here from the final model;
 *  - the homogeneous CNN counts as homogeneous with L = 4, and training lowers its loss;
 *  - an epoch whose loss rose is rolled back and rerun, against a hand-computed SGD step.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import { linearModel, robustVersusUsefulFeatures } from './helpers/robustFeatures';
import { loadMnist } from '../../src/cli/nodeFiles';
import { batchTensors, takeFirst, type ImageDataset } from '../../src/core/data/dataset';
import { countWeightLayers, isHomogeneousLike } from '../../src/core/metrics/margins';
import { buildModel } from '../../src/core/models/registry';
import { normOfArrays } from '../../src/core/metrics/parameterNorms';
import { trainingRecipe } from '../../src/core/train/recipes';
import { Trainer } from '../../src/core/train/trainer';
import type { TrainReport } from '../../src/core/train/trainerConfig';
import { seededPermutation } from '../../src/core/util/random';

let train: ImageDataset;

beforeAll(async () => {
  await useWasm();
  train = takeFirst(await loadMnist('train'), 256);
});

test('loss-based lr: α/𝓛 with α × 2^(1/5) per kept epoch; normalised margin = q_min/ρ^L', async () => {
  const { model } = buildModel('homogeneous-cnn', { seed: 3, size: 'classroom' });
  expect(isHomogeneousLike(model)).toBe(true);
  const layers = countWeightLayers(model);
  expect(layers).toBe(4);
  const recipe = trainingRecipe('homogeneous-cnn', 4, 3, { optimizer: 'loss-based' });
  expect(recipe.optimizer).toEqual({ kind: 'loss-based', learningRate: 0.1 });
  const trainer = new Trainer(model, train, {
    ...recipe,
    batchSize: 64,
    reportEvery: 4,
    marginTracking: { subset: train, layers },
  });
  const reports: TrainReport[] = [];
  await trainer.run({ onReport: (r) => reports.push(r) });
  // One report per epoch (4 batches of 64). The lr in report e was set when epoch e started.
  expect(reports.map((r) => r.epoch)).toEqual([0, 1, 2, 3]);
  expect(reports.at(-1)!.loss).toBeLessThan(reports[0].loss);
  for (let e = 1; e < reports.length; e++) {
    // Epoch e−1 was kept (its loss did not rise, checked below), so α = 0.1·2^(e/5) and 𝓛 = loss of epoch e−1.
    expect(reports[e].loss).toBeLessThanOrEqual(reports[e - 1].loss);
    const alpha = 0.1 * 2 ** (e / 5);
    expect(reports[e].learningRate).toBeCloseTo(alpha / reports[e - 1].loss, 6);
  }
  // The last report was taken at the end of epoch 3, with the final weights.
  const { x, y } = batchTensors(
    train,
    Int32Array.from({ length: train.count }, (_, i) => i),
  );
  const logits = (model.predict(x) as tf.Tensor2D).arraySync();
  const labels = y.arraySync();
  let qMin = Infinity;
  logits.forEach((z, n) => {
    const others = z.filter((_, j) => j !== labels[n]);
    qMin = Math.min(qMin, z[labels[n]] - Math.max(...others));
  });
  const rho = normOfArrays(model.getWeights().map((w) => w.dataSync()));
  expect(reports.at(-1)!.normalisedMargin!).toBeCloseTo(qMin / rho ** layers, 8);
  tf.dispose([x, y]);
  trainer.dispose();
  model.dispose();
});

// Lyu & Li's schedule (2020, §4 and their code): an epoch whose mean loss rose is undone — the weights go back to
// the snapshot taken when it began, α shrinks by 2^(1/10), and the same epoch runs again (same batch order) at step
// α/𝓛 with 𝓛 still the last kept epoch's loss; after 8 tries the epoch is kept. Checked on a linear softmax model
// with α = 3 (too large: epoch 1's loss rises every time), a report after every batch: the rerun's first SGD step
// is computed here by hand from the restored weights, W − η·Xᵀ(softmax(XW + b) − Y)/B.
test('loss-based lr: a rise is rolled back (weights, α / 2^(1/10)), the epoch rerun; kept after 8 tries', async () => {
  const data = robustVersusUsefulFeatures(40, 3);
  const model = linearModel(5);
  const trainer = new Trainer(model, data, {
    epochs: 3,
    batchSize: 20,
    seed: 2,
    optimizer: { kind: 'loss-based', learningRate: 3 },
    reportEvery: 1,
  });
  const reports: TrainReport[] = [];
  const weights: number[][][] = [];
  await trainer.run({
    onReport: (r) => {
      reports.push(r);
      weights.push(model.getWeights().map((w) => Array.from(w.dataSync())));
    },
  });
  trainer.dispose();
  model.dispose();
  const runsOfEpoch1 = 9; // the first try and 8 reruns
  expect(reports.map((r) => r.epoch)).toEqual([0, 0, ...new Array(2 * runsOfEpoch1).fill(1), 2, 2]);
  const epochLoss = (k: number) => (reports[k].loss + reports[k + 1].loss) / 2; // two batches of 20
  const loss0 = epochLoss(0);
  for (let t = 0; t < runsOfEpoch1; t++) {
    const k = 2 + 2 * t;
    // α = 3·2^(1/5) after epoch 0, then divided by 2^(1/10) per rollback; 𝓛 stays epoch 0's loss.
    expect(reports[k].learningRate).toBeCloseTo((3 * 2 ** (1 / 5) * 2 ** (-t / 10)) / loss0, 6);
    if (t < runsOfEpoch1 - 1) expect(epochLoss(k)).toBeGreaterThan(loss0); // it rose: rolled back
    // Restored: the first batch's loss (taken before its step) is the same on every try …
    expect(reports[k].loss).toBeCloseTo(reports[2].loss, 5);
    // … and the weights after it are one SGD step from the weights epoch 0 ended with.
    const expected = sgdStepByHand(weights[1], data, epochBatch(40, 2, 1, 20), reports[k].learningRate);
    expect(maxDiff(weights[k].flat(), expected.flat())).toBeLessThan(1e-4);
  }
  // The 9th try is kept although its loss rose; epoch 2 steps at α·2^(1/5)/𝓛₁.
  const kept = 2 + 2 * (runsOfEpoch1 - 1);
  const alpha = 3 * 2 ** (1 / 5) * 2 ** (-(runsOfEpoch1 - 1) / 10) * 2 ** (1 / 5);
  expect(reports.at(-1)!.learningRate).toBeCloseTo(alpha / epochLoss(kept), 6);
});

/** The indices of batch 0 of `epoch`: the trainer's seeded order (seed·7919 + epoch). */
function epochBatch(count: number, seed: number, epoch: number, batchSize: number): Int32Array {
  return seededPermutation(count, seed * 7919 + epoch).subarray(0, batchSize);
}

/** One plain SGD step of mean softmax cross-entropy for a dense layer [kernel d×k, bias k], in double precision. */
function sgdStepByHand(w: number[][], data: ImageDataset, batch: Int32Array, lr: number): number[][] {
  const [kernel, bias] = w;
  const k = bias.length;
  const d = kernel.length / k;
  const gK = new Array(d * k).fill(0);
  const gB = new Array(k).fill(0);
  for (const n of batch) {
    const x = Array.from({ length: d }, (_, i) => data.images[n * d + i] / 255);
    const z = bias.map((b, j) => x.reduce((s, v, i) => s + v * kernel[i * k + j], b));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let j = 0; j < k; j++) {
      const r = (e[j] / sum - (data.labels[n] === j ? 1 : 0)) / batch.length;
      gB[j] += r;
      for (let i = 0; i < d; i++) gK[i * k + j] += x[i] * r;
    }
  }
  return [kernel.map((v, i) => v - lr * gK[i]), bias.map((v, j) => v - lr * gB[j])];
}

function maxDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

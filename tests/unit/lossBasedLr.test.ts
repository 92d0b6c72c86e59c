/**
 * Lyu & Li's loss-based learning rate and the normalised margin in the trainer's reports:
 *  - the step size is α/𝓛 with 𝓛 the last kept epoch's mean loss, and α grows by 2^(1/5) per
 *    kept epoch (read back from the reports);
 *  - the reported normalised margin equals q_min/ρ^L computed here from the final model;
 *  - the homogeneous CNN counts as homogeneous with L = 4, and training lowers its loss.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import { loadMnist } from '../../src/cli/nodeFiles';
import { batchTensors, takeFirst, type ImageDataset } from '../../src/core/data/dataset';
import { countWeightLayers, isHomogeneousLike } from '../../src/core/metrics/margins';
import { buildModel } from '../../src/core/models/registry';
import { normOfArrays } from '../../src/core/metrics/parameterNorms';
import { trainingRecipe } from '../../src/core/train/recipes';
import { Trainer, type TrainReport } from '../../src/core/train/trainer';

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

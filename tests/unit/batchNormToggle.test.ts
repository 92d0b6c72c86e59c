/**
 * The worker's BN_clean / BN_adv switch (Xie & Yuille 2020, §4), what the attack lab's toggle calls: a split model's
 * prediction after the switch equals that of a second model with one ordinary batch norm holding that set's weights
 * (no routing at all), the summary reports the set in use, a backend rebuild keeps it, and a model without split batch
 * norm is refused by name.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, test } from 'vitest';
import { exampleAsFloat } from '../../src/core/data/dataset';
import { BatchNorm } from '../../src/core/models/layers/batchNorm';
import { modelToFiles } from '../../src/core/models/modelIO';
import { buildModel } from '../../src/core/models/registry';
import { modelApi } from '../../src/worker/models';
import { WorkerState } from '../../src/worker/workerState';
import { mnistTestFirst, useWasm } from './helpers/env';

const SET_PARTS = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

/** A split layer's weights by set and part, read by name (tfjs lists trainable weights before the others). */
function setWeightsOf(layer: BatchNorm, route: 'clean' | 'adv'): tf.Tensor[] {
  const byName = new Map(layer.weights.map((w, i) => [w.originalName.split('/').pop(), layer.getWeights()[i]]));
  return SET_PARTS.map((part) => byName.get(route === 'clean' ? part : `adv_${part}`)!);
}

/** Moves BN_clean away from BN_adv in every split layer, so the two sets give different outputs. */
function separateSets(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (!(layer instanceof BatchNorm) || layer.branches !== 2) continue;
    const values: Record<string, number> = { gamma: 1.7, beta: 0.4, moving_mean: 0.2, moving_variance: 2.5 };
    layer.setWeights(
      layer.weights.map((w) => {
        const name = w.originalName.split('/').pop()!;
        return name in values
          ? tf.fill(w.shape as number[], values[name])
          : layer.getWeights()[layer.weights.indexOf(w)];
      }),
    );
  }
}

/** The same network with one ordinary batch norm per place, holding the split model's `route` set. */
function singleSetCopy(split: tf.LayersModel, route: 'clean' | 'adv'): tf.LayersModel {
  const plain = buildModel('cnn', { seed: 1, norm: { norm: 'batch' } }).model;
  split.layers.forEach((layer, i) => {
    const w = layer.getWeights();
    if (layer instanceof BatchNorm && layer.branches === 2) {
      // The one-set layer's weights in its own order: γ, β, then the running mean and variance.
      plain.layers[i].setWeights(setWeightsOf(layer, route));
    } else plain.layers[i].setWeights(w);
  });
  return plain;
}

test('the switch makes the split model predict as a one-set copy with that set; the rebuild keeps it', async () => {
  await useWasm();
  const built = buildModel('cnn', { seed: 1, norm: { norm: 'batch', splitBatchNorm: true } });
  separateSets(built.model);
  const files = await modelToFiles(built.model, built.meta);
  const state = new WorkerState();
  const api = modelApi(state);
  expect((await state.installModel(files, 'test', 0)).batchNorm).toBe('adv');
  const image = exampleAsFloat(await mnistTestFirst(1), 0);
  const x = tf.tensor4d(image, [1, 28, 28, 1]);
  for (const route of ['clean', 'adv'] as const) {
    expect((await api.setBatchNormRoute(route)).batchNorm).toBe(route);
    const shown = (await api.predict(image)).probabilities;
    const copy = singleSetCopy(built.model, route);
    const reference = Array.from(await tf.softmax(copy.predict(x) as tf.Tensor).data());
    copy.dispose();
    for (const [k, p] of shown.entries()) expect(p).toBeCloseTo(reference[k], 5);
  }
  // The two sets really differ here, or the comparison above would prove nothing.
  const adv = (await api.predict(image)).probabilities;
  await api.setBatchNormRoute('clean');
  const clean = (await api.predict(image)).probabilities;
  expect(Math.max(...adv.map((p, k) => Math.abs(p - clean[k])))).toBeGreaterThan(1e-3);
  // A backend switch rebuilds the model from its files (saved on BN_adv): it must come back on BN_clean.
  await state.rebuildModel();
  const rebuilt = (await api.predict(image)).probabilities;
  for (const [k, p] of rebuilt.entries()) expect(p).toBeCloseTo(clean[k], 6);
  x.dispose();
  built.model.dispose();
});

test('a model without split batch norm has no set to switch, and says so', async () => {
  await useWasm();
  const built = buildModel('cnn', { seed: 1, norm: { norm: 'batch' } });
  const state = new WorkerState();
  const summary = await state.installModel(await modelToFiles(built.model, built.meta), 'test', 0);
  expect(summary.batchNorm).toBeUndefined();
  await expect(modelApi(state).setBatchNormRoute('clean')).rejects.toThrow(/no split batch norm/);
  built.model.dispose();
});

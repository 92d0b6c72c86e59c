/**
 * GroupNorm (src/core/models/layers/groupNorm.ts): the pure function against a plain-JS
 * computation, per-channel γ/β, independence of the batch, the layer's serialisation, and the
 * error for channels that do not split into the groups.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { MNIST_META, maxAbsDiff, mnistTestFirst, useWasm } from './helpers/env';
import { normals } from './helpers/random';
import { batchTensors, range } from '../../src/core/data/dataset';
import { defaultGroups, GroupNorm, groupNorm } from '../../src/core/models/layers/groupNorm';
import { classifierFromFiles, modelToFiles } from '../../src/core/models/modelIO';
import { buildModel } from '../../src/core/models/registry';
import { buildYanModel, yanConfig } from '../../src/core/models/yanModels';
import { InvalidOptionError } from '../../src/core/util/errors';

/** Reference GroupNorm in float64 plain JS, NHWC. */
function referenceGroupNorm(
  x: Float32Array,
  [n, h, w, c]: number[],
  groups: number,
  gamma: number[],
  beta: number[],
  eps = 1e-5,
): Float64Array {
  const out = new Float64Array(x.length);
  const per = c / groups;
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let p = 0; p < h * w; p++) for (let k = 0; k < per; k++) idx.push((b * h * w + p) * c + g * per + k);
      const mean = idx.reduce((s, i) => s + x[i], 0) / idx.length;
      const variance = idx.reduce((s, i) => s + (x[i] - mean) ** 2, 0) / idx.length; // biased, as GN uses
      for (const i of idx) {
        const ch = i % c;
        out[i] = (gamma[ch] * (x[i] - mean)) / Math.sqrt(variance + eps) + beta[ch];
      }
    }
  }
  return out;
}

describe('GroupNorm', () => {
  beforeAll(useWasm);

  test('a hand-built [1,2,2,4] tensor with 2 groups matches a plain-JS computation', () => {
    // pixel-major NHWC: 4 pixels × 4 channels. Group 0 = channels 0,1; group 1 = channels 2,3.
    const values = [1, 2, 10, -3, 3, 4, 20, 5, 5, 6, 30, 0, 7, 9, 40, 2];
    const shape = [1, 2, 2, 4];
    const gamma = [1, 2, 0.5, -1];
    const beta = [0, 1, -2, 3];
    // By hand: group 0 = {1,2,3,4,5,6,7,9}: mean 37/8 = 4.625, group 1 = {10,−3,20,5,30,0,40,2}: mean 13.
    const g0 = [1, 2, 3, 4, 5, 6, 7, 9];
    const m0 = 37 / 8;
    const v0 = g0.reduce((s, v) => s + (v - m0) ** 2, 0) / 8;
    expect(v0).toBeCloseTo(221 / 8 - m0 * m0, 9); // E[x²] − μ² = 6.234375
    const x = tf.tensor4d(values, shape as [number, number, number, number]);
    const y = groupNorm(x, 2, tf.tensor1d(gamma), tf.tensor1d(beta));
    const got = y.dataSync();
    const want = referenceGroupNorm(new Float32Array(values), shape, 2, gamma, beta);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    // Two entries by hand: x = 1 (channel 0) and x = 9 (channel 1).
    expect(got[0]).toBeCloseTo((1 - m0) / Math.sqrt(v0 + 1e-5), 5);
    expect(got[13]).toBeCloseTo((2 * (9 - m0)) / Math.sqrt(v0 + 1e-5) + 1, 5);
    // Each group, with γ = 1 and β = 0, has mean 0 and variance ≈ 1 (not per channel).
    const plain = groupNorm(x, 2, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D).dataSync();
    for (const g of [0, 1]) {
      const vals = [0, 1, 2, 3].flatMap((p) => [plain[p * 4 + 2 * g], plain[p * 4 + 2 * g + 1]]);
      const mean = vals.reduce((a, b) => a + b, 0) / 8;
      expect(mean).toBeCloseTo(0, 5);
      expect(vals.reduce((s, v) => s + v * v, 0) / 8).toBeCloseTo(1, 3);
    }
    tf.dispose([x, y]);
  });

  test(
    'random [3,5,4,6] with 3 groups (and with 1 and 6 groups) matches the reference; a constant group gives ' + 'β',
    () => {
      const shape = [3, 5, 4, 6];
      const data = normals(3 * 5 * 4 * 6, 11, 2);
      const gamma = Array.from(normals(6, 12)).map((v) => v + 1);
      const beta = Array.from(normals(6, 13));
      const x = tf.tensor4d(data, shape as [number, number, number, number]);
      for (const groups of [1, 3, 6]) {
        const y = groupNorm(x, groups, tf.tensor1d(gamma), tf.tensor1d(beta));
        expect(
          maxAbsDiff(y.dataSync(), referenceGroupNorm(data, shape, groups, gamma, beta)),
          `groups ${groups}`,
        ).toBeLessThan(1e-4);
        y.dispose();
      }
      // A constant group: x − μ = 0, so the output is β for those channels (ε keeps it finite).
      const constant = tf.fill([1, 2, 2, 4], 3) as tf.Tensor4D;
      const yc = groupNorm(constant, 2, tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0.5, -0.5, 1, 2]));
      expect(Array.from(yc.dataSync())).toEqual([0, 1, 2, 3].flatMap(() => [0.5, -0.5, 1, 2]));
      tf.dispose([x, constant, yc]);
    },
  );

  test('independent of the batch: example 0 is unchanged when example 1 changes', () => {
    const a = normals(2 * 3 * 3 * 4, 21);
    const b = a.slice();
    // Example 1 only, and not an affine change (GN is invariant to x → a·x + b per group).
    for (let i = 36; i < 72; i++) b[i] = b[i] ** 3 + (i % 4);
    const gamma = tf.tensor1d([1, 0.5, 2, -1]);
    const beta = tf.tensor1d([0, 1, 0, -1]);
    const ya = groupNorm(tf.tensor4d(a, [2, 3, 3, 4]), 2, gamma, beta).dataSync();
    const yb = groupNorm(tf.tensor4d(b, [2, 3, 3, 4]), 2, gamma, beta).dataSync();
    expect(maxAbsDiff(ya.slice(0, 36), yb.slice(0, 36))).toBe(0);
    expect(maxAbsDiff(ya.slice(36), yb.slice(36))).toBeGreaterThan(0.1);
  });

  test('channels not divisible by groups → error (function, layer, Yan model builder)', () => {
    const x = tf.zeros([1, 2, 2, 4]) as tf.Tensor4D;
    expect(() => groupNorm(x, 3, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D)).toThrow(
      /4 channels.*3 groups/,
    );
    const layer = new GroupNorm({ groups: 3 });
    expect(() => layer.apply(x)).toThrow();
    expect(() => buildYanModel({ ...yanConfig('odenet', 'classroom', 1), channels: 6, groups: 4 })).toThrow(
      InvalidOptionError,
    );
    x.dispose();
    // The paper's choice min(32, C), lowered to a divisor.
    expect([64, 16, 6, 48, 7].map(defaultGroups)).toEqual([32, 16, 6, 24, 7]);
  });

  test('the GroupNorm layer computes the pure function with its own γ, β, ε', () => {
    const layer = new GroupNorm({ groups: 2, epsilon: 1e-2 });
    const xData = normals(2 * 3 * 3 * 4, 31, 0.1); // small variance, so ε matters
    const x = tf.tensor4d(xData, [2, 3, 3, 4]);
    layer.apply(x); // builds
    const gamma = [1.5, -0.5, 2, 1];
    const beta = [0.1, 0.2, 0.3, 0.4];
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
    const y = layer.apply(x) as tf.Tensor;
    expect(maxAbsDiff(y.dataSync(), referenceGroupNorm(xData, [2, 3, 3, 4], 2, gamma, beta, 1e-2))).toBeLessThan(1e-5);
    expect(maxAbsDiff(y.dataSync(), referenceGroupNorm(xData, [2, 3, 3, 4], 2, gamma, beta, 1e-5))).toBeGreaterThan(
      1e-2,
    );
    tf.dispose([x, y]);
  });

  test(
    'a model with GroupNorm (non-default ε, trained-looking γ/β) survives modelToFiles → ' + 'classifierFromFiles',
    async () => {
      const input = tf.input({ shape: [28, 28, 1] });
      const conv = tf.layers
        .conv2d({ filters: 4, kernelSize: 3, kernelInitializer: tf.initializers.heNormal({ seed: 3 }) })
        .apply(input) as tf.SymbolicTensor;
      const gn = new GroupNorm({ groups: 2, epsilon: 1e-3, name: 'my_gn' }).apply(conv) as tf.SymbolicTensor;
      const pooled = tf.layers
        .globalAveragePooling2d({})
        .apply(tf.layers.reLU().apply(gn) as tf.SymbolicTensor) as tf.SymbolicTensor;
      const logits = tf.layers
        .dense({ units: 10, kernelInitializer: tf.initializers.heNormal({ seed: 4 }) })
        .apply(pooled) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: logits });
      const gnLayer = model.getLayer('my_gn');
      gnLayer.setWeights([tf.tensor1d([1.5, -0.5, 2, 0.7]), tf.tensor1d([0.1, 0.2, -0.3, 0.4])]);
      const files = await modelToFiles(model, MNIST_META);
      const clf = await classifierFromFiles(files);
      const loaded = clf.model.getLayer('my_gn') as GroupNorm;
      expect(loaded).toBeInstanceOf(GroupNorm);
      expect(loaded.groups).toBe(2);
      expect(loaded.epsilon).toBe(1e-3);
      expect(Array.from(loaded.getWeights()[0].dataSync())).toEqual(Array.from(new Float32Array([1.5, -0.5, 2, 0.7])));
      const ds = await mnistTestFirst(8);
      const { x, y } = batchTensors(ds, range(0, 8));
      const a = model.predict(x) as tf.Tensor;
      const b = clf.logits(x);
      expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
      tf.dispose([x, y, a, b]);
      model.dispose();
      clf.model.dispose();
    },
  );

  test('the registry ODENet (GroupNorm layers + OdeBlock) round-trips with identical outputs', async () => {
    const built = buildModel('odenet', { seed: 1, channels: 4, steps: 2 });
    // Move every weight off its (seeded, reproducible) initial value, so that a loader that
    // re-initialised instead of loading would be caught.
    built.model.setWeights(
      built.model
        .getWeights()
        .map((w, i) => tf.tidy(() => tf.add(w, tf.tensor(normals(w.size, 100 + i, 0.1), w.shape)))),
    );
    const files = await modelToFiles(built.model, built.meta);
    const clf = await classifierFromFiles(files);
    expect(clf.meta).toEqual(built.meta);
    const ds = await mnistTestFirst(8);
    const { x, y } = batchTensors(ds, range(0, 8));
    const a = built.model.predict(x) as tf.Tensor;
    const b = clf.logits(x);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    tf.dispose([x, y, a, b]);
    built.model.dispose();
    clf.model.dispose();
  });
});

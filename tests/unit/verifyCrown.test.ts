/**
 * CROWN (src/core/verify/crown.ts): every affine map's transpose against its forward map (⟨Λ, Wx⟩ = ⟨ΛW, x⟩),
 * soundness on small random networks (10,000 points of the box per network never beat a bound; exact at ε = 0),
 * tighter than IBP on small networks trained here on real MNIST images, the certification shortcut equal to the
 * full computation, gradients against finite differences, clear refusals, no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { maxAbs, maxAbsDiff, mnistTestFirst, smallCnn, useWasm } from './helpers/env';
import { normals, uniforms } from './helpers/random';
import { sampleExtremes, worstViolation } from './helpers/boxSampling';
import { loadMnist } from '../../src/cli/nodeFiles';
import { batchTensors, range, takeFirst } from '../../src/core/data/dataset';
import { buildYanModel, yanConfig } from '../../src/core/models/yanModels';
import { OdeBlock } from '../../src/core/models/layers/odeBlock';
import {
  crownChain,
  crownMarginLowerBounds,
  crownMarginLowerBoundsForCertification,
} from '../../src/core/verify/crown';
import { ibpMarginLowerBounds } from '../../src/core/verify/ibp';
import { layerGraph } from '../../src/core/verify/layerGraph';
import { linearMapOf } from '../../src/core/verify/linearMaps';
import { worstCaseLogits } from '../../src/core/verify/specification';
import { UnsupportedLayerError } from '../../src/core/util/errors';

function randomise(model: tf.LayersModel, seed: number, scale: number): tf.LayersModel {
  const weights = model.getWeights().map((w, i) => tf.tensor(normals(w.size, seed * 100 + i, scale), w.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

const dense = () =>
  tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 24 }),
      tf.layers.reLU(),
      tf.layers.dense({ units: 10 }),
    ],
  });

const conv = () =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, strides: 2, activation: 'relu' }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      tf.layers.conv2d({ filters: 6, kernelSize: 2, strides: 2, padding: 'same' }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });

describe('CROWN', () => {
  beforeAll(useWasm);

  test('every affine map: ⟨Λ, Wx⟩ = ⟨ΛW, x⟩ for its transpose (dense, conv, pooling, reshape)', async () => {
    const input = tf.input({ shape: [9, 9, 3] });
    const stack: tf.layers.Layer[] = [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 1, padding: 'valid' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      tf.layers.averagePooling2d({ poolSize: 1, strides: 1, padding: 'valid' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 5 }),
    ];
    let h: tf.SymbolicTensor = input;
    for (const layer of stack) h = layer.apply(h) as tf.SymbolicTensor;
    const model = randomise(tf.model({ inputs: input, outputs: h }), 1, 0.5);
    const flat = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 4, 2] })] });
    const nodes = [...layerGraph(model).nodes, ...layerGraph(flat).nodes];
    for (const node of nodes) {
      const map = linearMapOf(node)!;
      const [x, lambda] = [node.inputShapes[0], node.outputShape].map((s, i) =>
        tf.tensor(normals(3 * s.reduce((a, b) => a * b, 1), 7 + i), [3, ...s]),
      );
      const forward = tf.tidy(() => tf.sum(tf.mul(lambda, map.apply(x))));
      const backward = tf.tidy(() => tf.sum(tf.mul(map.transpose(lambda), x)));
      const [f, b] = [(await forward.data())[0], (await backward.data())[0]];
      expect(Math.abs(f - b)).toBeLessThan(1e-4 * (1 + Math.abs(f)));
      tf.dispose([x, lambda, forward, backward]);
    }
    model.dispose();
    flat.dispose();
  });

  const cases: [string, () => tf.LayersModel, number[], number][] = [
    ['dense (fused and separate ReLU)', () => randomise(dense(), 1, 0.12), [28, 28, 1], 0.01],
    ['conv (valid, same, strides) and average pooling', () => randomise(conv(), 2, 0.4), [12, 12, 1], 0.02],
  ];
  test.each(cases)('sound on %s: 10,000 points of the box stay above the bounds', async (_n, make, shape, eps) => {
    const model = make();
    const d = shape.reduce((a, b) => a * b, 1);
    let points = 0;
    for (let image = 0; image < 2; image++) {
      const pixels = uniforms(d, 20 + image);
      const x = tf.tensor(pixels, [1, ...shape]);
      const c = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1)) as tf.Tensor1D;
      const cls = (await c.data())[0];
      const zc = tf.tidy(() => {
        const z = model.predict(x) as tf.Tensor2D;
        return tf.sub(tf.gather(z, c, 1), z);
      });
      const bounds = {
        crown: crownMarginLowerBounds(model, x, c, eps, { intersectIbp: false }),
        crownIbp: crownMarginLowerBounds(model, x, c, eps, { intermediate: 'ibp', intersectIbp: false }),
        both: crownMarginLowerBounds(model, x, c, eps),
        atZero: crownMarginLowerBounds(model, x, c, 0, { intersectIbp: false }),
      };
      const ext = await sampleExtremes(model, pixels, shape, cls, eps, 5000, 30 + image);
      points += ext.points;
      for (const key of ['crown', 'crownIbp', 'both'] as const) {
        expect(worstViolation(ext, await bounds[key].data())).toBeLessThanOrEqual(0);
      }
      // At ε = 0 every ReLU is stable and the relaxation is the network itself.
      const clean = await zc.data();
      expect(maxAbsDiff(await bounds.atZero.data(), clean)).toBeLessThan(1e-4 * (1 + maxAbs(clean)));
      tf.dispose([x, c, zc, ...Object.values(bounds)]);
    }
    expect(points).toBeGreaterThanOrEqual(10_000);
    model.dispose();
  });

  // Sound at ε = 0.3 (a box covering most of [0.2, 0.8]²), for both intermediate bounds; and nearly tight at
  // ε = 0.02: CROWN's gap to the true minimum is at most a quarter of the margin's range over the box (measured up
  // to 0.18), and none where the network is linear on the box (seeds 1 and 2: no ReLU changes sign there), where
  // IBP still loses 4 % to 87 % of the range. A relaxation that is sound but loose fails the second part.
  test('two-pixel networks, gridded densely (10,000 points): sound at ε = 0.3, nearly tight at 0.02', async () => {
    const points: number[] = [];
    for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) points.push(0.2 + (0.6 * i) / 99, 0.2 + (0.6 * j) / 99);
    const grid = tf.tensor(points, [10_000, 1, 2, 1]);
    for (const seed of [1, 2, 3, 4]) {
      const model = randomise(
        tf.sequential({
          layers: [
            tf.layers.flatten({ inputShape: [1, 2, 1] }),
            tf.layers.dense({ units: 8, activation: 'relu' }),
            tf.layers.dense({ units: 8, activation: 'relu' }),
            tf.layers.dense({ units: 3 }),
          ],
        }),
        seed,
        1,
      );
      const x = tf.tensor([0.5, 0.5], [1, 1, 2, 1]);
      const c = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1)) as tf.Tensor1D;
      const trueMin = tf.tidy(() => {
        const z = model.predict(grid) as tf.Tensor2D;
        return tf.min(tf.sub(tf.gather(z, c, 1), z), 0);
      });
      const exact = await trueMin.data();
      for (const intermediate of ['crown', 'ibp'] as const) {
        const bound = crownMarginLowerBounds(model, x, c, 0.3, { intermediate, intersectIbp: false });
        const b = await bound.data();
        for (let j = 0; j < 3; j++) expect(b[j]).toBeLessThanOrEqual(exact[j] + 1e-4 * (1 + Math.abs(exact[j])));
        bound.dispose();
      }
      const eps = 0.02;
      const near: number[] = [];
      for (let i = 0; i < 100; i++) {
        for (let j = 0; j < 100; j++) near.push(0.5 - eps + (2 * eps * i) / 99, 0.5 - eps + (2 * eps * j) / 99);
      }
      const [lowest, highest] = tf.tidy(() => {
        const z = model.predict(tf.tensor(near, [10_000, 1, 2, 1])) as tf.Tensor2D;
        const m = tf.sub(tf.gather(z, c, 1), z);
        return [tf.min(m, 0), tf.max(m, 0)];
      });
      const [lo, hi] = [await lowest.data(), await highest.data()];
      const crown = crownMarginLowerBounds(model, x, c, eps, { intermediate: 'crown', intersectIbp: false });
      const b = await crown.data();
      for (let j = 0; j < 3; j++) {
        const slack = 1e-4 * (1 + Math.abs(lo[j]));
        expect(b[j], `seed ${seed}, class ${j}`).toBeLessThanOrEqual(lo[j] + slack);
        const allowed = seed <= 2 ? 0 : 0.25 * (hi[j] - lo[j]);
        expect(lo[j] - b[j], `seed ${seed}, class ${j}: CROWN's gap`).toBeLessThanOrEqual(allowed + slack);
      }
      tf.dispose([x, c, trueMin, lowest, highest, crown]);
      model.dispose();
    }
    grid.dispose();
  });

  describe('on small networks trained here on 600 MNIST images', () => {
    const trained: { name: string; model: tf.LayersModel }[] = [];
    let x: tf.Tensor4D;
    let y: tf.Tensor1D;
    beforeAll(async () => {
      const train = takeFirst(await loadMnist('train'), 600);
      const data = batchTensors(train, range(0, 600));
      const labels = tf.oneHot(data.y, 10);
      const nets = {
        dense: tf.sequential({
          layers: [
            tf.layers.flatten({ inputShape: [28, 28, 1] }),
            tf.layers.dense({
              units: 48,
              activation: 'relu',
              kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
            }),
            tf.layers.dense({
              units: 48,
              activation: 'relu',
              kernelInitializer: tf.initializers.heNormal({ seed: 2 }),
            }),
            tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.heNormal({ seed: 3 }) }),
          ],
        }),
        conv: tf.sequential({
          layers: [
            tf.layers.conv2d({
              inputShape: [28, 28, 1],
              filters: 8,
              kernelSize: 4,
              strides: 2,
              activation: 'relu',
              kernelInitializer: tf.initializers.heNormal({ seed: 4 }),
            }),
            tf.layers.conv2d({
              filters: 8,
              kernelSize: 4,
              strides: 2,
              activation: 'relu',
              kernelInitializer: tf.initializers.heNormal({ seed: 5 }),
            }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.heNormal({ seed: 6 }) }),
          ],
        }),
      };
      for (const [name, model] of Object.entries(nets)) {
        // Logits out, so the loss takes them through a softmax: train on a copy with a softmax head.
        const withSoftmax = tf.sequential({ layers: [model, tf.layers.softmax()] });
        withSoftmax.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
        await withSoftmax.fit(data.x, labels, { epochs: 8, batchSize: 50, shuffle: false, verbose: 0 });
        trained.push({ name, model });
      }
      tf.dispose([data.x, data.y, labels]);
      ({ x, y } = batchTensors(await mnistTestFirst(16), range(0, 16)));
    });

    test('they learned (≥ 80 % of 16 test images)', async () => {
      for (const { model } of trained) {
        const correct = tf.tidy(() =>
          tf.sum(tf.cast(tf.equal(tf.argMax(model.predict(x) as tf.Tensor, 1), y), 'int32')),
        );
        expect((await correct.data())[0]).toBeGreaterThanOrEqual(13);
        correct.dispose();
      }
    });

    test('CROWN is tighter than IBP, and the intersection is at least both', async () => {
      const [xs, ys] = [x.slice(0, 8), y.slice(0, 8)];
      for (const { model } of trained) {
        for (const eps of [0.01]) {
          const ibp = ibpMarginLowerBounds(model, xs, ys, eps);
          // (The certification shortcut: the same bounds, tested below, in a fraction of the time.)
          const crown = await crownMarginLowerBoundsForCertification(model, xs, ys, eps, { intersectIbp: false });
          const both = await crownMarginLowerBoundsForCertification(model, xs, ys, eps);
          const [i, c, b] = await Promise.all([ibp.data(), crown.data(), both.data()]);
          const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
          expect(mean(c)).toBeGreaterThan(mean(i));
          for (let k = 0; k < b.length; k++) expect(b[k]).toBeGreaterThanOrEqual(Math.max(i[k], c[k]) - 1e-5);
          tf.dispose([ibp, crown, both]);
        }
      }
      tf.dispose([xs, ys]);
    });

    test('the certification shortcut (only unstable neurons) gives the same bounds', async () => {
      const { model } = trained[1];
      const [xs, ys] = [x.slice(0, 4), y.slice(0, 4)];
      const full = crownMarginLowerBounds(model, xs, ys, 0.02);
      const fast = await crownMarginLowerBoundsForCertification(model, xs, ys, 0.02);
      expect(maxAbsDiff(await full.data(), await fast.data())).toBeLessThan(1e-4);
      tf.dispose([full, fast, xs, ys]);
    });

    test('CROWN-IBP is differentiable: its gradient matches finite differences', async () => {
      const { model } = trained[0];
      const bias = model.layers[2].weights[1].read() as tf.Variable;
      const xs = x.slice(0, 4);
      const ys = y.slice(0, 4);
      const loss = () =>
        tf.tidy(() => {
          const bound = crownMarginLowerBounds(model, xs, ys, 0.01, { intermediate: 'ibp', intersectIbp: false });
          return tf.losses.softmaxCrossEntropy(tf.oneHot(ys, 10), worstCaseLogits(bound)) as tf.Scalar;
        });
      const { grads, value } = tf.variableGrads(loss, [bias]);
      const g = await grads[bias.name].data();
      const original = await bias.data();
      const at = async (i: number, delta: number) => {
        const shifted = Float32Array.from(original);
        shifted[i] += delta;
        bias.assign(tf.tensor(shifted));
        const l = loss();
        const v = (await l.data())[0];
        l.dispose();
        return v;
      };
      for (const i of [0, 7, 20]) {
        const fd = ((await at(i, 1e-2)) - (await at(i, -1e-2))) / 2e-2;
        expect(g[i]).toBeCloseTo(fd, 2);
      }
      bias.assign(tf.tensor(original));
      tf.dispose([xs, ys, value, ...Object.values(grads)]);
    });

    test('no tensor is left behind', async () => {
      const [dense, conv] = trained.map((t) => t.model);
      tf.dispose(crownMarginLowerBounds(dense, x, y, 0.01));
      tf.dispose(crownMarginLowerBounds(conv, x, y, 0.01, { intermediate: 'ibp' }));
      const before = tf.memory().numTensors;
      tf.dispose(crownMarginLowerBounds(dense, x, y, 0.01));
      tf.dispose(await crownMarginLowerBoundsForCertification(conv, x, y, 0.01));
      tf.dispose(crownMarginLowerBounds(conv, x, y, 0.01, { intermediate: 'ibp', intersectIbp: false }));
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  describe('refusals name the layer and its class', () => {
    test('max-pooling, residual sums, GroupNorm, ODE blocks, non-ReLU activations', () => {
      const cnn = smallCnn(1);
      expect(() => crownChain(cnn)).toThrow(UnsupportedLayerError);
      expect(() => crownChain(cnn)).toThrow(/\(MaxPooling2D\).*max-pooling/);
      const resnet = buildYanModel(yanConfig('cnn', 'classroom', 1, { inputShape: [8, 8, 1], channels: 4 }));
      expect(() => crownChain(resnet)).toThrow(/"extract1_gn" \(GroupNorm\)/);
      const odeInput = tf.input({ shape: [6, 6, 4] });
      const block = new OdeBlock({
        channels: 4,
        groups: 2,
        timeDependent: false,
        useBias: false,
        solver: 'euler',
        steps: 2,
        endTime: 1,
        name: 'flow',
      });
      const ode = tf.model({ inputs: odeInput, outputs: block.apply(odeInput) as tf.SymbolicTensor });
      expect(() => crownChain(ode)).toThrow(/"flow" \(OdeBlock\)/);
      const tanh = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [4, 4, 1] }),
          tf.layers.dense({ units: 3, activation: 'tanh', name: 'th' }),
        ],
      });
      expect(() => crownChain(tanh)).toThrow(/"th" \(Dense\): its activation "tanh" is not ReLU/);
      const input = tf.input({ shape: [4] });
      const a = tf.layers.dense({ units: 4 }).apply(input) as tf.SymbolicTensor;
      const sum = tf.layers.add({ name: 'skip' }).apply([input, a]) as tf.SymbolicTensor;
      const branchy = tf.model({ inputs: input, outputs: sum });
      expect(() => crownChain(branchy)).toThrow(/"skip" \(Add\).*joins branches/);
      for (const m of [cnn, resnet, ode, tanh, branchy]) m.dispose();
    });
  });
});

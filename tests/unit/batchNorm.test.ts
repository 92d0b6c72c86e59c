/**
 * Batch norm and split batch norm (src/core/models/layers/batchNorm.ts): training and inference outputs and the
 * running averages against a plain-JS hand computation, the gradient against finite differences, split routing
 * (each set's running averages move only with its own images), crafting in inference mode leaving them alone,
 * the residual CNN's depth, and certification of a batch-norm model against its folded equivalent.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, useWasm } from './helpers/env';
import { normals, uniforms } from './helpers/random';
import { projectedGradientAttack } from '../../src/core/attacks/pgd';
import { BatchNorm, batchNormTraining, setBatchNormRoute } from '../../src/core/models/layers/batchNorm';
import { buildModel } from '../../src/core/models/registry';
import { residualBlockName } from '../../src/core/models/residualCnn';
import { adversarialObjective } from '../../src/core/train/adversarialTraining';
import { crownMarginLowerBounds } from '../../src/core/verify/crown';
import { ibpMarginLowerBounds } from '../../src/core/verify/ibp';
import { InvalidOptionError } from '../../src/core/util/errors';

/** Per-channel mean and variance (biased and unbiased) over every axis but the last, in float64. */
function channelStats(x: ArrayLike<number>, c: number): { mean: number[]; biased: number[]; unbiased: number[] } {
  const k = x.length / c;
  const mean = Array.from({ length: c }, (_, ch) => {
    let s = 0;
    for (let i = ch; i < x.length; i += c) s += x[i];
    return s / k;
  });
  const ss = Array.from({ length: c }, (_, ch) => {
    let s = 0;
    for (let i = ch; i < x.length; i += c) s += (x[i] - mean[ch]) ** 2;
    return s;
  });
  return { mean, biased: ss.map((s) => s / k), unbiased: ss.map((s) => s / (k - 1)) };
}

const weightValues = async (layer: tf.layers.Layer, name: string) =>
  Array.from(
    await layer.weights
      .find((w) => w.originalName.endsWith(`/${name}`))!
      .read()
      .data(),
  );

async function setWeight(layer: tf.layers.Layer, name: string, values: number[]): Promise<void> {
  layer.weights.find((w) => w.originalName.endsWith(`/${name}`))!.write(tf.tensor1d(values));
}

/** A model of just one batch-norm layer on [2, 3] channels-last input. */
function bnModel(branches: 1 | 2, shape: number[]): { model: tf.LayersModel; bn: BatchNorm } {
  const bn = new BatchNorm({ branches });
  const input = tf.input({ shape });
  const model = tf.model({ inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor });
  return { model, bn };
}

describe('batch norm', () => {
  beforeAll(useWasm);

  test('training mode normalises each channel by its batch statistics and moves the running averages', async () => {
    const shape = [3, 2, 2, 2];
    const values = Array.from(normals(24, 5, 2)).map((v, i) => v + (i % 2 === 0 ? 3 : -1));
    const { model, bn } = bnModel(1, shape.slice(1));
    const gamma = [1.5, -0.5];
    const beta = [0.25, 2];
    await setWeight(bn, 'gamma', gamma);
    await setWeight(bn, 'beta', beta);
    const x = tf.tensor4d(values, shape as [number, number, number, number]);
    const y = await (model.apply(x, { training: true }) as tf.Tensor).data();
    const { mean, biased, unbiased } = channelStats(values, 2);
    const expected = values.map((v, i) => {
      const ch = i % 2;
      return (gamma[ch] * (v - mean[ch])) / Math.sqrt(biased[ch] + 1e-5) + beta[ch];
    });
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-4);
    // Ioffe & Szegedy's running averages with momentum 0.9 from (0, 1), the variance unbiased.
    expect(
      maxAbsDiff(
        await weightValues(bn, 'moving_mean'),
        mean.map((m) => 0.1 * m),
      ),
    ).toBeLessThan(1e-5);
    expect(
      maxAbsDiff(
        await weightValues(bn, 'moving_variance'),
        unbiased.map((v) => 0.9 + 0.1 * v),
      ),
    ).toBeLessThan(1e-4);
    x.dispose();
  });

  test('inference mode is the affine map of the running statistics and leaves them alone', async () => {
    const { model, bn } = bnModel(1, [4]);
    await setWeight(bn, 'gamma', [2, 1, 0.5, -1]);
    await setWeight(bn, 'beta', [0, 1, -1, 3]);
    await setWeight(bn, 'moving_mean', [1, -2, 0.5, 0]);
    await setWeight(bn, 'moving_variance', [4, 0.25, 1, 9]);
    const x = tf.tensor2d([
      [3, -2, 1.5, 3],
      [0, 0, 0, 0],
    ]);
    const y = await (model.apply(x, { training: false }) as tf.Tensor).data();
    const hand = [
      [(2 * 2) / Math.sqrt(4 + 1e-5), 1 + 0, (0.5 * 1) / Math.sqrt(1 + 1e-5) - 1, (-1 * 3) / Math.sqrt(9 + 1e-5) + 3],
      [(2 * -1) / Math.sqrt(4 + 1e-5), (1 * 2) / Math.sqrt(0.25 + 1e-5) + 1, (0.5 * -0.5) / Math.sqrt(1 + 1e-5) - 1, 3],
    ].flat();
    expect(maxAbsDiff(y, hand)).toBeLessThan(1e-5);
    expect(await weightValues(bn, 'moving_mean')).toEqual([1, -2, 0.5, 0]);
    x.dispose();
  });

  test('the training-mode gradient matches finite differences (through the fused kernel on wasm)', async () => {
    const shape: [number, number, number, number] = [2, 3, 2, 3];
    const x0 = normals(36, 11, 1.5);
    const w = tf.tensor4d(normals(36, 12), shape);
    const gamma = tf.tensor1d([1.2, -0.7, 0.4]);
    const beta = tf.tensor1d([0.1, 0.2, -0.3]);
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.tanh(batchNormTraining(x, gamma, beta)), w));
    const x = tf.tensor4d(x0, shape);
    const grad = await tf.grad(f)(x).data();
    const h = 1e-2;
    for (const i of [0, 7, 20, 35]) {
      const plus = Float32Array.from(x0);
      const minus = Float32Array.from(x0);
      plus[i] += h;
      minus[i] -= h;
      const fp = (await f(tf.tensor4d(plus, shape)).data())[0];
      const fm = (await f(tf.tensor4d(minus, shape)).data())[0];
      expect(grad[i]).toBeCloseTo((fp - fm) / (2 * h), 2);
    }
    tf.dispose([x, w, gamma, beta]);
  });

  test('split batch norm routes each batch to its own statistics', async () => {
    const { model, bn } = bnModel(2, [2]);
    const clean = tf.tensor2d([5, 1, 7, 3, 9, 5], [3, 2]);
    const adv = tf.tensor2d([-4, 10, -6, 20], [2, 2]);
    setBatchNormRoute(model, 'clean');
    tf.dispose(model.apply(clean, { training: true }) as tf.Tensor);
    expect(await weightValues(bn, 'moving_mean')).toEqual([0.7, 0.3].map((v) => expect.closeTo(v, 5)));
    expect(await weightValues(bn, 'adv_moving_mean')).toEqual([0, 0]);
    expect(await weightValues(bn, 'adv_moving_variance')).toEqual([1, 1]);
    setBatchNormRoute(model, 'adv');
    tf.dispose(model.apply(adv, { training: true }) as tf.Tensor);
    // BN_adv: mean (−5, 15), unbiased variance (2, 50); BN_clean as after the clean batch.
    expect(await weightValues(bn, 'adv_moving_mean')).toEqual([-0.5, 1.5].map((v) => expect.closeTo(v, 5)));
    expect(await weightValues(bn, 'adv_moving_variance')).toEqual([1.1, 5.9].map((v) => expect.closeTo(v, 4)));
    expect(await weightValues(bn, 'moving_mean')).toEqual([0.7, 0.3].map((v) => expect.closeTo(v, 5)));
    expect(await weightValues(bn, 'moving_variance')).toEqual([0.9 + 0.4, 0.9 + 0.4].map((v) => expect.closeTo(v, 4)));
    tf.dispose([clean, adv]);
  });

  test('crafting adversarial examples in inference mode leaves the running statistics untouched', async () => {
    const built = buildModel('cnn', { seed: 3, norm: { norm: 'batch', splitBatchNorm: true } });
    const x = tf.tensor4d(uniforms(4 * 784, 4), [4, 28, 28, 1]);
    const y = tf.tensor1d([0, 1, 2, 3], 'int32');
    // Non-trivial statistics first: one training-mode pass on each route.
    for (const route of ['clean', 'adv'] as const) {
      setBatchNormRoute(built.model, route);
      tf.dispose(built.model.apply(x, { training: true }) as tf.Tensor);
    }
    const before = await Promise.all(built.model.getWeights().map((w) => w.data()));
    const adv = await projectedGradientAttack(
      (z) => built.model.apply(z, { training: false }) as tf.Tensor2D,
      x,
      { labels: y },
      { eps: 0.1, alpha: 0.05, steps: 3, norm: 'linf', randomStart: true, restarts: 1, seed: 1 },
    );
    const objective = adversarialObjective({ method: 'pgd', eps: 0.1, steps: 2, cleanShare: 1, batchNorm: 'split' });
    const prepared = await objective.prepare!(built.model, x, y, { epoch: 0, epochProgress: 0, epochs: 1, seed: 2 });
    const after = await Promise.all(built.model.getWeights().map((w) => w.data()));
    for (const [i, b] of before.entries()) expect(maxAbsDiff(b, after[i])).toBe(0);
    tf.dispose([x, y, adv, ...prepared]);
  });

  test('a split-BN objective refuses a model without split batch norm, by name', async () => {
    const built = buildModel('cnn', { seed: 3, norm: { norm: 'batch' } });
    const objective = adversarialObjective({ method: 'pgd', eps: 0.1, steps: 1, cleanShare: 1, batchNorm: 'split' });
    const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    const y = tf.tensor1d([0, 1], 'int32');
    await expect(
      objective.prepare!(built.model, x, y, { epoch: 0, epochProgress: 0, epochs: 1, seed: 1 }),
    ).rejects.toThrow(/split batch norm needs a model built with it/);
    expect(() => adversarialObjective({ method: 'pgd', eps: 0.1, batchNorm: 'split' })).toThrow(InvalidOptionError);
    tf.dispose([x, y]);
  });

  test('the residual CNN builds the stated number of blocks at fixed width', () => {
    for (const depth of [1, 3, 5]) {
      const { model } = buildModel('res-cnn', { seed: 1, width: 8, depth });
      const adds = model.layers.filter((l) => l.getClassName() === 'Add');
      expect(adds.map((l) => l.name)).toEqual(Array.from({ length: depth }, (_, b) => residualBlockName(b + 1, 'add')));
      // stem 3·3·1·8 + 8, each block 2·(3·3·8·8 + 8), head 8·10 + 10: counted by hand.
      expect(model.countParams()).toBe(80 + depth * 1168 + 90);
      model.dispose();
    }
  });
});

describe('certification of a batch-norm model', () => {
  beforeAll(useWasm);

  test('IBP and CROWN bounds equal those of the model with batch norm folded into the conv', async () => {
    const bnInput = tf.input({ shape: [6, 6, 1] });
    const conv = tf.layers.conv2d({
      filters: 3,
      kernelSize: 3,
      kernelInitializer: tf.initializers.heNormal({ seed: 2 }),
    });
    const bn = new BatchNorm({});
    const dense = tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.heNormal({ seed: 3 }) });
    const head = [tf.layers.reLU(), tf.layers.flatten(), dense];
    let z = bn.apply(conv.apply(bnInput)) as tf.SymbolicTensor;
    for (const l of head) z = l.apply(z) as tf.SymbolicTensor;
    const withBn = tf.model({ inputs: bnInput, outputs: z });
    const gamma = [1.5, -0.8, 0.3];
    const beta = [0.2, -0.1, 0.5];
    const mean = [0.4, -0.3, 0.1];
    const variance = [2, 0.5, 1.2];
    await setWeight(bn, 'gamma', gamma);
    await setWeight(bn, 'beta', beta);
    await setWeight(bn, 'moving_mean', mean);
    await setWeight(bn, 'moving_variance', variance);
    // Fold by hand: W'[..., c] = W[..., c]·s_c, b'_c = (b_c − m_c)·s_c + β_c with s_c = γ_c / √(v_c + ε).
    const s = gamma.map((g, c) => g / Math.sqrt(variance[c] + 1e-5));
    const [kernel, bias] = conv.getWeights();
    const k = await kernel.data();
    const b = await bias.data();
    const folded = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [6, 6, 1],
          filters: 3,
          kernelSize: 3,
          activation: 'relu',
          weights: [
            tf.tensor4d(
              Array.from(k, (v, i) => v * s[i % 3]),
              kernel.shape as [number, number, number, number],
            ),
            tf.tensor1d(Array.from(b, (v, c) => (v - mean[c]) * s[c] + beta[c])),
          ],
        }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, weights: dense.getWeights() }),
      ],
    });
    const x = tf.tensor4d(uniforms(2 * 36, 9), [2, 6, 6, 1]);
    const classes = tf.tensor1d([0, 2], 'int32');
    const plain = (await folded.predict(x)) as tf.Tensor;
    const viaBn = withBn.predict(x) as tf.Tensor;
    expect(maxAbsDiff(await plain.data(), await viaBn.data())).toBeLessThan(1e-5);
    for (const bound of [ibpMarginLowerBounds, crownMarginLowerBounds]) {
      const a = await bound(withBn, x, classes, 0.05).data();
      const f = await bound(folded, x, classes, 0.05).data();
      expect(maxAbsDiff(a, f)).toBeLessThan(1e-4);
    }
  });
});

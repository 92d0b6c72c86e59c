/**
 * The project's fused and shortcut wasm kernels against tfjs' cpu backend at odd shapes: GroupNorm
 * forward and the gradients of x, γ and β (cpu runs the composite of tfjs ops, differentiated by
 * tfjs' autodiff: an independent implementation), Sum over leading axes, and Identity without a
 * copy (the alias must survive the input's disposal).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbs, maxAbsDiff, useWasm } from './helpers/env';
import { normals } from './helpers/random';
import { GROUP_NORM } from '../../src/core/backend/wasmKernels/groupNorm';
import { leadingAxesCount } from '../../src/core/backend/wasmKernels/sum';
import { withInputGradientsOnly } from '../../src/core/backend/inputGradientScope';
import { groupNorm } from '../../src/core/models/layers/groupNorm';
import { buildModel } from '../../src/core/models/registry';

type Shape4 = [number, number, number, number];
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

async function onBackend<T>(name: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await tf.setBackend(name);
  expect(tf.getBackend()).toBe(name);
  return fn();
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string, rel = 1e-4): void {
  expect(maxAbsDiff(actual, expected), what).toBeLessThan(rel * Math.max(1, maxAbs(expected)));
}

const GN_CASES: { x: Shape4; groups: number }[] = [
  { x: [3, 5, 7, 12], groups: 4 },
  { x: [2, 3, 3, 6], groups: 6 }, // one channel a group (instance norm)
  { x: [1, 4, 5, 9], groups: 1 }, // one group (layer norm)
  { x: [5, 1, 1, 8], groups: 2 }, // one pixel: each group is its channels only
  { x: [2, 13, 13, 64], groups: 32 }, // the paper-size models
];

/** y, and the gradients of Σ y·r with respect to x, γ and β, with a shifted, scaled input. */
function gnAll(c: { x: Shape4; groups: number }, seed: number) {
  return tf.tidy(() => {
    const ch = c.x[3];
    const x = tf.tensor4d(
      normals(size(c.x), seed, 3).map((v) => v + 5),
      c.x,
    );
    const gamma = tf.tensor1d(normals(ch, seed + 1).map((v) => v + 1));
    const beta = tf.tensor1d(normals(ch, seed + 2));
    const r = tf.tensor4d(normals(size(c.x), seed + 3), c.x);
    const loss = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(groupNorm(xx as tf.Tensor4D, c.groups, g as tf.Tensor1D, b as tf.Tensor1D), r));
    const [dx, dg, db] = tf.grads(loss)([x, gamma, beta]);
    const y = groupNorm(x, c.groups, gamma, beta);
    return [y, dx, dg, db].map((t) => t.dataSync() as Float32Array);
  });
}

describe('fused wasm kernels vs the cpu backend', () => {
  beforeAll(useWasm);
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  test('GroupNorm runs as the fused kernel on wasm only', async () => {
    expect(tf.getKernel(GROUP_NORM, 'wasm')).toBeDefined();
    expect(tf.getKernel(GROUP_NORM, 'cpu')).toBeUndefined();
  });

  test.each(GN_CASES.map((c, i) => [i, c] as const))('GroupNorm forward and gradients, case %i: %o', async (i, c) => {
    const ref = await onBackend('cpu', () => gnAll(c, 40 * i + 1));
    const got = await onBackend('wasm', () => gnAll(c, 40 * i + 1));
    const names = ['forward', 'dx', 'dγ', 'dβ'];
    for (let k = 0; k < 4; k++) expectClose(got[k], ref[k], names[k]);
    expect(maxAbs(ref[1])).toBeGreaterThan(0.01); // not a comparison of zeros
    expect(maxAbs(ref[2])).toBeGreaterThan(0.01);
  });

  test('GroupNorm input gradient alone (what an attack asks for) equals the one from tf.grads', async () => {
    const c = GN_CASES[0];
    const grads = await onBackend('wasm', () => gnAll(c, 7));
    const dxOnly = await onBackend('wasm', () =>
      tf.tidy(() => {
        const ch = c.x[3];
        const x = tf.tensor4d(
          normals(size(c.x), 7, 3).map((v) => v + 5),
          c.x,
        );
        const gamma = tf.tensor1d(normals(ch, 8).map((v) => v + 1));
        const beta = tf.tensor1d(normals(ch, 9));
        const r = tf.tensor4d(normals(size(c.x), 10), c.x);
        const f = (xx: tf.Tensor) => tf.sum(tf.mul(groupNorm(xx as tf.Tensor4D, c.groups, gamma, beta), r));
        return tf.grad(f)(x).dataSync() as Float32Array;
      }),
    );
    expectClose(dxOnly, grads[1], 'dx alone');
  });

  test('Sum over leading axes (and the stock road for other axes) matches cpu, keepDims included', async () => {
    const shape: Shape4 = [3, 5, 7, 4];
    const data = normals(size(shape), 77);
    const cases: { axes: number | number[]; keep: boolean }[] = [
      { axes: [0, 1, 2], keep: false },
      { axes: [2, 0, 1], keep: true },
      { axes: 0, keep: false },
      { axes: [0, 1], keep: true },
      { axes: [-4, -3], keep: false },
      { axes: [1, 2], keep: false }, // not leading: the stock kernel
      { axes: [0, 1, 2, 3], keep: false }, // everything: the stock kernel
    ];
    for (const c of cases) {
      const run = () =>
        tf.tidy(() => {
          const s = tf.sum(tf.tensor4d(data, shape), c.axes, c.keep);
          return { shape: s.shape, values: s.dataSync() as Float32Array };
        });
      const ref = await onBackend('cpu', run);
      const got = await onBackend('wasm', run);
      expect(got.shape, JSON.stringify(c)).toEqual(ref.shape);
      expectClose(got.values, ref.values, JSON.stringify(c), 1e-5);
    }
    expect(leadingAxesCount([0, 1, 2], 4)).toBe(3);
    expect(leadingAxesCount([1, 2], 4)).toBe(0);
    expect(leadingAxesCount([0, 1, 2, 3], 4)).toBe(0);
  });

  test('Identity shares memory, and the alias outlives the input', async () => {
    await onBackend('wasm', () => {
      const before = tf.memory().numTensors;
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const y = x.clone();
      x.dispose();
      expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  test('an input gradient inside withInputGradientsOnly is the full one; filter gradients are skipped', async () => {
    await onBackend('wasm', () => {
      // A Yan et al. CNN: tf.layers.conv2d runs the fused convolution, whose gradient computes all inputs' at once.
      const { model } = buildModel('yan-cnn', { seed: 3, channels: 8 });
      const x = tf.tensor4d(
        normals(2 * 28 * 28, 31).map((v) => Math.abs(v) / 3),
        [2, 28, 28, 1],
      );
      const f = (input: tf.Tensor) => tf.sum(tf.square(model.apply(input, { training: false }) as tf.Tensor));
      const full = tf.grad(f)(x);
      const scoped = withInputGradientsOnly(() => tf.grad(f)(x));
      expectClose(scoped.dataSync() as Float32Array, full.dataSync() as Float32Array, 'input gradient', 1e-6);
      expect(maxAbs(full.dataSync() as Float32Array)).toBeGreaterThan(0);
      // The contract, stated: inside the scope a convolution's filter gradient is zeros.
      const xs = tf.randomNormal([1, 5, 5, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
      const dyShape: [number, number, number, number] = [1, 5, 5, 3];
      const dy = tf.ones(dyShape);
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape };
      const filterGrad = () => tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy }, attrs) as tf.Tensor;
      const skipped = withInputGradientsOnly(filterGrad);
      const computed = filterGrad();
      expect(maxAbs(skipped.dataSync() as Float32Array)).toBe(0);
      expect(maxAbs(computed.dataSync() as Float32Array)).toBeGreaterThan(0);
      tf.dispose([x, full, scoped, xs, w, dy, skipped, computed]);
      model.dispose();
    });
  });
});

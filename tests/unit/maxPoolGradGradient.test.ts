/**
 * The gradient of MaxPoolGrad (src/core/backend/maxPoolGradGradient.ts) — a gradient differentiated again through
 * max pooling — against central finite differences, and the gather against a brute-force loop.
 *
 * h(x) = Σ v ⊙ maxPool(x)² has the input gradient ∇h = MaxPoolGrad(2 v ⊙ maxPool(x), x, maxPool(x)), and
 * L(x) = Σ c ⊙ ∇h(x) differentiates through that MaxPoolGrad. Away from ties L is linear in x on each piece
 * (the window maxima stay put), so central differences of L — each computed with first-order gradients only —
 * give ∂L/∂x to rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { gatherAtFirstMaxima } from '../../src/core/backend/maxPoolGradGradient';
import { useWasm } from './helpers/env';

type Pool = { size: [number, number]; strides: [number, number]; pad: 'valid' | 'same' };

const POOLS: [string, Pool][] = [
  ['2×2 stride 2 valid (the CIFAR-10 CNN)', { size: [2, 2], strides: [2, 2], pad: 'valid' }],
  ['3×3 stride 2 same (overlapping, padded)', { size: [3, 3], strides: [2, 2], pad: 'same' }],
];

/** Distinct values (a permutation scaled), so no window has two maxima and a step of `h` moves no maximum. */
function distinctInput(shape: [number, number, number, number], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return Float32Array.from(order, (k) => (k - n / 2) / 8);
}

describe('the gradient of MaxPoolGrad', () => {
  test.each(POOLS)('%s: ∂/∂x of Σ c ⊙ ∇h(x) matches central differences', async (_name, pool) => {
    await useWasm();
    const shape: [number, number, number, number] = [2, 5, 6, 3];
    const x0 = tf.tensor4d(distinctInput(shape, 7), shape);
    const pooledShape = tf.maxPool(x0, pool.size, pool.strides, pool.pad).shape;
    const v = tf.randomNormal(pooledShape, 0, 1, 'float32', 3);
    const c = tf.randomNormal(shape, 0, 1, 'float32', 4);
    const h = (x: tf.Tensor4D) => tf.sum(tf.mul(v, tf.square(tf.maxPool(x, pool.size, pool.strides, pool.pad))));
    const gradH = tf.grad((x: tf.Tensor) => h(x as tf.Tensor4D));
    const L = (x: tf.Tensor4D) => tf.sum(tf.mul(c, gradH(x)));

    const analytic = await tf
      .grad((x: tf.Tensor) => L(x as tf.Tensor4D))(x0)
      .data();
    const base = await x0.data();
    const step = 1e-2; // a sixteenth of the gap between neighbouring values: no maximum moves
    let checked = 0;
    for (let i = 0; i < base.length; i += 5) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i] += step;
      minus[i] -= step;
      const lp = (await L(tf.tensor4d(plus, shape)).data())[0];
      const lm = (await L(tf.tensor4d(minus, shape)).data())[0];
      expect(analytic[i]).toBeCloseTo((lp - lm) / (2 * step), 2);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
    // Not all zero: the second-order term is really there (2 c·v at each window's maximum).
    expect(Array.from(analytic).filter((a) => Math.abs(a) > 1e-3).length).toBeGreaterThan(10);
  });

  test('the gather takes g at the first maximum of each window (ties included), as a brute-force loop', async () => {
    await useWasm();
    // One image, one channel, 4×4 in 2×2 windows; the first window is all zeros (ReLU-like ties).
    const xValues = [0, 0, 1, 3, 0, 0, 3, 2, 5, -1, 2, 2, 4, 5, 2, 1];
    const gValues = Array.from({ length: 16 }, (_, i) => 10 + i);
    const x = tf.tensor4d(xValues, [1, 4, 4, 1]);
    const g = tf.tensor4d(gValues, [1, 4, 4, 1]);
    const y = tf.maxPool(x, 2, 2, 'valid');
    const gathered = await gatherAtFirstMaxima(g, x, y, { filterSize: 2, strides: 2, pad: 'valid' }).data();
    const expected: number[] = [];
    for (let oh = 0; oh < 2; oh++) {
      for (let ow = 0; ow < 2; ow++) {
        let best = -Infinity;
        let at = -1;
        for (let dh = 0; dh < 2; dh++) {
          for (let dw = 0; dw < 2; dw++) {
            const k = (2 * oh + dh) * 4 + 2 * ow + dw;
            if (xValues[k] > best) [best, at] = [xValues[k], k];
          }
        }
        expected.push(gValues[at]);
      }
    }
    expect(Array.from(gathered)).toEqual(expected);
    // By hand: windows (0,0) all zeros → first (g 10); (0,1) max 3 first at index 3 (g 13); (1,0) 5 at 8 (g 18) and
    // again at 13, first wins; (1,1) 2 at 10 (g 20) and 11 and 14.
    expect(expected).toEqual([10, 13, 18, 20]);
  });
});

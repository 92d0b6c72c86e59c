/**
 * The project's wasm kernels (Conv2DBackpropFilter, Conv2DBackpropInput, MaxPoolGrad) against
 * tfjs' cpu backend, through tf.grad of conv2d / maxPool, on random data and odd geometries.
 * The upstream gradient is random (loss = Σ op(x)·r), so a mis-indexed dy would show.
 */
import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbs, maxAbsDiff, useWasm } from './helpers/env';
import { normals } from './helpers/random';
import { PROJECT_WASM_KERNELS } from '../../src/core/backend/wasmKernels/registerWasmKernels';
import { col2imAdd } from '../../src/core/backend/wasmKernels/conv2dBackpropInput';

type Shape4 = [number, number, number, number];

interface ConvCase {
  x: Shape4;
  w: Shape4;
  strides: number | [number, number];
  pad: 'valid' | 'same';
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 7, 3], w: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [2, 9, 7, 3], w: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [1, 11, 10, 2], w: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [2, 11, 10, 1], w: [3, 3, 1, 2], strides: 2, pad: 'valid' },
  { x: [1, 10, 9, 2], w: [4, 4, 2, 3], strides: 2, pad: 'same' }, // even kernel: asymmetric padding
  { x: [1, 7, 8, 1], w: [5, 5, 1, 1], strides: 1, pad: 'same' },
  { x: [2, 8, 9, 4], w: [2, 3, 4, 2], strides: [2, 1], pad: 'valid' },
  { x: [1, 9, 9, 1], w: [1, 1, 1, 6], strides: 2, pad: 'valid' },
  { x: [3, 28, 28, 1], w: [3, 3, 1, 16], strides: 1, pad: 'valid' }, // the shipped CNN's first layer
  // Four or more input channels: the input gradient by phases (strided) or by convolution.
  { x: [2, 11, 10, 5], w: [3, 3, 5, 4], strides: 2, pad: 'same' },
  { x: [1, 10, 9, 6], w: [4, 4, 6, 3], strides: 2, pad: 'same' },
  { x: [2, 9, 12, 4], w: [4, 4, 4, 5], strides: 2, pad: 'valid' }, // the last rows are dropped
  { x: [1, 13, 13, 8], w: [5, 5, 8, 2], strides: 3, pad: 'same' },
  { x: [1, 8, 8, 4], w: [1, 1, 4, 3], strides: 2, pad: 'valid' }, // phases without a tap stay zero
  { x: [2, 9, 7, 4], w: [2, 5, 4, 3], strides: [1, 2], pad: 'same' },
  { x: [2, 26, 26, 8], w: [4, 4, 8, 8], strides: 2, pad: 'same' }, // the Yan et al. extractor's geometry
  { x: [2, 7, 9, 16], w: [3, 3, 16, 5], strides: 1, pad: 'same' },
];

interface PoolCase {
  x: Shape4;
  size: number;
  strides: number;
  pad: 'valid' | 'same';
}

const POOL_CASES: PoolCase[] = [
  { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [1, 9, 7, 2], size: 2, strides: 2, pad: 'valid' }, // odd: last row / column dropped
  { x: [1, 9, 7, 2], size: 2, strides: 2, pad: 'same' },
  { x: [2, 9, 9, 2], size: 3, strides: 2, pad: 'same' },
  { x: [1, 8, 10, 1], size: 3, strides: 2, pad: 'same' },
  { x: [1, 6, 7, 3], size: 2, strides: 1, pad: 'same' },
  { x: [1, 7, 7, 1], size: 3, strides: 1, pad: 'valid' }, // overlapping windows
  { x: [4, 26, 26, 16], size: 2, strides: 2, pad: 'valid' }, // the shipped CNN's first pool
];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

async function onBackend<T>(name: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await tf.setBackend(name);
  expect(tf.getBackend()).toBe(name);
  return fn();
}

function convGrads(c: ConvCase, seed: number): { dx: Float32Array; dw: Float32Array; y: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(normals(size(c.x), seed), c.x);
    const w = tf.tensor4d(normals(size(c.w), seed + 1, 0.5), c.w);
    const yShape = tf.conv2d(x, w, c.strides, c.pad).shape;
    const r = tf.tensor(normals(size(yShape), seed + 2), yShape);
    const loss = (xx: tf.Tensor, ww: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.strides, c.pad), r));
    const [dx, dw] = tf.grads(loss)([x, w]);
    expect(dx.shape).toEqual(c.x);
    expect(dw.shape).toEqual(c.w);
    return {
      dx: dx.dataSync() as Float32Array,
      dw: dw.dataSync() as Float32Array,
      y: tf.conv2d(x, w, c.strides, c.pad).dataSync() as Float32Array,
    };
  });
}

function poolGrad(c: PoolCase, x: Float32Array, seed: number): Float32Array {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, c.x);
    const yShape = tf.maxPool(xt, c.size, c.strides, c.pad).shape;
    const r = tf.tensor(normals(size(yShape), seed), yShape);
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, c.size, c.strides, c.pad), r)))(
      xt,
    );
    expect(dx.shape).toEqual(c.x);
    return dx.dataSync() as Float32Array;
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  const tol = 1e-3 * Math.max(1, maxAbs(expected));
  expect(maxAbsDiff(actual, expected), what).toBeLessThan(tol);
}

describe('project wasm kernels vs the cpu backend', () => {
  beforeAll(useWasm);
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  test('the project kernels are the ones registered for wasm', () => {
    for (const config of PROJECT_WASM_KERNELS) {
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc, config.kernelName).toBe(config.kernelFunc);
    }
    expect(PROJECT_WASM_KERNELS.map((k) => k.kernelName).sort()).toEqual([
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'Identity',
      'MaxPoolGrad',
      'PlaygroundGroupNorm',
      'PlaygroundGroupNormGradGamma',
      'PlaygroundGroupNormGradInput',
    ]);
  });

  test.each(CONV_CASES.map((c, i) => [i, c] as const))('conv2d gradients, case %i: %o', async (i, c) => {
    const seed = 100 + 10 * i;
    const ref = await onBackend('cpu', () => convGrads(c, seed));
    const got = await onBackend('wasm', () => convGrads(c, seed));
    expectClose(got.y, ref.y, 'forward');
    expectClose(got.dx, ref.dx, 'Conv2DBackpropInput');
    expectClose(got.dw, ref.dw, 'Conv2DBackpropFilter');
    expect(maxAbs(ref.dx)).toBeGreaterThan(0.1); // the comparison is not between zeros
    expect(maxAbs(ref.dw)).toBeGreaterThan(0.1);
  });

  test.each(POOL_CASES.map((c, i) => [i, c] as const))('maxPool gradient, case %i: %o', async (i, c) => {
    const x = normals(size(c.x), 500 + i);
    const ref = await onBackend('cpu', () => poolGrad(c, x, 900 + i));
    const got = await onBackend('wasm', () => poolGrad(c, x, 900 + i));
    expectClose(got, ref, 'MaxPoolGrad');
    expect(maxAbs(ref)).toBeGreaterThan(0.1);
  });

  test.each(POOL_CASES.slice(0, 5).map((c, i) => [i, c] as const))(
    'maxPool gradient with ties goes where cpu sends it, case %i',
    async (i, c) => {
      // Values from {0, 1, 2} (and an all-zero plane): many windows hold several maxima.
      const x = normals(size(c.x), 700 + i).map((v) => Math.min(2, Math.floor(Math.abs(v) * 1.5)));
      const zeros = new Float32Array(size(c.x));
      for (const input of [x, zeros]) {
        const ref = await onBackend('cpu', () => poolGrad(c, input, 950 + i));
        const got = await onBackend('wasm', () => poolGrad(c, input, 950 + i));
        expectClose(got, ref, 'MaxPoolGrad with ties');
      }
    },
  );
});

/** The reference gather: every receptive field of x as one row of `cols` (zeros where it overlaps padding). */
function im2col(x: Float32Array, cols: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  let c = 0;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * inChannels;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - padTop;
          const rowInside = ih >= 0 && ih < inHeight;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw - padLeft;
            if (rowInside && iw >= 0 && iw < inWidth) {
              let src = xBatch + (ih * inWidth + iw) * inChannels;
              for (let ci = 0; ci < inChannels; ci++) cols[c++] = x[src++];
            } else {
              for (let ci = 0; ci < inChannels; ci++) cols[c++] = 0;
            }
          }
        }
      }
    }
  }
}

describe('im2col / col2imAdd', () => {
  test('col2imAdd is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    for (const [i, c] of CONV_CASES.entries()) {
      const info = backend_util.computeConv2DInfo(c.x, c.w, c.strides, 1, c.pad, undefined, false, 'channelsLast');
      const rows = info.batchSize * info.outHeight * info.outWidth;
      const rowLength = info.filterHeight * info.filterWidth * info.inChannels;
      const x = normals(size(c.x), 1000 + i);
      const cols = new Float32Array(rows * rowLength);
      im2col(x, cols, info);
      const r = normals(rows * rowLength, 2000 + i);
      const back = new Float32Array(size(c.x));
      col2imAdd(r, back, info);
      let lhs = 0,
        rhs = 0;
      for (let k = 0; k < cols.length; k++) lhs += cols[k] * r[k];
      for (let k = 0; k < x.length; k++) rhs += x[k] * back[k];
      expect(Math.abs(lhs - rhs), `case ${i}`).toBeLessThan(1e-3 * (1 + Math.abs(lhs)));
    }
  });
});

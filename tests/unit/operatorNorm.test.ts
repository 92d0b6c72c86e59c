/**
 * Power iteration against exact spectral norms (Szegedy et al. 2014, §4.3): a dense layer, and
 * convolutions whose full matrix the test builds by applying the convolution to every basis
 * vector. The exact value is √λ_max(AᵀA), from a cyclic Jacobi eigenvalue routine written here.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import { normals, uniforms } from './helpers/random';
import {
  conv2dOperatorNorm,
  denseOperatorNorm,
  layerOperatorNorms,
  lipschitzUpperBound,
  type ConvGeometry,
} from '../../src/core/metrics/operatorNorm';
import { InvalidOptionError } from '../../src/core/util/errors';

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, in double precision. */
function symmetricEigenvalues(input: number[][]): number[] {
  const n = input.length;
  const a = input.map((r) => r.slice());
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((r, i) => r[i]);
}

/** σ_max(A) for A given as rows (m × n): √λ_max(AᵀA). */
function exactSpectralNorm(rows: number[][]): number {
  const n = rows[0].length;
  const ata = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0)),
  );
  return Math.sqrt(Math.max(...symmetricEigenvalues(ata)));
}

/** The matrix of x ↦ conv2d(x, kernel) on one input of shape [h, w, c]: column j is the image of basis vector j. */
function convMatrix(kernel: tf.Tensor4D, g: ConvGeometry): number[][] {
  const [h, w, c] = g.inputShape;
  const d = h * w * c;
  const out = tf.tidy(() =>
    tf.conv2d(tf.reshape(tf.eye(d), [d, h, w, c]) as tf.Tensor4D, kernel, g.strides, g.padding).reshape([d, -1]),
  );
  const cols = out.arraySync() as number[][]; // cols[j] = A e_j
  out.dispose();
  const m = cols[0].length;
  return Array.from({ length: m }, (_, i) => cols.map((col) => col[i]));
}

describe('operator norms by power iteration', () => {
  beforeAll(useWasm);

  test('Jacobi eigenvalues: a hand-checked 2×2 case and trace preservation', () => {
    const eig = symmetricEigenvalues([
      [2, 1],
      [1, 2],
    ]).sort((a, b) => a - b);
    expect(eig[0]).toBeCloseTo(1, 12);
    expect(eig[1]).toBeCloseTo(3, 12);
    const m = [
      [4, 1, 2],
      [1, 3, 0.5],
      [2, 0.5, 5],
    ];
    expect(symmetricEigenvalues(m).reduce((a, b) => a + b, 0)).toBeCloseTo(12, 10);
  });

  test('dense layer: matches √λ_max(WᵀW)', async () => {
    for (const [rows, cols, seed] of [
      [7, 5, 1],
      [12, 20, 2],
      [30, 10, 3],
    ] as const) {
      const values = normals(rows * cols, seed);
      const w = tf.tensor2d(values, [rows, cols]);
      const exact = exactSpectralNorm(
        Array.from({ length: rows }, (_, i) => Array.from(values.slice(i * cols, (i + 1) * cols))),
      );
      const before = tf.memory().numTensors;
      const r = await denseOperatorNorm(w, { seed: 7 });
      expect(tf.memory().numTensors).toBe(before);
      expect(r.converged).toBe(true);
      expect(Math.abs(r.norm - exact) / exact).toBeLessThan(1e-4);
      w.dispose();
    }
  });

  const convCases: [
    string,
    [number, number, number],
    [number, number, number, number],
    [number, number],
    'same' | 'valid',
  ][] = [
    ['3×3, stride 1, valid', [6, 5, 2], [3, 3, 2, 3], [1, 1], 'valid'],
    ['3×3, stride 1, same', [5, 5, 2], [3, 3, 2, 3], [1, 1], 'same'],
    ['3×3, stride 2, same (asymmetric padding)', [6, 7, 2], [3, 3, 2, 4], [2, 2], 'same'],
    ['4×4, stride (2,1), valid', [7, 6, 1], [4, 4, 1, 3], [2, 1], 'valid'],
  ];
  test.each(convCases)(
    'convolution %s: matches the full matrix built from basis vectors',
    async (_name, inputShape, kShape, strides, padding) => {
      const kernel = tf.tensor4d(
        normals(
          kShape.reduce((a, b) => a * b, 1),
          11,
        ),
        kShape,
      );
      const g: ConvGeometry = { inputShape, strides, padding };
      const exact = exactSpectralNorm(convMatrix(kernel, g));
      const before = tf.memory().numTensors;
      const r = await conv2dOperatorNorm(kernel, g, { seed: 3 });
      expect(tf.memory().numTensors).toBe(before);
      expect(Math.abs(r.norm - exact) / exact).toBeLessThan(1e-4);
      kernel.dispose();
    },
  );

  test(
    "a convolution's operator norm can exceed its kernel's Frobenius norm (why power iteration is " + 'needed)',
    async () => {
      // An all-ones 3×3 kernel: Frobenius norm 3; on a large image the map is close to a 9× blur.
      const kernel = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
      const r = await conv2dOperatorNorm(kernel, { inputShape: [24, 24, 1], strides: [1, 1], padding: 'same' });
      expect(r.norm).toBeGreaterThan(8.5);
      expect(r.norm).toBeLessThanOrEqual(9 + 1e-4);
      kernel.dispose();
    },
  );

  test('a whole model: per-layer norms, their product bounds ‖f(x) − f(x′)‖₂ / ‖x − x′‖₂', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 3,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
        }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
      ],
    });
    const before = tf.memory().numTensors;
    const norms = await layerOperatorNorms(model);
    expect(tf.memory().numTensors).toBe(before);
    expect(norms.map((l) => [l.className, l.method])).toEqual([
      ['Conv2D', 'power-iteration'],
      ['MaxPooling2D', 'exact'],
      ['Flatten', 'exact'],
      ['Dense', 'power-iteration'],
    ]);
    expect(norms[1].norm).toBe(1);
    const L = lipschitzUpperBound(norms);
    expect(L).toBeCloseTo(norms[0].norm * norms[3].norm, 10);
    const x = tf.tensor4d(uniforms(20 * 64, 5), [20, 8, 8, 1]);
    const x2 = tf.tensor4d(uniforms(20 * 64, 6), [20, 8, 8, 1]);
    const [dy, dx] = tf.tidy(() => {
      const f = (t: tf.Tensor4D) => model.predict(t) as tf.Tensor2D;
      return [
        tf.norm(tf.sub(f(x), f(x2)), 'euclidean', 1).arraySync() as number[],
        tf.norm(tf.sub(x, x2).reshape([20, -1]), 'euclidean', 1).arraySync() as number[],
      ];
    });
    dy.forEach((v, i) => {
      expect(v).toBeLessThanOrEqual(L * dx[i] * (1 + 1e-5));
    });
    tf.dispose([x, x2]);
    model.dispose();
  });

  test('attained on a dense layer: moving x along its top singular vector gives ‖Δf‖ = L·‖Δx‖', async () => {
    // f(x) = Wᵀx + b with W [d, 2]: its Lipschitz constant is σ_max(W), attained along v = Wu/‖Wu‖ where u is the
    // top eigenvector of the 2×2 Gram matrix WᵀW, computed here in closed form in double precision.
    const d = 36;
    const w = Array.from(uniforms(2 * d, 41, -1, 1));
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [6, 6, 1] }), tf.layers.dense({ units: 2 })],
    });
    const weights = [tf.tensor2d(w, [d, 2]), tf.tensor1d([0.3, -0.2])];
    model.layers[1].setWeights(weights);
    tf.dispose(weights);
    let a = 0;
    let b = 0;
    let c = 0;
    for (let i = 0; i < d; i++) {
      a += w[2 * i] ** 2;
      b += w[2 * i] * w[2 * i + 1];
      c += w[2 * i + 1] ** 2;
    }
    const lambda = (a + c) / 2 + Math.sqrt(((a - c) / 2) ** 2 + b * b);
    const u = b !== 0 ? [b, lambda - a] : a >= c ? [1, 0] : [0, 1];
    const wu = Array.from({ length: d }, (_, i) => w[2 * i] * u[0] + w[2 * i + 1] * u[1]);
    const norm = Math.sqrt(wu.reduce((s, v) => s + v * v, 0));
    const v = wu.map((x) => x / norm);
    const L = lipschitzUpperBound(await layerOperatorNorms(model));
    expect(Math.abs(L - Math.sqrt(lambda)) / Math.sqrt(lambda)).toBeLessThan(1e-4);
    const x = uniforms(d, 42);
    const step = 0.1;
    const x2 = x.map((xi, i) => xi + step * v[i]);
    const [f1, f2] = [x, x2].map((t) => {
      const y = tf.tidy(() => model.predict(tf.tensor4d(t, [1, 6, 6, 1])) as tf.Tensor);
      const values = Array.from(y.dataSync());
      y.dispose();
      return values;
    });
    const dy = Math.hypot(f1[0] - f2[0], f1[1] - f2[1]);
    expect(Math.abs(dy - L * step) / (L * step)).toBeLessThan(1e-3);
    model.dispose();
  });

  test('overlapping max-pooling is bounded by √(windows per pixel); unsupported layers are refused', async () => {
    const pooled = tf.sequential({
      layers: [tf.layers.maxPooling2d({ inputShape: [6, 6, 1], poolSize: 3, strides: 2 })],
    });
    expect((await layerOperatorNorms(pooled))[0]).toMatchObject({ norm: 2, method: 'bound' });
    pooled.dispose();
    const bn = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 3 }), tf.layers.batchNormalization()],
    });
    await expect(layerOperatorNorms(bn)).rejects.toThrow(InvalidOptionError);
    const softmax = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
    await expect(layerOperatorNorms(softmax)).rejects.toThrow(/softmax/);
    bn.dispose();
    softmax.dispose();
  });
});

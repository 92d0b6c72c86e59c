/**
 * Margins and minimal adversarial distances (Moosavi-Dezfooli et al. 2016; Lyu & Li 2020): logit margins by hand; on a
 * linear model DeepFool's distance and PGD bisection's L∞ distance equal the closed forms
 * |(w_k̂ − w_j)·x + b_k̂ − b_j| / ‖w_k̂ − w_j‖ (dual norm ‖·‖₁ for L∞); the Lipschitz lower bound
 * never exceeds what DeepFool achieves, equals the true distance where it is attained (w₂ = −w₁) and is loose by
 * exactly ‖w₁ − w₂‖/(√2·σ_max(W)) on any two-class linear model; Lyu & Li's normalised margin is scale-invariant on a
 * homogeneous network.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, smallClassifier, useWasm } from './helpers/env';
import { normals, uniforms } from './helpers/random';
import { batchTensors, range } from '../../src/core/data/dataset';
import { deepFool } from '../../src/core/attacks/deepfool';
import { pgdMinimalLinfDistance } from '../../src/core/eval/minimalDistance';
import { makeLogitTable } from '../../src/core/metrics/logitTable';
import {
  countWeightLayers,
  isHomogeneousLike,
  l2RadiusLowerBound,
  logitMargins,
  logitMarginsOfTable,
  normalizedMargin,
} from '../../src/core/metrics/margins';
import { layerOperatorNorms, lipschitzUpperBound } from '../../src/core/metrics/operatorNorm';
import { parameterNorm } from '../../src/core/metrics/parameterNorms';
import { buildHomogeneousCnn, HOMOGENEOUS_CNN_LAYERS } from '../../src/core/models/homogeneousCnn';
import type { LogitsFn } from '../../src/core/models/classifier';
import { InvalidOptionError } from '../../src/core/util/errors';

const SIDE = 4;
const D = SIDE * SIDE;

/**
 * A linear classifier z = Wᵀx + b on 4×4 images whose decision boundaries all pass through the
 * grey image 0.5 (b = −Wᵀ·0.5), and inputs within 0.05 of it: every boundary is closer than
 * ‖x − 0.5‖₂ ≤ 0.2, so no DeepFool or PGD step reaches the edges of [0,1] and nothing is clipped.
 */
function linearProblem(classes: number, n: number, seed: number) {
  const w = Array.from(normals(D * classes, seed)); // row-major [D, classes]
  const col = (k: number) => Array.from({ length: D }, (_, i) => w[i * classes + k]);
  const b = Array.from({ length: classes }, (_, k) => -0.5 * col(k).reduce((s, v) => s + v, 0));
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [SIDE, SIDE, 1] }), tf.layers.dense({ units: classes })],
  });
  const wT = tf.tensor2d(w, [D, classes]);
  const bT = tf.tensor1d(b);
  model.layers[1].setWeights([wT, bT]);
  tf.dispose([wT, bT]);
  const xs = Array.from({ length: n }, (_, i) => Array.from(uniforms(D, seed * 100 + i, 0.45, 0.55)));
  const logitsOf = (x: number[]) =>
    Array.from({ length: classes }, (_, k) => col(k).reduce((s, v, i) => s + v * x[i], b[k]));
  /** Closed-form distance from x to the nearest decision boundary, in the norm whose dual is `dual`. */
  const exactDistance = (x: number[], dual: (v: number[]) => number) => {
    const z = logitsOf(x);
    const top = z.indexOf(Math.max(...z));
    let best = Infinity;
    for (let j = 0; j < classes; j++) {
      if (j === top) continue;
      const dw = col(top).map((v, i) => v - col(j)[i]);
      best = Math.min(best, (z[top] - z[j]) / dual(dw));
    }
    return { top, distance: best };
  };
  const logits: LogitsFn = (t) => model.apply(t, { training: false }) as tf.Tensor2D;
  return { model, logits, xs, exactDistance };
}

const l2 = (v: number[]) => Math.sqrt(v.reduce((s, a) => s + a * a, 0));
const l1 = (v: number[]) => v.reduce((s, a) => s + Math.abs(a), 0);

beforeAll(useWasm);

describe('logit margins', () => {
  test('z_y − max_{j≠y} z_j by hand, on tensors and tables, ties give 0, no leak', () => {
    const z = [3, 1, 2, 0, 5, 1, 2, 2, 0];
    const labels = [0, 0, 1];
    const before = tf.memory().numTensors;
    const zt = tf.tensor2d(z, [3, 3]);
    const yt = tf.tensor1d(labels, 'int32');
    const m = logitMargins(zt, yt);
    expect(Array.from(m.dataSync())).toEqual([1, -5, 0]);
    tf.dispose([zt, yt, m]);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(logitMarginsOfTable(makeLogitTable(z, labels, 3)))).toEqual([1, -5, 0]);
  });

  test('the certified L2 radius is q/(√2·L), and 0 for a misclassified point', () => {
    expect(l2RadiusLowerBound(2, 4)).toBeCloseTo(2 / (Math.SQRT2 * 4), 12);
    expect(l2RadiusLowerBound(-1, 4)).toBe(0);
  });
});

describe('DeepFool', () => {
  test('on a linear model: one iteration, ‖Σr‖ = exact distance, achieved = (1 + 0.02)·exact', async () => {
    const p = linearProblem(5, 8, 3);
    const x = tf.tensor4d(p.xs.flat(), [8, SIDE, SIDE, 1]);
    const before = tf.memory().numTensors;
    const r = await deepFool(p.logits, x);
    r.adversarial.dispose();
    expect(tf.memory().numTensors).toBe(before);
    p.xs.forEach((xi, i) => {
      const { top, distance } = p.exactDistance(xi, l2);
      expect(distance).toBeLessThan(0.2);
      expect(r.originalClass[i]).toBe(top);
      expect(r.iterations[i]).toBe(1);
      expect(r.fooled[i]).toBe(1);
      expect(Math.abs(r.perturbationNorm[i] - distance) / distance).toBeLessThan(1e-4);
      expect(Math.abs(r.distance[i] - 1.02 * distance) / distance).toBeLessThan(1e-4);
    });
    x.dispose();
    p.model.dispose();
  });

  test(
    'on a small CNN (MNIST digits, background at 0): fools every image within the box, never closer than the ' +
      'Lipschitz lower bound, no leak',
    async () => {
      const clf = smallClassifier(3);
      const ds = await mnistTestFirst(6);
      const { x, y } = batchTensors(ds, range(0, 6));
      const before = tf.memory().numTensors;
      const r = await deepFool(clf.logits, x, { maxIterations: 50 });
      const L = lipschitzUpperBound(await layerOperatorNorms(clf.model));
      // Margins against the clean prediction: the radius DeepFool measures is to leave that class.
      const predicted = tf.tensor1d(r.originalClass, 'int32');
      const q = tf.tidy(() => logitMargins(clf.logits(x), predicted));
      const margins = Array.from(q.dataSync());
      // Iterates stay in the image box, and the reported total is what the box allowed.
      const adv = r.adversarial.dataSync();
      expect(Math.min(...adv)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...adv)).toBeLessThanOrEqual(1);
      r.distance.forEach((d, i) => {
        expect(d).toBeCloseTo(1.02 * r.perturbationNorm[i], 4);
      });
      tf.dispose([q, predicted, r.adversarial]);
      expect(tf.memory().numTensors).toBe(before);
      margins.forEach((m, i) => {
        expect(r.fooled[i]).toBe(1);
        expect(r.iterations[i]).toBeGreaterThanOrEqual(1);
        expect(r.distance[i]).toBeGreaterThanOrEqual(l2RadiusLowerBound(m, L));
      });
      await expect(deepFool(clf.logits, x, { overshoot: -1 })).rejects.toThrow(InvalidOptionError);
      tf.dispose([x, y]);
      clf.model.dispose();
    },
  );
});

/** σ_max of a [D, 2] matrix (row-major), from the closed-form eigenvalues of its 2×2 Gram matrix, in doubles. */
function spectralNormOfTwoColumns(w: number[]): number {
  let a = 0;
  let b = 0;
  let c = 0;
  for (let i = 0; i < w.length / 2; i++) {
    a += w[2 * i] ** 2;
    b += w[2 * i] * w[2 * i + 1];
    c += w[2 * i + 1] ** 2;
  }
  return Math.sqrt((a + c) / 2 + Math.sqrt(((a - c) / 2) ** 2 + b * b));
}

describe('certified L2 radius q/(√2·L) against the true distance (tightness)', () => {
  /** A two-class linear model z = Wᵀx + b through the grey image, with columns w₁ and w₂. */
  async function twoClass(w1: number[], w2: number[]) {
    const w = w1.flatMap((v, i) => [v, w2[i]]);
    const b = [-0.5 * w1.reduce((s, v) => s + v, 0), -0.5 * w2.reduce((s, v) => s + v, 0)];
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [SIDE, SIDE, 1] }), tf.layers.dense({ units: 2 })],
    });
    const weights = [tf.tensor2d(w, [D, 2]), tf.tensor1d(b)];
    model.layers[1].setWeights(weights);
    tf.dispose(weights);
    const logits: LogitsFn = (t) => model.apply(t, { training: false }) as tf.Tensor2D;
    const xs = Array.from({ length: 4 }, (_, i) => Array.from(uniforms(D, 70 + i, 0.45, 0.55)));
    const x = tf.tensor4d(xs.flat(), [4, SIDE, SIDE, 1]);
    const L = lipschitzUpperBound(await layerOperatorNorms(model));
    const df = await deepFool(logits, x);
    df.adversarial.dispose();
    const q = tf.tidy(() => logitMargins(logits(x), tf.tensor1d(df.originalClass, 'int32')));
    const certified = Array.from(q.dataSync(), (m) => l2RadiusLowerBound(m, L));
    tf.dispose([q, x]);
    model.dispose();
    // The exact distance to the boundary: |q| / ‖w₁ − w₂‖₂.
    const dw = l2(w1.map((v, i) => v - w2[i]));
    const exact = xs.map((xi) => Math.abs(w1.reduce((s, v, i) => s + (v - w2[i]) * (xi[i] - 0.5), 0)) / dw);
    return { L, certified, deepFool: Array.from(df.perturbationNorm), exact, w };
  }

  test('attained when w₂ = −w₁: ‖W‖₂ = √2‖w‖ and ‖w₁ − w₂‖ = 2‖w‖, so q/(√2·L) is the exact distance', async () => {
    const w1 = Array.from(normals(D, 31));
    const r = await twoClass(
      w1,
      w1.map((v) => -v),
    );
    expect(r.L).toBeCloseTo(Math.SQRT2 * l2(w1), 4);
    r.exact.forEach((e, i) => {
      expect(Math.abs(r.deepFool[i] - e) / e).toBeLessThan(1e-4);
      expect(Math.abs(r.certified[i] - e) / e).toBeLessThan(1e-4);
    });
  });

  test('any two-class linear model: certified / true distance is ‖w₁ − w₂‖/(√2·σ_max(W)) exactly', async () => {
    const r = await twoClass(Array.from(normals(D, 32)), Array.from(normals(D, 33)));
    const sigma = spectralNormOfTwoColumns(r.w);
    // L is W's spectral norm (not, say, its Frobenius norm, which is larger for a matrix of rank 2).
    expect(Math.abs(r.L - sigma) / sigma).toBeLessThan(1e-4);
    const cols = [0, 1].map((k) => Array.from({ length: D }, (_, i) => r.w[2 * i + k]));
    const ratio = l2(cols[0].map((v, i) => v - cols[1][i])) / (Math.SQRT2 * sigma);
    expect(ratio).toBeLessThan(1);
    r.exact.forEach((e, i) => {
      expect(Math.abs(r.deepFool[i] - e) / e).toBeLessThan(1e-4);
      expect(Math.abs(r.certified[i] / e - ratio)).toBeLessThan(1e-4);
    });
  });
});

describe('PGD with bisection on ε (L∞)', () => {
  test('on a two-class linear model: brackets the exact distance Δz/‖Δw‖₁ within the tolerance', async () => {
    const p = linearProblem(2, 6, 8);
    const x = tf.tensor4d(p.xs.flat(), [6, SIDE, SIDE, 1]);
    const exact = p.xs.map((xi) => p.exactDistance(xi, l1));
    const labels = tf.tensor1d(
      exact.map((e) => e.top),
      'int32',
    );
    const tolerance = 1 / 255;
    const before = tf.memory().numTensors;
    const r = await pgdMinimalLinfDistance(p.logits, x, labels, { epsMax: 0.2, tolerance, steps: 20, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    exact.forEach(({ distance }, i) => {
      expect(distance).toBeLessThan(0.05);
      expect(r.upper[i]).toBeGreaterThanOrEqual(distance - 1e-5);
      expect(r.lower[i]).toBeLessThanOrEqual(distance + 1e-5);
      expect(r.upper[i] - r.lower[i]).toBeLessThanOrEqual(tolerance + 1e-12);
    });
    // 6 examples, 6 bisection rounds: grouping by midpoint needs far fewer runs than one per example and round.
    expect(r.pgdRuns).toBeLessThan(1 + 6 * 6);
    tf.dispose([x, labels]);
    p.model.dispose();
  });

  test('misclassified examples have distance 0; unbreakable ones ∞', async () => {
    const p = linearProblem(2, 2, 9);
    const x = tf.tensor4d(p.xs.flat(), [2, SIDE, SIDE, 1]);
    const wrong = p.xs.map((xi) => 1 - p.exactDistance(xi, l1).top);
    const labels = tf.tensor1d([wrong[0], 1 - wrong[1]], 'int32');
    expect(p.exactDistance(p.xs[1], l1).distance).toBeGreaterThan(0.001);
    const r = await pgdMinimalLinfDistance(p.logits, x, labels, { epsMax: 0.001, tolerance: 0.0005 });
    expect(r.upper[0]).toBe(0);
    expect(r.upper[1]).toBe(Infinity);
    expect(r.lower[1]).toBe(0.001);
    tf.dispose([x, labels]);
    p.model.dispose();
  });
});

describe("Lyu & Li's normalised margin", () => {
  test('on the homogeneous CNN, γ̄ = q_min/ρ^L does not change when every weight is doubled', async () => {
    const model = buildHomogeneousCnn(2, 'classroom');
    expect(countWeightLayers(model)).toBe(HOMOGENEOUS_CNN_LAYERS);
    expect(isHomogeneousLike(model)).toBe(true);
    const x = tf.tensor4d(uniforms(4 * 784, 1), [4, 28, 28, 1]);
    const y = tf.tensor1d([0, 1, 2, 3], 'int32');
    const gamma = async () => {
      const q = tf.tidy(() => logitMargins(model.apply(x, { training: false }) as tf.Tensor2D, y));
      const qMin = Math.min(...q.dataSync());
      q.dispose();
      return normalizedMargin(qMin, await parameterNorm(model), HOMOGENEOUS_CNN_LAYERS);
    };
    const g1 = await gamma();
    const doubled = model.getWeights().map((w) => tf.mul(w, 2));
    model.setWeights(doubled);
    tf.dispose(doubled);
    const g2 = await gamma();
    expect(Math.abs(g2 - g1)).toBeLessThan(1e-5 * Math.abs(g1) + 1e-12);
    tf.dispose([x, y]);
    model.dispose();
    const withBiases = smallClassifier(1);
    expect(isHomogeneousLike(withBiases.model)).toBe(false);
    withBiases.model.dispose();
  });
});

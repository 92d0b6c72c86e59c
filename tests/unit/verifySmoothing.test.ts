/**
 * Randomized smoothing (src/core/verify/smoothing/): Φ⁻¹ against known quantiles and an independent Φ
 * (Simpson's rule on the density); ln Γ and the incomplete beta against factorials and binomial sums; the
 * Clopper–Pearson bound against tabulated values, closed forms and bisection on summed binomial tails; the
 * binomial test against summed tails; CERTIFY and PREDICT on a linear classifier against the closed form
 * p_A = Φ(|wᵀx + b| / (σ‖w‖)), R = |wᵀx + b| / ‖w‖; seeds, cancellation, leaks, refusals, asynchronous reads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import { normals, uniforms } from './helpers/random';
import { binomialTestHalf, clopperPearsonLower } from '../../src/core/verify/smoothing/binomialBounds';
import { logGamma, regularizedIncompleteBeta } from '../../src/core/verify/smoothing/incompleteBeta';
import { normalQuantile } from '../../src/core/verify/smoothing/normalQuantile';
import {
  resolveSmoothingOptions,
  sampleNoiseCounts,
  smoothedCertify,
  smoothedPredict,
} from '../../src/core/verify/smoothing/smoothedClassifier';
import { CancelledError, InvalidOptionError } from '../../src/core/util/errors';

/** Φ(x) by Simpson's rule on the density over [0, x] (4,000 panels), independent of the code under test. */
function normalCdf(x: number): number {
  const panels = 4000;
  const h = x / panels;
  const phi = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let s = phi(0) + phi(x);
  for (let i = 1; i < panels; i++) s += (i % 2 ? 4 : 2) * phi(i * h);
  return 0.5 + (s * h) / 3;
}

/** ln k! by summing logarithms (no Γ approximation). */
const logFactorials = (() => {
  const table = new Float64Array(20_001);
  for (let k = 1; k < table.length; k++) table[k] = table[k - 1] + Math.log(k);
  return table;
})();

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space. */
function binomialUpperTail(k: number, n: number, p: number): number {
  let s = 0;
  for (let i = k; i <= n; i++) {
    const logTerm =
      logFactorials[n] - logFactorials[i] - logFactorials[n - i] + i * Math.log(p) + (n - i) * Math.log1p(-p);
    s += Math.exp(logTerm);
  }
  return s;
}

/** The p at which P(X ≥ k) = α, by bisection on the summed tail (the textbook definition of the bound). */
function slowClopperPearsonLower(k: number, n: number, alpha: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (binomialUpperTail(k, n, mid) < alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('special functions', () => {
  test('Φ⁻¹ at known quantiles, symmetric, and inverse to an independent Φ', () => {
    const known: [number, number][] = [
      [0.5, 0],
      [0.9, 1.2815515655446004],
      [0.975, 1.959963984540054],
      [0.99, 2.3263478740408408],
      [0.999, 3.090232306167813],
      [0.01, -2.3263478740408408],
    ];
    for (const [p, z] of known) expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(5e-9 * (1 + Math.abs(z)));
    for (const p of [1e-10, 1e-6, 0.001, 0.02, 0.02425, 0.03, 0.2, 0.5, 0.7, 0.97, 0.999999]) {
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 6);
      const x = normalQuantile(p);
      const back = x >= 0 ? normalCdf(x) : 1 - normalCdf(-x);
      // Acklam's relative error ≤ 1.15e−9 in z moves a tail probability by ≲ z²·1.15e−9 of itself.
      expect(Math.abs(back - p)).toBeLessThan(1e-7 * Math.min(p, 1 - p) + 1e-15);
    }
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  test('ln Γ against factorials and Γ(½) = √π', () => {
    for (const n of [1, 2, 5, 10, 100, 1000, 10_000]) {
      expect(Math.abs(logGamma(n + 1) - logFactorials[n])).toBeLessThan(1e-12 * (1 + logFactorials[n]));
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
  });

  test('the incomplete beta: closed forms and binomial tails, I_p(k, n − k + 1) = P(Bin(n, p) ≥ k)', () => {
    for (const x of [0.1, 0.5, 0.93]) {
      expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 14);
      expect(regularizedIncompleteBeta(x, 3, 1)).toBeCloseTo(x ** 3, 14);
      expect(regularizedIncompleteBeta(x, 1, 4)).toBeCloseTo(1 - (1 - x) ** 4, 14);
    }
    for (const [k, n, p] of [
      [3, 10, 0.2],
      [60, 100, 0.5],
      [990, 1000, 0.985],
      [9500, 10_000, 0.951],
      [2, 20_000, 1e-4],
    ]) {
      const exact = binomialUpperTail(k, n, p);
      expect(Math.abs(regularizedIncompleteBeta(p, k, n - k + 1) - exact)).toBeLessThan(1e-10 * exact + 1e-14);
    }
  });
});

describe('binomial statistics', () => {
  test('Clopper–Pearson: tabulated values (R binom.test, 95 % two-sided) and closed forms', () => {
    expect(clopperPearsonLower(5, 10, 0.025)).toBeCloseTo(0.187086, 6);
    expect(clopperPearsonLower(9, 10, 0.025)).toBeCloseTo(0.5549839, 6);
    // All n trials succeed: P(X ≥ n) = pⁿ = α. One success: 1 − (1 − p)ⁿ = α.
    for (const [n, alpha] of [
      [100, 0.001],
      [10_000, 0.001],
      [37, 0.05],
    ]) {
      expect(clopperPearsonLower(n, n, alpha)).toBeCloseTo(alpha ** (1 / n), 12);
      expect(clopperPearsonLower(1, n, alpha)).toBeCloseTo(1 - (1 - alpha) ** (1 / n), 12);
    }
    expect(clopperPearsonLower(0, 50, 0.001)).toBe(0);
  });

  test('Clopper–Pearson equals bisection on the summed binomial tail', () => {
    for (const [k, n, alpha] of [
      [990, 1000, 0.001],
      [9950, 10_000, 0.001],
      [37, 100, 0.05],
      [5001, 10_000, 0.001],
    ]) {
      expect(Math.abs(clopperPearsonLower(k, n, alpha) - slowClopperPearsonLower(k, n, alpha))).toBeLessThan(1e-9);
    }
  });

  test('the two-sided binomial test at ½ against summed tails', () => {
    for (const [k, n] of [
      [60, 100],
      [40, 100],
      [7, 10],
      [10, 10],
      [5, 10],
      [520, 1000],
    ]) {
      const extreme = Math.max(k, n - k);
      const expected = 2 * extreme === n ? 1 : Math.min(1, 2 * binomialUpperTail(extreme, n, 0.5));
      expect(binomialTestHalf(k, n)).toBeCloseTo(expected, 12);
    }
    expect(binomialTestHalf(10, 10)).toBeCloseTo(2 / 1024, 15);
  });
});

describe('the smoothed classifier', () => {
  beforeAll(useWasm);

  const d = 64;
  const sigma = 0.25;
  const w = normals(d, 1);
  const norm = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
  const x = uniforms(d, 2);
  const wx = x.reduce((s, v, i) => s + v * w[i], 0);

  /** f(x) = [0, wᵀx + b]: class 1 exactly where wᵀx + b > 0. */
  function linearClassifier(b: number): tf.LayersModel {
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [8, 8, 1] }), tf.layers.dense({ units: 2 })],
    });
    const kernel = new Float32Array(2 * d);
    for (let i = 0; i < d; i++) kernel[2 * i + 1] = w[i];
    const weights = [tf.tensor(kernel, [d, 2]), tf.tensor1d([0, b])];
    model.setWeights(weights);
    tf.dispose(weights);
    return model;
  }
  const logitsOf = (model: tf.LayersModel) => (t: tf.Tensor4D) => model.apply(t, { training: false }) as tf.Tensor2D;
  const image = () => tf.tensor4d(x, [1, 8, 8, 1]);

  test('CERTIFY on a linear classifier: p_A = Φ(|wᵀx + b|/(σ‖w‖)), radius just below |wᵀx + b|/‖w‖', async () => {
    for (const [pA, cls] of [
      [0.9, 1],
      [0.99, 0],
    ] as const) {
      // Place the image at signed distance σ·Φ⁻¹(p_A) from the boundary, on the side of `cls`.
      const distance = sigma * normalQuantile(pA);
      const b = (cls === 1 ? distance * norm : -distance * norm) - wx;
      const model = linearClassifier(b);
      const xt = image();
      const cert = await smoothedCertify(logitsOf(model), xt, 2, { sigma, seed: 3, batchSize: 2500 });
      expect(cert.prediction).toBe(cls);
      // The n counts are Binomial(n, p_A): within 4.5 standard deviations.
      const sd = Math.sqrt((pA * (1 - pA)) / 10_000);
      expect(Math.abs(cert.counts[cls] / 10_000 - pA)).toBeLessThan(4.5 * sd);
      expect(cert.pALower).toBeLessThan(pA);
      expect(cert.radius!).toBeLessThanOrEqual(distance);
      expect(cert.radius!).toBeGreaterThan(sigma * normalQuantile(pA - 8 * sd));
      tf.dispose(xt);
      model.dispose();
    }
  });

  test('on the decision boundary both procedures abstain; away from it PREDICT answers', async () => {
    const onBoundary = linearClassifier(-wx);
    const xt = image();
    const cert = await smoothedCertify(logitsOf(onBoundary), xt, 2, { sigma, n: 2000, seed: 4 });
    expect(cert.prediction).toBeNull();
    expect(cert.radius).toBeNull();
    const predicted = await smoothedPredict(logitsOf(onBoundary), xt, 2, { sigma, n: 2000, seed: 5 });
    expect(predicted.prediction).toBeNull();
    expect(predicted.pValue).toBeGreaterThan(0.001);
    const away = linearClassifier(sigma * norm - wx); // p_A = Φ(1) ≈ 0.84 for class 1
    const sure = await smoothedPredict(logitsOf(away), xt, 2, { sigma, n: 2000, seed: 6 });
    expect(sure.prediction).toBe(1);
    expect(sure.pValue).toBeLessThan(1e-6);
    tf.dispose(xt);
    onBoundary.dispose();
    away.dispose();
  });

  test('seeded: the same seed draws the same noise, another seed other noise', async () => {
    const model = linearClassifier(sigma * norm * 0.3 - wx);
    const xt = image();
    const run = (seed: number) => sampleNoiseCounts(logitsOf(model), xt, 2, 3000, sigma, 700, seed);
    const [a, b, c] = [await run(11), await run(11), await run(12)];
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(a[0] + a[1]).toBe(3000);
    tf.dispose(xt);
    model.dispose();
  });

  test('progress, cancellation between batches, and no tensor left behind', async () => {
    const model = linearClassifier(-wx);
    const xt = image();
    await smoothedCertify(logitsOf(model), xt, 2, { sigma, n0: 10, n: 100, seed: 1 }); // warm-up
    const before = tf.memory().numTensors;
    const fractions: number[] = [];
    await smoothedCertify(
      logitsOf(model),
      xt,
      2,
      { sigma, n0: 100, n: 1000, batchSize: 300, seed: 1 },
      { onProgress: (p) => fractions.push(p.fraction) },
    );
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    let batches = 0;
    const cancelled = smoothedCertify(
      logitsOf(model),
      xt,
      2,
      { sigma, n0: 100, n: 10_000, batchSize: 100, seed: 1 },
      { onProgress: () => batches++, isCancelled: () => batches >= 3 },
    );
    await expect(cancelled).rejects.toThrow(CancelledError);
    expect(batches).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(xt);
    model.dispose();
  });

  test('bad options are refused in one sentence', () => {
    expect(() => resolveSmoothingOptions({ sigma: 0 })).toThrow(InvalidOptionError);
    expect(() => resolveSmoothingOptions({ sigma: 0.5, n0: 0 })).toThrow(/n0/);
    expect(() => resolveSmoothingOptions({ sigma: 0.5, n: 1.5 })).toThrow(/n must/);
    expect(() => resolveSmoothingOptions({ sigma: 0.5, alpha: 0.6 })).toThrow(/α/);
    expect(() => resolveSmoothingOptions({ sigma: Number.NaN })).toThrow(/σ/);
    expect(resolveSmoothingOptions({ sigma: 0.5 })).toMatchObject({ n0: 100, n: 10_000, alpha: 0.001 });
  });
});

test('the verification code reads tensors asynchronously only (WebGPU loses its device on synchronous reads)', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk('src/core/verify');
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) expect(readFileSync(file, 'utf8')).not.toMatch(/\b(dataSync|arraySync|bufferSync)\(/);
});

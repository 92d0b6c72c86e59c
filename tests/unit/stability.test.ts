/**
 * Perturbation stability (Zhu et al. 2022): the Monte-Carlo estimate of E‖J(x̂ − x)‖² for x̂
 * uniform in the L2 ball matches ε²‖J‖_F²/(d+2); the three forms agree where they must; the MLP
 * sweep reports each configuration as it finishes and leaks nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { smallClassifier, useWasm } from './helpers/env';
import { normals, uniforms } from './helpers/random';
import { analyticFirstOrderStability, perturbationStability } from '../../src/core/metrics/stability';
import { mlpStabilitySweep, type MlpSweepPoint } from '../../src/core/eval/stabilitySweep';
import type { LogitsFn } from '../../src/core/models/classifier';
import { CancelledError, InvalidOptionError } from '../../src/core/util/errors';

/** f(x) = Wᵀ·flatten(x) + b on [7, 7, 1] inputs (d = 49), k outputs: J = Wᵀ everywhere. */
function linearModel(k: number, seed: number) {
  const d = 49;
  const w = normals(d * k, seed);
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [7, 7, 1] }), tf.layers.dense({ units: k })],
  });
  const wT = tf.tensor2d(w, [d, k]);
  const bT = tf.tensor1d(normals(k, seed + 1));
  model.layers[1].setWeights([wT, bT]);
  tf.dispose([wT, bT]);
  const frobeniusSq = w.reduce((s, v) => s + v * v, 0);
  const logits: LogitsFn = (x) => model.apply(x, { training: false }) as tf.Tensor2D;
  return { model, logits, frobeniusSq, d };
}

/**
 * f(x) = W₂ᵀ tanh(W₁ᵀ flatten(x) + b₁) + b₂ on [7, 7, 1] inputs (d = 49): a smooth nonlinear network, with `forward`
 * the same function in double precision on the host, independent of tfjs.
 */
function tanhModel(hidden: number, k: number, seed: number) {
  const d = 49;
  const w1 = normals(d * hidden, seed, 1 / Math.sqrt(d));
  const b1 = normals(hidden, seed + 1, 0.1);
  const w2 = normals(hidden * k, seed + 2, 1 / Math.sqrt(hidden));
  const b2 = normals(k, seed + 3, 0.1);
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [7, 7, 1] }),
      tf.layers.dense({ units: hidden, activation: 'tanh' }),
      tf.layers.dense({ units: k }),
    ],
  });
  const weights = [tf.tensor2d(w1, [d, hidden]), tf.tensor1d(b1), tf.tensor2d(w2, [hidden, k]), tf.tensor1d(b2)];
  model.setWeights(weights);
  tf.dispose(weights);
  const forward = (x: number[]): number[] => {
    const a = Array.from({ length: hidden }, (_, j) => {
      let s = b1[j];
      for (let i = 0; i < d; i++) s += x[i] * w1[i * hidden + j];
      return Math.tanh(s);
    });
    return Array.from({ length: k }, (_, c) => {
      let s = b2[c];
      for (let j = 0; j < hidden; j++) s += a[j] * w2[j * k + c];
      return s;
    });
  };
  const logits: LogitsFn = (x) => model.apply(x, { training: false }) as tf.Tensor2D;
  return { model, logits, forward, d };
}

beforeAll(useWasm);

describe('perturbation stability', () => {
  test('Monte-Carlo E‖J u‖², u uniform in the L2 ball, is within 3 % of ε²‖J‖_F²/(d+2)', async () => {
    const { model, logits, frobeniusSq, d } = linearModel(3, 5);
    const x = tf.tensor4d(uniforms(2 * d, 1), [2, 7, 7, 1]);
    const eps = 0.7;
    const exact = analyticFirstOrderStability(frobeniusSq, eps, d);
    const before = tf.memory().numTensors;
    // 40,000 draws per example: the standard error is about 0.4 % here, so 3 % is a wide margin.
    const r = await perturbationStability(logits, x, { eps, samples: 40_000, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.form).toBe('first-order-squared');
    expect(r.label).toMatch(/first order, squared/);
    expect(r.analyticFirstOrderSquared).toBeCloseTo(exact, 4);
    expect(Math.abs(r.mean - exact) / exact).toBeLessThan(0.03);
    for (const v of r.perExample) expect(Math.abs(v - exact) / exact).toBeLessThan(0.03);
    expect(r.standardError / exact).toBeLessThan(0.01);
    tf.dispose(x);
    model.dispose();
  });

  test(
    'on a linear model the finite-difference form equals the first-order form draw for draw; ‖·‖ ≤ ' + '√E‖·‖²',
    async () => {
      const { model, logits, d } = linearModel(4, 9);
      const x = tf.tensor4d(uniforms(3 * d, 2), [3, 7, 7, 1]);
      const o = { eps: 0.5, samples: 500, seed: 11 };
      const squared = await perturbationStability(logits, x, { ...o, form: 'first-order-squared' });
      const finite = await perturbationStability(logits, x, { ...o, form: 'finite-difference' });
      const plain = await perturbationStability(logits, x, { ...o, form: 'first-order' });
      squared.perExample.forEach((v, i) => {
        expect(Math.abs(finite.perExample[i] - v) / v).toBeLessThan(1e-3);
      });
      plain.perExample.forEach((v, i) => {
        expect(v).toBeLessThanOrEqual(Math.sqrt(squared.perExample[i]) * (1 + 1e-6));
      });
      expect(plain.label).toMatch(/not squared/);
      expect(finite.label).toMatch(/finite difference/);
      // Same seed, same draws, same value; another seed, another value.
      expect((await perturbationStability(logits, x, o)).mean).toBe(squared.mean);
      expect((await perturbationStability(logits, x, { ...o, seed: 12 })).mean).not.toBe(squared.mean);
      tf.dispose(x);
      model.dispose();
    },
  );

  test('on a small CNN the first-order estimate agrees with its closed form within 5 standard errors', async () => {
    const clf = smallClassifier(2);
    const x = tf.tensor4d(uniforms(2 * 784, 4), [2, 28, 28, 1]);
    const before = tf.memory().numTensors;
    const r = await perturbationStability(clf.logits, x, { eps: 1, samples: 3000, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(r.mean - r.analyticFirstOrderSquared)).toBeLessThan(5 * r.standardError);
    tf.dispose(x);
    clf.model.dispose();
  });

  test('tanh network: ‖J‖_F² in the closed form equals central finite differences in double precision', async () => {
    const { model, logits, forward, d } = tanhModel(16, 5, 21);
    const inputs = uniforms(3 * d, 6);
    const x = tf.tensor4d(inputs, [3, 7, 7, 1]);
    const eps = 0.8;
    // ∂f_k/∂x_j ≈ (f_k(x + h e_j) − f_k(x − h e_j)) / 2h, error O(h²) on a smooth network, computed outside tfjs.
    const h = 1e-5;
    let expected = 0;
    for (let i = 0; i < 3; i++) {
      const xi = Array.from(inputs.subarray(i * d, (i + 1) * d));
      let frobeniusSq = 0;
      for (let j = 0; j < d; j++) {
        const up = xi.slice();
        const down = xi.slice();
        up[j] += h;
        down[j] -= h;
        const fu = forward(up);
        const fd = forward(down);
        for (let k = 0; k < fu.length; k++) frobeniusSq += ((fu[k] - fd[k]) / (2 * h)) ** 2;
      }
      expected += (eps * eps * frobeniusSq) / (d + 2) / 3;
    }
    const r = await perturbationStability(logits, x, { eps, samples: 4000, seed: 2 });
    expect(Math.abs(r.analyticFirstOrderSquared - expected) / expected).toBeLessThan(1e-4);
    expect(Math.abs(r.mean - expected)).toBeLessThan(5 * r.standardError);
    tf.dispose(x);
    model.dispose();
  });

  test('options are checked at the boundary', async () => {
    const { model, logits } = linearModel(2, 1);
    const x = tf.zeros([1, 7, 7, 1]) as tf.Tensor4D;
    await expect(perturbationStability(logits, x, { eps: -1 })).rejects.toThrow(InvalidOptionError);
    await expect(perturbationStability(logits, x, { eps: 1, samples: 0 })).rejects.toThrow(InvalidOptionError);
    await expect(perturbationStability(logits, x, { eps: 1, form: 'bogus' as never })).rejects.toThrow(
      /first-order-squared/,
    );
    await expect(perturbationStability(logits, x, { eps: 1 }, { isCancelled: () => true })).rejects.toThrow(
      CancelledError,
    );
    x.dispose();
    model.dispose();
  });
});

describe('MLP width × depth × init sweep', () => {
  test('one callback per configuration, in order (init, then depth, then width), models disposed', async () => {
    const x = tf.tensor4d(uniforms(3 * 784, 7), [3, 28, 28, 1]);
    const seen: [number, number, string, number, number][] = [];
    const before = tf.memory().numTensors;
    const points = await mlpStabilitySweep(
      { widths: [8, 32], depths: [1, 2], inits: ['he', 'ntk'], seed: 1 },
      x,
      { eps: 1, samples: 16 },
      {
        onConfiguration: (p: MlpSweepPoint, index, total) => seen.push([p.width, p.depth, p.init, index, total]),
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([
      [8, 1, 'he', 0, 8],
      [32, 1, 'he', 1, 8],
      [8, 2, 'he', 2, 8],
      [32, 2, 'he', 3, 8],
      [8, 1, 'ntk', 4, 8],
      [32, 1, 'ntk', 5, 8],
      [8, 2, 'ntk', 6, 8],
      [32, 2, 'ntk', 7, 8],
    ]);
    for (const p of points) {
      expect(p.stability.mean).toBeGreaterThan(0);
      expect(p.lazyTrainingRatio).toBeNull();
    }
    expect(points[0].parameters).toBe(784 * 8 + 8 * 10);
    tf.dispose(x);
  });

  test('a prepare hook (training stand-in) is measured by the lazy-training ratio', async () => {
    const x = tf.tensor4d(uniforms(784, 8), [1, 28, 28, 1]);
    const points = await mlpStabilitySweep(
      { widths: [16], depths: [1], inits: ['lecun'] },
      x,
      { eps: 1, samples: 4 },
      {
        // Scaling every weight by 1.1 moves θ by exactly 0.1·‖θ₀‖.
        prepare: async (model) => {
          const scaled = model.getWeights().map((w) => tf.mul(w, 1.1));
          model.setWeights(scaled);
          tf.dispose(scaled);
          return undefined;
        },
      },
    );
    expect(points[0].lazyTrainingRatio).toBeCloseTo(0.1, 5);
    await expect(mlpStabilitySweep({ widths: [], depths: [1], inits: ['he'] }, x, { eps: 1 })).rejects.toThrow(
      InvalidOptionError,
    );
    tf.dispose(x);
  });
});

/**
 * stabilityAnalysis (src/core/eval/stabilityAnalysis.ts), shared by the `stability` command and the
 * stability panel: curves against ε scale as ε² in closed form; the sweep measures each network
 * once per ε (same network: exact ε² ratio), rows come ε-major; the probe training moves the
 * weights (lazy-training ratio > 0) and leaks nothing; the Monte-Carlo values agree with the closed form
 * ε²‖J‖_F²/(d+2) of a linear model computed from its weights.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, smallClassifier, useWasm } from './helpers/env';
import { batchTensors, range } from '../../src/core/data/dataset';
import {
  LAZY_PROBE_TRAINING,
  mlpStabilityAgainstEps,
  probeTraining,
  stabilityAgainstEps,
} from '../../src/core/eval/stabilityAnalysis';
import { mlpStabilitySweep } from '../../src/core/eval/stabilitySweep';
import type { LogitsFn } from '../../src/core/models/classifier';
import { normals, uniforms } from './helpers/random';

beforeAll(useWasm);

describe('stability analysis', () => {
  test('one model against ε: closed form ∝ ε², labelled, no leak', async () => {
    const clf = smallClassifier(3);
    const ds = await mnistTestFirst(4);
    const { x, y } = batchTensors(ds, range(0, 4));
    const before = tf.memory().numTensors;
    const c = await stabilityAgainstEps(clf.logits, x, { eps: [0.5, 1, 2], samples: 8 });
    expect(tf.memory().numTensors).toBe(before);
    expect(c).toMatchObject({ form: 'first-order-squared', norm: 'l2', samples: 8, n: 4, d: 784 });
    expect(c.label).toMatch(/first order, squared/);
    expect(c.points.map((p) => p.eps)).toEqual([0.5, 1, 2]);
    expect(c.points[1].analyticFirstOrderSquared / c.points[0].analyticFirstOrderSquared).toBeCloseTo(4, 6);
    expect(c.points[2].analyticFirstOrderSquared / c.points[1].analyticFirstOrderSquared).toBeCloseTo(4, 6);
    tf.dispose([x, y]);
    clf.model.dispose();
  });

  test('Monte-Carlo values on a linear model: each ε within 5 standard errors of ε²‖W‖_F²/(d+2)', async () => {
    // f(x) = Wᵀ flatten(x) + b: J = Wᵀ everywhere, so E‖J u‖² = ε²‖W‖_F²/(d+2) for u uniform in the L2 ball.
    const d = 49;
    const k = 3;
    const w = normals(d * k, 4);
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [7, 7, 1] }), tf.layers.dense({ units: k })],
    });
    const weights = [tf.tensor2d(w, [d, k]), tf.tensor1d(normals(k, 5))];
    model.setWeights(weights);
    tf.dispose(weights);
    const logits: LogitsFn = (x) => model.apply(x, { training: false }) as tf.Tensor2D;
    const frobeniusSq = w.reduce((s, v) => s + v * v, 0);
    const x = tf.tensor4d(uniforms(2 * d, 3), [2, 7, 7, 1]);
    const c = await stabilityAgainstEps(logits, x, { eps: [0.5, 2], samples: 3000, seed: 7 });
    for (const p of c.points) {
      const exact = (p.eps * p.eps * frobeniusSq) / (d + 2);
      expect(p.standardError).toBeGreaterThan(0);
      expect(p.standardError / exact).toBeLessThan(0.02);
      expect(Math.abs(p.mean - exact)).toBeLessThan(5 * p.standardError);
    }
    // The same draws at every ε (one seed), scaled by ε: the Monte-Carlo means scale as ε² exactly.
    expect(c.points[1].mean / c.points[0].mean).toBeCloseTo(16, 3);
    tf.dispose(x);
    model.dispose();
  });

  test('sweep over several ε: each network measured at every ε, rows ε-major', async () => {
    const ds = await mnistTestFirst(3);
    const { x, y } = batchTensors(ds, range(0, 3));
    const rows = await mlpStabilityAgainstEps({ widths: [8, 16], depths: [1], inits: ['lecun'], seed: 2 }, x, {
      eps: [1, 2],
      samples: 400,
    });
    expect(rows.map((r) => [r.width, r.eps])).toEqual([
      [8, 1],
      [16, 1],
      [8, 2],
      [16, 2],
    ]);
    expect(rows[2].analyticFirstOrderSquared / rows[0].analyticFirstOrderSquared).toBeCloseTo(4, 6);
    expect(rows[3].analyticFirstOrderSquared / rows[1].analyticFirstOrderSquared).toBeCloseTo(4, 6);
    // The measured values: the same draws scaled by ε (exact ε² ratio), and each near its closed form. A ReLU MLP is
    // linear around x except where u crosses a kink, and the first-order form uses J at x: within 5 standard errors.
    expect(rows[2].mean / rows[0].mean).toBeCloseTo(4, 3);
    expect(rows[3].mean / rows[1].mean).toBeCloseTo(4, 3);
    for (const r of rows) {
      expect(r.standardError).toBeGreaterThan(0);
      expect(Math.abs(r.mean - r.analyticFirstOrderSquared)).toBeLessThan(5 * r.standardError);
    }
    tf.dispose([x, y]);
  });

  test('probe training moves the weights: lazy-training ratio in (0, 1), no leak', async () => {
    const train = await mnistTestFirst(128);
    const ds = await mnistTestFirst(2);
    const { x, y } = batchTensors(ds, range(0, 2));
    const before = tf.memory().numTensors;
    const probe = { ...LAZY_PROBE_TRAINING, examples: 128 };
    const points = await mlpStabilitySweep(
      { widths: [16], depths: [1], inits: ['he'] },
      x,
      { eps: 1, samples: 2 },
      { prepare: probeTraining(train, probe, 0) },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(points[0].lazyTrainingRatio).toBeGreaterThan(0);
    expect(points[0].lazyTrainingRatio).toBeLessThan(1);
    tf.dispose([x, y]);
  });
});

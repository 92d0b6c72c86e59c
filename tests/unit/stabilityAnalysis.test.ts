/**
 * stabilityAnalysis (src/core/eval/stabilityAnalysis.ts), shared by the `stability` command and the
 * stability panel: curves against ε scale as ε² in closed form; the sweep measures each network
 * once per ε (same network: exact ε² ratio), rows come ε-major; the probe training moves the
 * weights (lazy-training ratio > 0) and leaks nothing.
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

  test('sweep over several ε: each network measured at every ε, rows ε-major', async () => {
    const ds = await mnistTestFirst(3);
    const { x, y } = batchTensors(ds, range(0, 3));
    const rows = await mlpStabilityAgainstEps({ widths: [8, 16], depths: [1], inits: ['lecun'], seed: 2 }, x, {
      eps: [1, 2],
      samples: 4,
    });
    expect(rows.map((r) => [r.width, r.eps])).toEqual([
      [8, 1],
      [16, 1],
      [8, 2],
      [16, 2],
    ]);
    expect(rows[2].analyticFirstOrderSquared / rows[0].analyticFirstOrderSquared).toBeCloseTo(4, 6);
    expect(rows[3].analyticFirstOrderSquared / rows[1].analyticFirstOrderSquared).toBeCloseTo(4, 6);
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

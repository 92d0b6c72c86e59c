/**
 * ∇ₓ of the attack objective (objectiveGradient) against central finite differences, on a small
 * float32 convnet with strided / padded convolutions and max-pooling: on wasm (the project's
 * Conv2DBackpropInput and MaxPoolGrad kernels) and on cpu (tfjs' own kernels).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbs, maxAbsDiff, mnistTestFirst, smallClassifier, useWasm } from './helpers/env';
import { batchTensors, range } from '../../src/core/data/dataset';
import { attackObjective, objectiveGradient, type AttackGoal } from '../../src/core/attacks/objective';
import { mulberry32 } from '../../src/core/util/random';
import { uniforms } from './helpers/random';
import type { Classifier } from '../../src/core/models/classifier';

const H = 1e-2;
const REL_TOL = 2e-2;

function objectiveAt(clf: Classifier, x: Float32Array, shape: number[], goal: AttackGoal): number {
  return tf.tidy(() => {
    const t = tf.tensor4d(x, shape as [number, number, number, number]);
    return tf.sum(attackObjective(clf.logits(t), goal)).dataSync()[0];
  });
}

/** Central, forward and backward differences along coordinate i. */
function differences(clf: Classifier, x: Float32Array, shape: number[], goal: AttackGoal, i: number, h: number) {
  const plus = x.slice();
  const minus = x.slice();
  plus[i] += h;
  minus[i] -= h;
  const f0 = objectiveAt(clf, x, shape, goal);
  const fp = objectiveAt(clf, plus, shape, goal);
  const fm = objectiveAt(clf, minus, shape, goal);
  return { central: (fp - fm) / (2 * h), forward: (fp - f0) / h, backward: (f0 - fm) / h };
}

interface Check {
  checked: number;
  worst: number;
}

/** Compares the analytic gradient to finite differences on random coordinates where |g| is not tiny. */
function checkGradient(clf: Classifier, x: tf.Tensor4D, goal: AttackGoal, seed: number): Check {
  const grad = objectiveGradient(clf.logits, x, goal);
  expect(grad.shape).toEqual(x.shape);
  const g = grad.dataSync() as Float32Array;
  grad.dispose();
  const xs = x.dataSync() as Float32Array;
  const gmax = maxAbs(g);
  expect(gmax).toBeGreaterThan(1e-3);
  const candidates: number[] = [];
  for (let i = 0; i < g.length; i++) if (Math.abs(g[i]) >= 0.1 * gmax) candidates.push(i);
  const rand = mulberry32(seed);
  let checked = 0;
  let worst = 0;
  for (let k = 0; k < 40 && checked < 10 && candidates.length > 0; k++) {
    const i = candidates.splice(Math.floor(rand() * candidates.length), 1)[0];
    const d = differences(clf, xs, x.shape, goal, i, H);
    const fd = d.central;
    // Skip a coordinate only when the finite differences themselves disagree (a ReLU or max-pool
    // kink inside [x−h, x+h]); a wrong analytic gradient cannot make them disagree.
    if (Math.abs(d.forward - d.backward) > 0.5 * REL_TOL * Math.abs(fd)) continue;
    const err = Math.abs(fd - g[i]) / Math.abs(g[i]);
    worst = Math.max(worst, err);
    expect(err, `coordinate ${i}: analytic ${g[i]}, finite difference ${fd}`).toBeLessThan(REL_TOL);
    checked++;
  }
  return { checked, worst };
}

describe.each(['wasm', 'cpu'] as const)('objectiveGradient vs finite differences on %s', (backend) => {
  let clf: Classifier;
  let x: tf.Tensor4D;
  let y: tf.Tensor1D;
  beforeAll(async () => {
    await useWasm();
    await tf.setBackend(backend);
    clf = smallClassifier(3);
    // MNIST digits with a continuous random background: flat zero regions make every max-pool
    // window a tie and every ReLU sit on its bias, where the objective has kinks exactly at x.
    const ds = await mnistTestFirst(2);
    const batch = batchTensors(ds, range(0, 2));
    y = batch.y;
    x = tf.tidy(() => tf.add(tf.mul(batch.x, 0.6), tf.tensor4d(uniforms(2 * 784, 77, 0.1, 0.3), [2, 28, 28, 1])));
    batch.x.dispose();
  });
  afterAll(async () => {
    x.dispose();
    y.dispose();
    clf.model.dispose();
    await tf.setBackend('wasm');
  });

  test('untargeted objective (cross-entropy of the label)', () => {
    const { checked } = checkGradient(clf, x, { labels: y }, 11);
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  test('targeted objective (minus cross-entropy of the target)', () => {
    const targets = tf.tensor1d([3, 5], 'int32');
    const { checked } = checkGradient(clf, x, { labels: y, targets }, 12);
    targets.dispose();
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  test('each example’s gradient is independent of the rest of the batch', () => {
    const g2 = objectiveGradient(clf.logits, x, { labels: y });
    const x1 = x.slice([1, 0, 0, 0], [1, 28, 28, 1]);
    const y1 = y.slice([1], [1]);
    const g1 = objectiveGradient(clf.logits, x1, { labels: y1 });
    const row = g2.slice([1, 0, 0, 0], [1, 28, 28, 1]);
    expect(maxAbsDiff(row.dataSync(), g1.dataSync())).toBeLessThan(1e-6 + 1e-4 * maxAbs(g1.dataSync()));
    tf.dispose([g2, x1, y1, g1, row]);
  });

  test('the untargeted objective is the per-example cross-entropy', () => {
    const logits = clf.logits(x);
    const obj = attackObjective(logits, { labels: y });
    const l = logits.arraySync() as number[][];
    const labels = Array.from(y.dataSync());
    const expected = l.map((row, i) => {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      return lse - row[labels[i]];
    });
    const got = Array.from(obj.dataSync());
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i], 4);
    tf.dispose([logits, obj]);
  });
});

describe('wasm and cpu agree on the input gradient of the same model', () => {
  test('max difference within float32 noise', async () => {
    await useWasm();
    const ds = await mnistTestFirst(4);
    const grads: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      const clf = smallClassifier(5);
      const { x, y } = batchTensors(ds, range(0, 4));
      const g = objectiveGradient(clf.logits, x, { labels: y });
      grads.push(g.dataSync() as Float32Array);
      tf.dispose([g, x, y]);
      clf.model.dispose();
    }
    expect(maxAbs(grads[0])).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(grads[0], grads[1])).toBeLessThan(1e-3 * maxAbs(grads[0]));
    await tf.setBackend('wasm');
  });
});

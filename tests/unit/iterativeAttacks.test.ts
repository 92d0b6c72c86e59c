/**
 * BIM (Kurakin et al. 2016, §2.2) and PGD (Madry et al. 2018, §2.1) step by step against a loop written out here:
 * the gradient of the cross-entropy by tf.grad, the steepest-ascent step (sign for L∞, g/‖g‖₂ for L2), the
 * projection onto the ε-ball around x and the clip to the [0,1] box done on the host in double precision. Every
 * number of steps from 1 to 4 is compared, so a wrong step, projection order or box shows at the step it happens.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, smallClassifier, useWasm } from './helpers/env';
import { batchTensors, range } from '../../src/core/data/dataset';
import { disposeAttackRun, runAttack } from '../../src/core/attacks/runAttack';
import { projectedGradientAttack } from '../../src/core/attacks/pgd';
import { uniformInBall } from '../../src/core/attacks/norms';
import type { Norm } from '../../src/core/attacks/types';
import type { Classifier } from '../../src/core/models/classifier';

const N = 4;
const D = 784;

let clf: Classifier;
let x: tf.Tensor4D;
let y: tf.Tensor1D;
let xs: Float32Array;
beforeAll(async () => {
  await useWasm();
  clf = smallClassifier(5);
  const ds = await mnistTestFirst(N);
  ({ x, y } = batchTensors(ds, range(0, N)));
  xs = x.dataSync() as Float32Array;
});
afterAll(() => {
  tf.dispose([x, y]);
  clf.model.dispose();
});

/** ∇ₓ Σᵢ −log softmax(f(xᵢ))_{yᵢ}: each example's cross-entropy gradient (examples do not interact). */
function crossEntropyGradient(points: Float32Array): Float32Array {
  return tf.tidy(() => {
    const grad = tf.grad((t: tf.Tensor) => {
      const logProbs = tf.logSoftmax(clf.logits(t as tf.Tensor4D));
      return tf.neg(tf.sum(tf.mul(tf.oneHot(y, 10), logProbs)));
    });
    return grad(tf.tensor4d(points, [N, 28, 28, 1])).dataSync() as Float32Array;
  });
}

/** `steps` iterations of x ← Π_{ball(x₀, ε) ∩ [0,1]}(x + α·dir(∇)), from `start`, written out per pixel. */
function handWritten(start: Float32Array, norm: Norm, eps: number, alpha: number, steps: number): Float32Array {
  const cur = Float32Array.from(start);
  for (let t = 0; t < steps; t++) {
    const g = crossEntropyGradient(cur);
    for (let i = 0; i < N; i++) {
      const lo = i * D;
      const hi = lo + D;
      let gNorm = 0;
      for (let k = lo; k < hi; k++) gNorm += g[k] * g[k];
      gNorm = Math.sqrt(gNorm);
      const delta: number[] = [];
      for (let k = lo; k < hi; k++) {
        const dir = norm === 'linf' ? Math.sign(g[k]) : g[k] / (gNorm + 1e-12);
        delta.push(cur[k] + alpha * dir - xs[k]);
      }
      let scale = 1;
      if (norm === 'l2') {
        const dNorm = Math.sqrt(delta.reduce((s, v) => s + v * v, 0));
        scale = Math.min(1, eps / (dNorm + 1e-12));
      }
      for (let k = lo; k < hi; k++) {
        let d = delta[k - lo] * scale;
        if (norm === 'linf') d = Math.min(eps, Math.max(-eps, d));
        cur[k] = Math.min(1, Math.max(0, xs[k] + d));
      }
    }
  }
  return cur;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const CASES: { norm: Norm; eps: number; alpha: number }[] = [
  { norm: 'linf', eps: 0.1, alpha: 0.03 },
  { norm: 'l2', eps: 1.5, alpha: 0.5 },
];

describe.each(CASES)('$norm, ε = $eps, α = $alpha', ({ norm, eps, alpha }) => {
  test('BIM after each of 1–4 steps equals the hand-written loop from x', async () => {
    for (let steps = 1; steps <= 4; steps++) {
      const run = await runAttack(clf.logits, x, y, 10, {
        method: 'bim',
        norm,
        eps,
        alpha,
        steps,
        restarts: 1,
        target: { kind: 'untargeted' },
        seed: 0,
      });
      const got = run.adversarial.dataSync();
      disposeAttackRun(run);
      expect(maxAbsDiff(got, handWritten(xs, norm, eps, alpha, steps)), `after ${steps} steps`).toBeLessThan(2e-5);
    }
  });

  test('PGD after each of 1–4 steps equals the hand-written loop from its random start', async () => {
    const seed = 11;
    const delta0 = uniformInBall([N, 28, 28, 1], eps, norm, seed);
    const start = Float32Array.from(delta0.dataSync(), (d, k) => Math.min(1, Math.max(0, xs[k] + d)));
    delta0.dispose();
    for (let steps = 1; steps <= 4; steps++) {
      const adv = await projectedGradientAttack(
        clf.logits,
        x,
        { labels: y },
        {
          eps,
          alpha,
          steps,
          norm,
          randomStart: true,
          restarts: 1,
          seed,
        },
      );
      const got = adv.dataSync();
      adv.dispose();
      expect(maxAbsDiff(got, handWritten(start, norm, eps, alpha, steps)), `after ${steps} steps`).toBeLessThan(2e-5);
    }
  });
});

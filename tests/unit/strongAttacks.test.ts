/**
 * The strong evaluation attacks: Croce & Hein's (2020) DLR loss and APGD (its checkpoint schedule, its step-size
 * halving, that it stays in the threat model), APGD-T and AutoAttack-lite, and Carlini & Wagner's (2017) L2 attack
 * against the closed-form distance to a linear classifier's boundary.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { apgdCheckpoints, apgdRun, autoProjectedGradientAttack } from '../../src/core/attacks/apgd';
import { carliniWagnerL2 } from '../../src/core/attacks/carliniWagner';
import { dlrLoss } from '../../src/core/attacks/objective';
import { disposeAttackRun, runAttack } from '../../src/core/attacks/runAttack';
import type { AttackOptions } from '../../src/core/attacks/types';
import { batchTensors, range } from '../../src/core/data/dataset';
import { robustAccuracy } from '../../src/core/eval/robustAccuracy';
import type { LogitsFn } from '../../src/core/models/classifier';
import { InvalidOptionError } from '../../src/core/util/errors';
import { mulberry32 } from '../../src/core/util/random';
import { mnistTestFirst, shippedModel, useWasm } from './helpers/env';

beforeAll(useWasm);

const untargeted = { kind: 'untargeted' } as const;

describe('DLR loss (Croce & Hein 2020, eq. 6)', () => {
  test('hand-computed values, untargeted and targeted; invariant to shifting and scaling the logits', async () => {
    const logits = tf.tensor2d([
      [3, 1, 2, 0.5],
      [0, 4, 1, 2],
    ]);
    const labels = tf.tensor1d([0, 2], 'int32');
    // Row 0: z_y − max_{i≠y} z_i = 3 − 2 = 1; π1 − π3 = 3 − 1 → −1/2. Row 1: y = 2: 1 − 4 = −3; 4 − 1 → +1.
    expect(Array.from(await dlrLoss(logits, { labels }).data())).toEqual([
      expect.closeTo(-0.5, 6),
      expect.closeTo(1, 6),
    ]);
    // Targeted, t = 3 for row 0: −(z_y − z_t)/(π1 − (π3 + π4)/2) = −(3 − 0.5)/(3 − 0.75).
    const targets = tf.tensor1d([3, 1], 'int32');
    const targeted = await dlrLoss(logits, { labels, targets }).data();
    expect(targeted[0]).toBeCloseTo(-2.5 / 2.25, 6);
    expect(targeted[1]).toBeCloseTo(-(1 - 4) / (4 - (1 + 0) / 2), 6);
    const moved = tf.add(tf.mul(logits, 7.5), -3) as tf.Tensor2D;
    const again = await dlrLoss(moved, { labels }).data();
    expect(again[0]).toBeCloseTo(-0.5, 5);
    expect(again[1]).toBeCloseTo(1, 5);
    tf.dispose([logits, labels, targets, moved]);
  });
});

describe('APGD (Croce & Hein 2020, Algorithm 1)', () => {
  test('checkpoints at 100 iterations: gaps 22, 19, 16, 13, 10, 7, then 6 (never below 0.06·N)', () => {
    expect(apgdCheckpoints(100)).toEqual([22, 41, 57, 70, 80, 87, 93, 99]);
    expect(apgdCheckpoints(10)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  // A concave objective with its maximum inside the ball: logits (‖x − c‖², 0) with label 0, so the
  // cross-entropy log(1 + e^{−‖x−c‖²})… grows as x approaches c. A fixed step oscillates around c for ever; APGD
  // must halve its step at each checkpoint where the objective rose in ≤ 75 % of the steps, and end near c.
  test('on an interior maximum the step halves at checkpoints and the best point converges to it', async () => {
    const c = tf.fill([1, 4, 4, 1], 0.5);
    const bowl: LogitsFn = (x) =>
      tf.tidy(() => tf.stack([tf.sum(tf.square(tf.sub(x, c)), [1, 2, 3]), tf.zeros([x.shape[0]])], 1) as tf.Tensor2D);
    const x = tf.tidy(() => tf.add(c, tf.mul(tf.randomUniform([1, 4, 4, 1], -1, 1, 'float32', 3), 0.2))) as tf.Tensor4D;
    const labels = tf.tensor1d([0], 'int32');
    const before = tf.memory().numTensors;
    const seen: [number, number][] = [];
    const run = await apgdRun(bowl, x, { labels }, { eps: 0.8, norm: 'l2', steps: 100, seed: 1 }, 'goal', {
      onCheckpoint: (i, steps) => seen.push([i, steps[0]]),
    });
    expect(seen.map(([i]) => i)).toEqual([22, 41, 57, 70, 80, 87, 93, 99]);
    // Starts at 2ε = 1.6; every value is 1.6/2^k, never growing, and it did shrink.
    for (const [, s] of seen) expect(Math.abs(Math.log2(1.6 / s) - Math.round(Math.log2(1.6 / s)))).toBeLessThan(1e-4);
    for (let k = 1; k < seen.length; k++) expect(seen[k][1]).toBeLessThanOrEqual(seen[k - 1][1]);
    expect(seen.at(-1)![1]).toBeLessThan(1.6 / 16);
    const distance = tf.tidy(() => tf.norm(tf.sub(run.adversarial, c)));
    // c is ‖x − c‖ ≈ 0.2·√(16/3) ≈ 0.46 from x, inside ε = 0.8: the best point reaches it to within the final steps.
    expect((await distance.data())[0]).toBeLessThan(1.6 / 16);
    tf.dispose([distance, run.adversarial, run.success]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([c, x, labels]);
  });

  // Algorithm 1 by hand, in double precision, on an objective whose gradient direction is constant: the logits
  // (0, w·(x − ½) − 3) with label 0, so the cross-entropy softplus(w·(x − ½) − 3) rises with w·δ and never fools
  // the model (‖w‖·ε = 1 < 3). In L2 the iterate slides along the sphere towards w: at the checkpoints 2 and 3 of
  // a 10-step run (gaps 2 and 1) the objective rose in every step of the window, so the step must stay 2ε. In L∞
  // the first step lands on the best corner and the objective then stays put: the step must halve at every
  // checkpoint. The iterates are read off the logits calls.
  test('a hand loop: momentum, step rule, restarts from the best point; the step stays while rising', async () => {
    const d = 16;
    const rand = mulberry32(21);
    const wRaw = Array.from({ length: d }, () => rand() - 0.5);
    const norm0 = Math.hypot(...wRaw);
    const w = wRaw.map((v) => (10 * v) / norm0); // ‖w‖ = 10
    const x0 = Array.from({ length: d }, () => 0.5 + 0.01 * (rand() - 0.5));
    const wT = tf.tensor2d(w, [d, 1]);
    const calls: number[][] = [];
    const linear: LogitsFn = (x) => {
      calls.push(Array.from(x.dataSync()));
      return tf.tidy(() => {
        const b = tf.sub(tf.matMul(tf.sub(x.reshape([x.shape[0], d]), 0.5), wT), 3);
        return tf.concat([tf.zerosLike(b), b], 1) as tf.Tensor2D;
      });
    };
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
    for (const [norm, eps, compared] of [
      ['l2', 0.1, 6],
      ['linf', 0.05, 10],
    ] as const) {
      calls.length = 0;
      const x = tf.tensor4d(x0, [1, 4, 4, 1]);
      const labels = tf.tensor1d([0], 'int32');
      const seen: number[] = [];
      const run = await apgdRun(linear, x, { labels }, { eps, norm, steps: 10, seed: 4 }, 'goal', {
        onCheckpoint: (_i, steps) => seen.push(steps[0]),
      });
      expect(calls).toHaveLength(11); // the start, then one gradient per step
      const hand = handApgd(x0, calls[0], (v) => dot(w, v), w, eps, norm, 10);
      // The first few checkpoints, where the objective's rises are far above float32 rounding.
      expect(seen.slice(0, compared - 1)).toEqual(
        hand.checkpointSteps.slice(0, compared - 1).map((v) => expect.closeTo(v, 6)),
      );
      for (let k = 1; k <= compared; k++) {
        expect(maxAbsDiffOf(calls[k], hand.iterates[k]), `iterate ${k} (${norm})`).toBeLessThan(1e-5);
      }
      // L2: the objective rose in both steps before checkpoint 2 and in the one before 3, so the step stays; the
      // momentum then overshoots (it falls at step 4) and the step halves.
      if (norm === 'l2') expect(hand.checkpointSteps.slice(0, 3)).toEqual([2 * eps, 2 * eps, eps]);
      else expect(hand.checkpointSteps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => (2 * eps) / 2 ** k));
      tf.dispose([x, labels, run.adversarial, run.success]);
    }
    wT.dispose();
  });

  test('stays in the ε-ball and in [0,1] (L∞, L2) on real digits; restarts never raise robust accuracy', async () => {
    const clf = await shippedModel();
    const ds = await mnistTestFirst(64);
    const { x, y } = batchTensors(ds, range(0, 64));
    for (const [norm, eps] of [
      ['linf', 0.1],
      ['l2', 1.5],
    ] as const) {
      const run = await autoProjectedGradientAttack(
        clf.logits,
        x,
        { labels: y },
        { eps, norm, steps: 20, restarts: 1, seed: 2 },
      );
      const [size, lo, hi] = tf.tidy(() => {
        const d = tf.sub(run.adversarial, x).reshape([64, -1]);
        const per = norm === 'linf' ? tf.max(tf.abs(d), 1) : tf.norm(d, 2, 1);
        return [tf.max(per), tf.min(run.adversarial), tf.max(run.adversarial)];
      });
      expect((await size.data())[0]).toBeLessThanOrEqual(eps * (1 + 1e-5));
      expect((await lo.data())[0]).toBeGreaterThanOrEqual(0);
      expect((await hi.data())[0]).toBeLessThanOrEqual(1);
      tf.dispose([size, lo, hi, run.adversarial, run.success]);
    }
    const fooled = async (restarts: number) => {
      const run = await autoProjectedGradientAttack(
        clf.logits,
        x,
        { labels: y },
        { eps: 0.08, norm: 'linf', steps: 10, restarts, seed: 5 },
      );
      const s = Array.from(await run.success.data());
      tf.dispose([run.adversarial, run.success]);
      return s;
    };
    const one = await fooled(1);
    const three = await fooled(3);
    // Restart 1 is the same run; later ones only add successes.
    one.forEach((v, i) => {
      expect(three[i]).toBeGreaterThanOrEqual(v);
    });
    tf.dispose([x, y]);
  });
});

function options(over: Partial<AttackOptions>): AttackOptions {
  return { method: 'pgd', norm: 'linf', eps: 0.1, steps: 20, restarts: 1, target: untargeted, seed: 1, ...over };
}

describe('APGD, APGD-T and AutoAttack-lite against PGD on the shipped CNN', () => {
  // AutoAttack-lite runs APGD-CE first, so "lite ≤ APGD-CE" would hold by construction. What its second member
  // must add is Croce & Hein's (2020, §3.3) point about the DLR loss: multiply the logits by 10⁴ and the softmax
  // saturates, the cross-entropy's gradient underflows to 0 on confidently classified digits, and APGD-CE stalls
  // (gradient masking); the DLR loss is invariant to that scaling, so APGD-T still breaks them. A lite that skipped
  // APGD-T (or stopped after APGD-CE's survivors) fails.
  test('at equal budget: APGD-CE ≤ PGD; on 10⁴-scaled logits APGD-CE stalls and AutoAttack-lite does not', async () => {
    const clf = await shippedModel();
    const ds = await mnistTestFirst(60);
    const scaled = { ...clf, logits: (x: tf.Tensor4D) => tf.tidy(() => tf.mul(clf.logits(x), 1e4) as tf.Tensor2D) };
    const acc = async (o: AttackOptions, model = clf) =>
      (await robustAccuracy(model, ds, { kind: 'attack', options: o })).robustAccuracy;
    const pgd = await acc(options({ method: 'pgd', steps: 25, eps: 0.1 }));
    const apgd = await acc(options({ method: 'apgd-ce', steps: 25, eps: 0.1 }));
    // One image of slack: both attacks are random; APGD may not lose by more.
    expect(apgd).toBeLessThanOrEqual(pgd + 1 / 60);
    expect(pgd).toBeGreaterThan(0.05); // the comparison says something only if PGD leaves images standing
    const masked = await acc(options({ method: 'apgd-ce', steps: 25, eps: 0.1 }), scaled);
    const lite = await acc(options({ method: 'autoattack-lite', steps: 25, eps: 0.1, targetClasses: 4 }), scaled);
    expect(masked, 'APGD-CE is masked by the scaling').toBeGreaterThan(apgd + 0.3);
    // Measured: unscaled APGD-CE 10/60, scaled APGD-CE ≥ 28/60 more, lite on the scaled logits 12/60.
    expect(lite, 'APGD-T (DLR) is not').toBeLessThanOrEqual(apgd + 3 / 60);
    expect(lite).toBeLessThan(masked - 0.25);
  });

  test('APGD-T counts any wrong class; a user target is refused for the self-targeting attacks', async () => {
    const clf = await shippedModel();
    const ds = await mnistTestFirst(16);
    const { x, y } = batchTensors(ds, range(0, 16));
    const run = await runAttack(clf.logits, x, y, 10, options({ method: 'apgd-t', eps: 0.15, steps: 20 }));
    expect(run.options.targetClasses).toBe(9);
    const [pred, label, ok] = [
      Array.from(await tf.argMax(clf.logits(run.adversarial), 1).data()),
      Array.from(await y.data()),
      Array.from(await run.success.data()),
    ];
    ok.forEach((s, i) => {
      expect(s).toBe(pred[i] !== label[i] ? 1 : 0);
    });
    disposeAttackRun(run);
    await expect(
      runAttack(clf.logits, x, y, 10, options({ method: 'autoattack-lite', target: { kind: 'class', classIndex: 3 } })),
    ).rejects.toThrow(InvalidOptionError);
    tf.dispose([x, y]);
  });
});

describe('Carlini & Wagner L2 (2017)', () => {
  // A linear classifier on 16 pixels, inputs in the middle of the box so [0,1] never binds: the distance to the
  // boundary between classes y and j is (z_y − z_j)/‖w_y − w_j‖, and the smallest over j is the exact minimal L2
  // adversarial distance.
  test('finds the closed-form minimal distance of a linear classifier to within 3 %, never below it', async () => {
    const d = 16;
    const k = 3;
    const W = tf.randomNormal([d, k], 0, 1, 'float32', 11);
    // Centred at the middle of the box so the boundaries pass close to the inputs.
    const linear: LogitsFn = (x) => tf.tidy(() => tf.matMul(tf.sub(x.reshape([x.shape[0], d]), 0.5), W) as tf.Tensor2D);
    // Inputs 0.25 away from the centre along each class's own direction (its column of W minus their mean), so
    // each has a clear margin, plus a little seeded noise.
    const w = (await W.array()) as number[][];
    const rand = mulberry32(12);
    const xs = Array.from({ length: 6 }, (_, n) => {
      const dir = w.map((row) => row[n % k] - row.reduce((a, b) => a + b, 0) / k);
      const len = Math.hypot(...dir);
      return dir.map((v) => 0.5 + (0.25 * v) / len + 0.02 * (rand() - 0.5));
    });
    const x = tf.tensor4d(xs.flat(), [6, 4, 4, 1]);
    const labels = tf.argMax(linear(x), 1).toInt() as tf.Tensor1D;
    const y = Array.from(await labels.data());
    const exact = xs.map((xi, n) => {
      const z = Array.from({ length: k }, (_, c) => xi.reduce((s, v, p) => s + (v - 0.5) * w[p][c], 0));
      let best = Infinity;
      for (let j = 0; j < k; j++) {
        if (j === y[n]) continue;
        const diff = w.map((row) => row[y[n]] - row[j]);
        best = Math.min(best, (z[y[n]] - z[j]) / Math.hypot(...diff));
      }
      return best;
    });
    // The exact distances must leave the box slack for the test to be about the closed form.
    expect(Math.max(...exact)).toBeLessThan(0.4);
    // Examples within 0.02 of the boundary are too close for a first Adam step of any size; check the others.
    const checked = exact.map((e) => e > 0.02);
    expect(checked.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    const before = tf.memory().numTensors;
    const r = await carliniWagnerL2(linear, x, labels, undefined, { steps: 200, initialConst: 1 });
    r.distances.forEach((got, n) => {
      expect(got).toBeGreaterThanOrEqual(exact[n] * (1 - 1e-3));
      if (checked[n]) expect(got).toBeLessThanOrEqual(exact[n] * 1.03);
    });
    expect(Array.from(await r.success.data())).toEqual(new Array(6).fill(1));
    tf.dispose([r.adversarial, r.success]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([W, x, labels]);
  });

  test('through runAttack: success only within the budget ε; L∞ refused; minimal distances reported', async () => {
    const clf = await shippedModel();
    const ds = await mnistTestFirst(8);
    const { x, y } = batchTensors(ds, range(0, 8));
    const run = await runAttack(clf.logits, x, y, 10, options({ method: 'cw-l2', norm: 'l2', eps: 1.2, steps: 40 }));
    const ok = Array.from(await run.success.data());
    run.minimalL2!.forEach((dist, i) => {
      expect(ok[i]).toBe(dist <= 1.2 ? 1 : 0);
    });
    expect(run.minimalL2!.filter((v) => Number.isFinite(v)).length).toBeGreaterThan(4);
    disposeAttackRun(run);
    await expect(runAttack(clf.logits, x, y, 10, options({ method: 'cw-l2', norm: 'linf' }))).rejects.toThrow(
      /L2 attack/,
    );
    tf.dispose([x, y]);
  });
});

/** max |a − b| over two equally long arrays. */
function maxAbsDiffOf(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

/**
 * Croce & Hein's (2020) Algorithm 1 in plain numbers for one example whose objective's gradient points along `w`
 * everywhere (so dir = sign(w) or w/‖w‖): momentum 0.75 (1 on the first step), η⁽⁰⁾ = 2ε, and at each checkpoint
 * the step halves and the iterate restarts from the best point when the objective rose in ≤ 0.75 of the window's
 * steps or neither the step nor the best objective changed since the last checkpoint (the authors' code).
 */
function handApgd(
  x: number[],
  start: number[],
  objective: (v: number[]) => number,
  w: number[],
  eps: number,
  norm: 'linf' | 'l2',
  steps: number,
): { iterates: number[][]; checkpointSteps: number[] } {
  const project = (v: number[]) => {
    let delta = v.map((vi, i) => vi - x[i]);
    if (norm === 'linf') delta = delta.map((t) => Math.min(eps, Math.max(-eps, t)));
    else {
      const len = Math.hypot(...delta);
      if (len > eps) delta = delta.map((t) => (t * eps) / len);
    }
    return delta.map((t, i) => Math.min(1, Math.max(0, x[i] + t)));
  };
  const wLen = Math.hypot(...w);
  const dir = w.map((wi) => (norm === 'linf' ? Math.sign(wi) : wi / wLen));
  const checkpoints = apgdCheckpointsByHand(steps);
  let [xAdv, xPrev, xBest] = [start, start, start];
  let loss = objective(start);
  let [lossBest, lossBestAtCheck] = [loss, loss];
  let step = 2 * eps;
  let increases = 0;
  let reducedAtCheck = true;
  let windowStart = 0;
  const iterates = [start];
  const checkpointSteps: number[] = [];
  for (let i = 0; i < steps; i++) {
    const a = i === 0 ? 1 : 0.75;
    const z = project(xAdv.map((v, k) => v + step * dir[k]));
    const next = project(xAdv.map((v, k) => v + a * (z[k] - v) + (1 - a) * (v - xPrev[k])));
    [xPrev, xAdv] = [xAdv, next];
    iterates.push(next);
    const value = objective(next);
    if (value > loss) increases++;
    loss = value;
    if (value > lossBest) [lossBest, xBest] = [value, next];
    if (checkpoints.includes(i + 1)) {
      const gap = i + 1 - windowStart;
      windowStart = i + 1;
      const reduce: boolean = increases <= 0.75 * gap || (!reducedAtCheck && lossBestAtCheck >= lossBest);
      if (reduce) [step, xAdv] = [step / 2, xBest];
      [reducedAtCheck, lossBestAtCheck, increases] = [reduce, lossBest, 0];
      checkpointSteps.push(step);
    }
  }
  return { iterates, checkpointSteps };
}

/** p₀ = 0, p₁ = 0.22, gaps shrinking by 0.03 to at least 0.06, as whole iterations (at least 1). */
function apgdCheckpointsByHand(steps: number): number[] {
  const out: number[] = [];
  let gap = Math.max(Math.floor(0.22 * steps), 1);
  for (let at = gap; at <= steps; at += gap) {
    out.push(at);
    gap = Math.max(gap - Math.max(Math.floor(0.03 * steps), 1), Math.max(Math.floor(0.06 * steps), 1));
  }
  return out;
}

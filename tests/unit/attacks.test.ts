/**
 * FGSM, BIM and PGD (Goodfellow et al. 2015; Kurakin et al. 2016; Madry et al. 2018) on a small
 * random convnet and on the shipped model: threat-model constraints, determinism, the step rules,
 * targets, restarts, option validation.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { argMaxRows, maxAbsDiff, mnistTestFirst, rows, shippedModel, smallClassifier, useWasm } from './helpers/env';
import { batchTensors, range, takeFirst, type ImageDataset } from '../../src/core/data/dataset';
import { disposeAttackRun, runAttack, type AttackRun } from '../../src/core/attacks/runAttack';
import { resolveAttackOptions } from '../../src/core/attacks/resolveOptions';
import { defaultStepSize } from '../../src/core/options/attackOptions';
import { chooseTargets } from '../../src/core/attacks/targets';
import { projectedGradientAttack } from '../../src/core/attacks/pgd';
import { attackObjective, attackSucceeded } from '../../src/core/attacks/objective';
import { projectOntoBall, uniformInBall } from '../../src/core/attacks/norms';
import { robustAccuracy } from '../../src/core/eval/robustAccuracy';
import type { AttackMethod, AttackOptions, Norm } from '../../src/core/attacks/types';
import type { Classifier } from '../../src/core/models/classifier';
import { InvalidOptionError } from '../../src/core/util/errors';

const EPS: Record<Norm, number> = { linf: 0.1, l2: 1.5 };

function options(over: Partial<AttackOptions>): AttackOptions {
  return {
    method: 'pgd',
    norm: 'linf',
    eps: 0.1,
    steps: 5,
    restarts: 1,
    target: { kind: 'untargeted' },
    seed: 1,
    ...over,
  };
}

/** Per-example ‖δ‖∞ and ‖δ‖₂, computed in double precision from the tensors' values. */
function perturbationNorms(x: tf.Tensor4D, adv: tf.Tensor4D): { linf: number[]; l2: number[] } {
  const xs = rows(x);
  const as = rows(adv);
  return {
    linf: xs.map((r, i) => r.reduce((m, v, k) => Math.max(m, Math.abs(as[i][k] - v)), 0)),
    l2: xs.map((r, i) => Math.sqrt(r.reduce((s, v, k) => s + (as[i][k] - v) ** 2, 0))),
  };
}

describe('attacks on a small random convnet', () => {
  let clf: Classifier;
  let ds: ImageDataset;
  let x: tf.Tensor4D;
  let y: tf.Tensor1D;
  beforeAll(async () => {
    await useWasm();
    clf = smallClassifier(2);
    ds = await mnistTestFirst(6);
    ({ x, y } = batchTensors(ds, range(0, 6)));
  });
  afterAll(() => {
    tf.dispose([x, y]);
    clf.model.dispose();
  });

  const grid: [AttackMethod, Norm][] = [];
  for (const m of ['fgsm', 'bim', 'pgd'] as const) for (const n of ['linf', 'l2'] as const) grid.push([m, n]);

  test.each(grid)('%s / %s stays in the ε-ball and in [0,1]', async (method, norm) => {
    const eps = EPS[norm];
    const run = await runAttack(
      clf.logits,
      x,
      y,
      10,
      options({ method, norm, eps, steps: 4, restarts: method === 'pgd' ? 2 : 1 }),
    );
    expect(run.adversarial.shape).toEqual(x.shape);
    const adv = run.adversarial.dataSync();
    expect(Math.min(...adv)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...adv)).toBeLessThanOrEqual(1);
    const { linf, l2 } = perturbationNorms(x, run.adversarial);
    if (norm === 'linf') for (const v of linf) expect(v).toBeLessThanOrEqual(eps + 1e-6);
    else for (const v of l2) expect(v).toBeLessThanOrEqual(eps + 1e-4);
    // The attack actually moved every example (a zero step would pass the bounds trivially).
    for (const v of l2) expect(v).toBeGreaterThan(0.05);
    // success is 1 exactly where the adversarial prediction differs from the label.
    const pred = argMaxRows(clf.logits(run.adversarial));
    const labels = Array.from(y.dataSync());
    expect(Array.from(run.success.dataSync())).toEqual(pred.map((p, i) => (p !== labels[i] ? 1 : 0)));
    disposeAttackRun(run);
  });

  test('FGSM L∞ is clip(x + ε·sign(∇ₓ CE)) with a gradient computed independently', async () => {
    const eps = 0.07;
    const run = await runAttack(clf.logits, x, y, 10, options({ method: 'fgsm', eps }));
    const expected = tf.tidy(() => {
      const g = tf.grad((xx: tf.Tensor) =>
        tf.losses.softmaxCrossEntropy(
          tf.oneHot(y, 10),
          clf.logits(xx as tf.Tensor4D),
          undefined,
          undefined,
          tf.Reduction.SUM,
        ),
      )(x);
      return tf.clipByValue(tf.add(x, tf.mul(eps, tf.sign(g))), 0, 1);
    });
    expect(maxAbsDiff(run.adversarial.dataSync(), expected.dataSync())).toBeLessThan(1e-6);
    tf.dispose(expected);
    disposeAttackRun(run);
  });

  test('FGSM on a mid-grey image: every pixel moves by exactly ε (L∞), ‖δ‖₂ = ε (L2)', async () => {
    const grey = tf.fill([2, 28, 28, 1], 0.5) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 7], 'int32');
    const linf = await runAttack(clf.logits, grey, labels, 10, options({ method: 'fgsm', norm: 'linf', eps: 0.05 }));
    const d = tf.sub(linf.adversarial, grey);
    const g = tf.grad((xx: tf.Tensor) => tf.sum(attackObjective(clf.logits(xx as tf.Tensor4D), { labels })))(grey);
    const dv = d.dataSync();
    const gv = g.dataSync();
    for (let i = 0; i < dv.length; i++) expect(dv[i]).toBeCloseTo(0.05 * Math.sign(gv[i]), 6);
    const l2 = await runAttack(clf.logits, grey, labels, 10, options({ method: 'fgsm', norm: 'l2', eps: 0.4 }));
    // No pixel can move more than ε = 0.4 < 0.5, so nothing is clipped and the norm is exactly ε.
    for (const v of perturbationNorms(grey, l2.adversarial).l2) expect(v).toBeCloseTo(0.4, 4);
    tf.dispose([grey, labels, d, g]);
    disposeAttackRun(linf);
    disposeAttackRun(l2);
  });

  test('BIM with one step of α = ε is FGSM (L∞ and L2)', async () => {
    for (const norm of ['linf', 'l2'] as const) {
      const eps = EPS[norm];
      const a = await runAttack(clf.logits, x, y, 10, options({ method: 'fgsm', norm, eps }));
      const b = await runAttack(clf.logits, x, y, 10, options({ method: 'bim', norm, eps, steps: 1, alpha: eps }));
      expect(maxAbsDiff(a.adversarial.dataSync(), b.adversarial.dataSync())).toBeLessThan(1e-6);
      disposeAttackRun(a);
      disposeAttackRun(b);
    }
  });

  test('BIM raises the objective over FGSM-sized single steps (more steps do not lose ground)', async () => {
    const loss = (t: tf.Tensor4D) => tf.tidy(() => tf.sum(attackObjective(clf.logits(t), { labels: y })).dataSync()[0]);
    const one = await runAttack(clf.logits, x, y, 10, options({ method: 'bim', eps: 0.05, steps: 1, alpha: 0.01 }));
    const five = await runAttack(clf.logits, x, y, 10, options({ method: 'bim', eps: 0.05, steps: 5, alpha: 0.01 }));
    expect(loss(x)).toBeLessThan(loss(one.adversarial));
    expect(loss(one.adversarial)).toBeLessThan(loss(five.adversarial));
    disposeAttackRun(one);
    disposeAttackRun(five);
  });

  test('same seed → identical adversarials; different seed → different PGD starts and results', async () => {
    for (const norm of ['linf', 'l2'] as const) {
      const o = options({ method: 'pgd', norm, eps: EPS[norm], steps: 3, restarts: 2, seed: 5 });
      const a = await runAttack(clf.logits, x, y, 10, o);
      const b = await runAttack(clf.logits, x, y, 10, o);
      const c = await runAttack(clf.logits, x, y, 10, { ...o, seed: 6 });
      expect(Array.from(a.adversarial.dataSync())).toEqual(Array.from(b.adversarial.dataSync()));
      expect(maxAbsDiff(a.adversarial.dataSync(), c.adversarial.dataSync())).toBeGreaterThan(1e-3);
      [a, b, c].forEach(disposeAttackRun);
    }
    // BIM has no random start: the seed does not matter.
    const p = await runAttack(clf.logits, x, y, 10, options({ method: 'bim', steps: 3, seed: 1 }));
    const q = await runAttack(clf.logits, x, y, 10, options({ method: 'bim', steps: 3, seed: 2 }));
    expect(Array.from(p.adversarial.dataSync())).toEqual(Array.from(q.adversarial.dataSync()));
    [p, q].forEach(disposeAttackRun);
  });

  test('targeted (user class): success ⇔ argmax = target, targets reported', async () => {
    for (const method of ['fgsm', 'bim', 'pgd'] as const) {
      const run = await runAttack(
        clf.logits,
        x,
        y,
        10,
        options({ method, eps: 0.3, steps: 10, target: { kind: 'class', classIndex: 4 } }),
      );
      expect(Array.from(run.targets!.dataSync())).toEqual(new Array(6).fill(4));
      const pred = argMaxRows(clf.logits(run.adversarial));
      expect(Array.from(run.success.dataSync())).toEqual(pred.map((p) => (p === 4 ? 1 : 0)));
      disposeAttackRun(run);
    }
  });

  test('targeted BIM lowers the cross-entropy of the target', async () => {
    const targets = tf.fill([6], 4, 'int32') as tf.Tensor1D;
    const ce = (t: tf.Tensor4D) =>
      tf.tidy(() => -tf.sum(attackObjective(clf.logits(t), { labels: y, targets })).dataSync()[0]);
    const run = await runAttack(
      clf.logits,
      x,
      y,
      10,
      options({ method: 'bim', eps: 0.1, steps: 5, target: { kind: 'class', classIndex: 4 } }),
    );
    expect(ce(run.adversarial)).toBeLessThan(ce(x));
    disposeAttackRun(run);
    targets.dispose();
  });

  test("'random' targets: never the label, in range, seeded, and varied", async () => {
    const n = 300;
    const labelValues = Int32Array.from({ length: n }, (_, i) => (i * 7) % 10);
    const labels = tf.tensor1d(labelValues, 'int32');
    const big = tf.zeros([n, 28, 28, 1]) as tf.Tensor4D;
    const a = (await chooseTargets({ kind: 'random' }, clf.logits, big, labels, 10, 3))!;
    const b = (await chooseTargets({ kind: 'random' }, clf.logits, big, labels, 10, 3))!;
    const c = (await chooseTargets({ kind: 'random' }, clf.logits, big, labels, 10, 4))!;
    const av = Array.from(a.dataSync());
    for (let i = 0; i < n; i++) {
      expect(av[i]).not.toBe(labelValues[i]);
      expect(av[i]).toBeGreaterThanOrEqual(0);
      expect(av[i]).toBeLessThanOrEqual(9);
    }
    expect(av).toEqual(Array.from(b.dataSync()));
    expect(av).not.toEqual(Array.from(c.dataSync()));
    // Roughly uniform over the 9 other classes: each class is hit, none dominates.
    const counts = new Array(10).fill(0);
    av.forEach((t) => {
      counts[t]++;
    });
    for (const k of counts) {
      expect(k).toBeGreaterThan(10);
      expect(k).toBeLessThan(60);
    }
    tf.dispose([labels, big, a, b, c]);
  });

  test("'least-likely' target is the argmin of the clean logits", async () => {
    const run = await runAttack(
      clf.logits,
      x,
      y,
      10,
      options({ method: 'fgsm', eps: 0.01, target: { kind: 'least-likely' } }),
    );
    const logits = clf.logits(x).arraySync() as number[][];
    const argmin = logits.map((r) => r.indexOf(Math.min(...r)));
    expect(Array.from(run.targets!.dataSync())).toEqual(argmin);
    disposeAttackRun(run);
  });

  test('restarts are aggregated per example: any successful restart wins, else the highest objective', async () => {
    const steps = 2;
    const restarts = 4;
    // Record the input of every call of the logits function: per restart, `steps` gradient calls
    // on x₀…x_{K−1}, then the scoring call on the restart's final iterate x_K.
    const calls: tf.Tensor4D[] = [];
    const recording = (t: tf.Tensor4D) => {
      calls.push(tf.keep(t.clone()));
      return clf.logits(t);
    };
    const goal = { labels: y };
    const eps = 0.08;
    const adv = await projectedGradientAttack(recording, x, goal, {
      eps,
      alpha: 0.04,
      steps,
      norm: 'linf',
      randomStart: true,
      restarts,
      seed: 9,
    });
    expect(calls).toHaveLength(restarts * (steps + 1));
    const finals = Array.from({ length: restarts }, (_, r) => calls[r * (steps + 1) + steps]);
    const score = (t: tf.Tensor4D) =>
      tf.tidy(() => {
        const l = clf.logits(t);
        return {
          obj: Array.from(attackObjective(l, goal).dataSync()),
          ok: Array.from(attackSucceeded(l, goal).dataSync()),
        };
      });
    const perRestart = finals.map(score);
    const result = score(adv);
    const advRows = rows(adv);
    const finalRows = finals.map(rows);
    for (let i = 0; i < 6; i++) {
      const anySuccess = perRestart.some((s) => s.ok[i] === 1);
      expect(result.ok[i], `example ${i}`).toBe(anySuccess ? 1 : 0);
      if (!anySuccess) expect(result.obj[i]).toBeCloseTo(Math.max(...perRestart.map((s) => s.obj[i])), 4);
      // The kept row is one restart's final iterate, unchanged.
      const source = finalRows.findIndex((fr) => maxAbsDiff(fr[i], advRows[i]) === 0);
      expect(source, `example ${i} comes from a restart`).toBeGreaterThanOrEqual(0);
    }
    tf.dispose([...calls, adv]);
  });
});

describe('norm helpers', () => {
  beforeAll(useWasm);

  /** ‖u‖₂ of each draw of uniformInBall, in double precision on the host. */
  function radii(shape: [number, number, number, number], eps: number, seed: number): number[] {
    const start = uniformInBall(shape, eps, 'l2', seed);
    const v = start.dataSync();
    start.dispose();
    const d = shape[1] * shape[2] * shape[3];
    return Array.from({ length: shape[0] }, (_, i) => {
      let sq = 0;
      for (let k = i * d; k < (i + 1) * d; k++) sq += v[k] * v[k];
      return Math.sqrt(sq);
    });
  }

  // Uniform in the d-ball of radius ε: P(‖u‖ ≤ r) = (r/ε)^d, so E‖u‖² = ∫₀^ε r² d(r/ε)^d = ε²·d/(d+2).
  test('uniform start in the L2 ball (d = 3): the radius follows (r/ε)^d (Kolmogorov–Smirnov)', () => {
    const eps = 1.5;
    const d = 3;
    const n = 4000;
    const r = radii([n, 1, 1, d], eps, 5).sort((a, b) => a - b);
    // D = sup |F_n − F|; at n = 4000 P(D > 1.95/√n) ≈ 0.001 for the right law. On the sphere (r = ε) D = 1;
    // with a radius ε·U, D = max (t − t³) ≈ 0.38.
    let ks = 0;
    r.forEach((ri, i) => {
      expect(ri).toBeLessThanOrEqual(eps * (1 + 1e-6));
      const f = (ri / eps) ** d;
      ks = Math.max(ks, Math.abs((i + 1) / n - f), Math.abs(i / n - f));
    });
    expect(ks).toBeLessThan(1.95 / Math.sqrt(n));
    // E‖u‖² = ε²·3/5; the standard error of the mean of ‖u‖²/ε² is √(3/7 − 9/25)/√n ≈ 0.004.
    const meanSq = r.reduce((s, ri) => s + ri * ri, 0) / n;
    expect(Math.abs(meanSq / eps ** 2 - d / (d + 2))).toBeLessThan(5 * 0.0042);
  });

  test('uniform start in the L2 ball (d = 784): E‖u‖² = ε²·d/(d+2), not ε² as on the sphere', () => {
    const eps = 2;
    const d = 784;
    const n = 2000;
    const r = radii([n, 28, 28, 1], eps, 3);
    for (const ri of r) expect(ri).toBeLessThanOrEqual(eps * (1 + 1e-5));
    // ‖u‖²/ε² = U^{2/d}: mean d/(d+2) = 0.99746, standard deviation ≈ 2/d ≈ 0.0025, so the standard error of the
    // mean is 0.0025/√2000 ≈ 6e-5. A sampler on the sphere gives exactly 1 (40 standard errors away).
    const meanSq = r.reduce((s, ri) => s + ri * ri, 0) / n / eps ** 2;
    expect(Math.abs(meanSq - d / (d + 2))).toBeLessThan(3e-4);
  });

  // Uniform on [−ε, ε] per pixel: P(u ≤ t) = (t + ε)/2ε, mean 0, variance ε²/3. A sampler that returns only ±ε
  // (variance ε², D = 1/2), only [0, ε] (D = 1/2) or a Gaussian clipped to the box fails both checks.
  test('uniform start in the L∞ ball: the law of every pixel is U(−ε, ε) (KS), variance ε²/3', () => {
    const eps = 0.3;
    const start = uniformInBall([8, 28, 28, 1], eps, 'linf', 4);
    const v = Array.from(start.dataSync()).sort((a, b) => a - b);
    start.dispose();
    const n = v.length; // 6,272 independent draws
    expect(v[0]).toBeGreaterThanOrEqual(-Math.fround(eps));
    expect(v[n - 1]).toBeLessThanOrEqual(Math.fround(eps));
    let ks = 0;
    v.forEach((t, i) => {
      const f = (t + eps) / (2 * eps);
      ks = Math.max(ks, Math.abs((i + 1) / n - f), Math.abs(i / n - f));
    });
    // P(D > 1.95/√n) ≈ 0.001 under the right law.
    expect(ks).toBeLessThan(1.95 / Math.sqrt(n));
    // The standard error of the mean of u²/ε² (u²/ε² = U², variance 1/5 − 1/9) is √(4/45)/√n ≈ 0.0038.
    const meanSq = v.reduce((s, t) => s + t * t, 0) / n / eps ** 2;
    expect(Math.abs(meanSq - 1 / 3)).toBeLessThan(5 * 0.0038);
    const mean = v.reduce((s, t) => s + t, 0) / n;
    expect(Math.abs(mean)).toBeLessThan((5 * eps) / Math.sqrt(3 * n));
  });

  test('L2 projection shrinks long vectors onto the sphere and leaves short ones alone', () => {
    const d = tf.tidy(() => tf.concat([tf.fill([1, 28, 28, 1], 0.2), tf.fill([1, 28, 28, 1], 0.001)]) as tf.Tensor4D);
    const p = projectOntoBall(d, 1, 'l2');
    const pv = rows(p);
    const norm0 = Math.sqrt(pv[0].reduce((s, a) => s + a * a, 0));
    expect(norm0).toBeCloseTo(1, 4);
    expect(pv[0][0]).toBeCloseTo(1 / 28, 5); // same direction: constant vector of norm 1
    expect(maxAbsDiff(pv[1], rows(d)[1])).toBeLessThan(1e-7);
    tf.dispose([d, p]);
  });
});

describe('resolveAttackOptions', () => {
  const base = options({});
  const bad: [string, Partial<AttackOptions>][] = [
    ['eps < 0', { eps: -0.1 }],
    ['eps NaN', { eps: NaN }],
    ['eps > 1 for linf', { eps: 1.5 }],
    ['steps 0', { steps: 0 }],
    ['steps 2.5', { steps: 2.5 }],
    ['unknown method', { method: 'deepfool' as AttackMethod }],
    ['unknown norm', { norm: 'l1' as Norm }],
    ['target class 10', { target: { kind: 'class', classIndex: 10 } }],
    ['target class -1', { target: { kind: 'class', classIndex: -1 } }],
    ['restarts 0 for PGD', { restarts: 0 }],
    ['negative seed', { seed: -1 }],
    ['alpha NaN', { alpha: NaN }],
    ['alpha < 0', { alpha: -0.01 }],
  ];
  test.each(bad)('rejects %s with InvalidOptionError', (_what, over) => {
    expect(() => resolveAttackOptions({ ...base, ...over }, 10)).toThrow(InvalidOptionError);
  });

  test('the messages say what was wrong', () => {
    expect(() => resolveAttackOptions({ ...base, eps: -1 }, 10)).toThrow(/ε.*-1/);
    expect(() => resolveAttackOptions({ ...base, target: { kind: 'class', classIndex: 10 } }, 10)).toThrow(
      /0 to 9.*10/,
    );
    expect(() => resolveAttackOptions({ ...base, method: 'cw' as AttackMethod }, 10)).toThrow(/Unknown attack "cw"/);
  });

  test('default step size is 2.5·ε/steps; explicit α is kept', () => {
    for (const [eps, steps, norm] of [
      [0.3, 40, 'linf'],
      [0.1, 20, 'linf'],
      [2, 7, 'l2'],
    ] as const) {
      const r = resolveAttackOptions({ ...base, norm, eps, steps, alpha: undefined }, 10);
      expect(r.alpha).toBeCloseTo((2.5 * eps) / steps, 12);
      expect(defaultStepSize(eps, steps)).toBeCloseTo((2.5 * eps) / steps, 12);
    }
    expect(resolveAttackOptions({ ...base, alpha: 0.01 }, 10).alpha).toBe(0.01);
  });

  test('FGSM is one step of size ε; BIM has no random start and one run; PGD has a random start', () => {
    const f = resolveAttackOptions({ ...base, method: 'fgsm', steps: 0, restarts: 0, eps: 0.2 }, 10);
    expect([f.steps, f.alpha, f.restarts, f.randomStart]).toEqual([1, 0.2, 1, false]);
    const b = resolveAttackOptions({ ...base, method: 'bim', restarts: 5 }, 10);
    expect([b.restarts, b.randomStart]).toEqual([1, false]);
    const p = resolveAttackOptions({ ...base, method: 'pgd', restarts: 5 }, 10);
    expect([p.restarts, p.randomStart]).toEqual([5, true]);
  });

  test('runAttack validates before doing any work', async () => {
    await useWasm();
    const x = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    const y = tf.tensor1d([0], 'int32');
    const before = tf.memory().numTensors;
    await expect(
      runAttack(
        () => {
          throw new Error('model must not run');
        },
        x,
        y,
        10,
        { ...base, eps: -1 },
      ),
    ).rejects.toThrow(InvalidOptionError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });
});

describe('attacks on the shipped model', () => {
  let clf: Classifier;
  let ds: ImageDataset;
  beforeAll(async () => {
    await useWasm();
    clf = await shippedModel();
    ds = await mnistTestFirst(64);
  });

  test('targeted PGD (ε = 0.3, 40 steps) reaches the chosen class for most of 16 images', async () => {
    const { x, y } = batchTensors(ds, range(0, 16));
    const labels = Array.from(y.dataSync());
    // Per-example user targets: label + 1 mod 10 (never the label).
    const targetValues = labels.map((l) => (l + 1) % 10);
    // runAttack takes one user class for the batch, so attack per target class.
    let reached = 0;
    for (const t of new Set(targetValues)) {
      const idx = targetValues.flatMap((v, i) => (v === t ? [i] : []));
      const xi = tf.gather(x, idx) as tf.Tensor4D;
      const yi = tf.gather(y, idx) as tf.Tensor1D;
      const run: AttackRun = await runAttack(
        clf.logits,
        xi,
        yi,
        10,
        options({ method: 'pgd', eps: 0.3, steps: 40, target: { kind: 'class', classIndex: t } }),
      );
      const pred = argMaxRows(clf.logits(run.adversarial));
      const ok = Array.from(run.success.dataSync());
      pred.forEach((p, k) => {
        expect(ok[k]).toBe(p === t ? 1 : 0);
      });
      reached += ok.reduce((s, v) => s + v, 0);
      expect(perturbationNorms(xi, run.adversarial).linf.every((v) => v <= 0.3 + 1e-6)).toBe(true);
      disposeAttackRun(run);
      tf.dispose([xi, yi]);
    }
    expect(reached).toBeGreaterThanOrEqual(12);
    tf.dispose([x, y]);
  });

  test('robust accuracy with 3 restarts ≤ with 1 restart (same seed), and ≤ clean', async () => {
    const subset = takeFirst(ds, 64);
    const o = options({ method: 'pgd', eps: 0.12, steps: 8, seed: 21 });
    const one = await robustAccuracy(clf, subset, { kind: 'attack', options: { ...o, restarts: 1 } });
    const three = await robustAccuracy(clf, subset, { kind: 'attack', options: { ...o, restarts: 3 } });
    expect(three.threat).toMatchObject({ kind: 'attack', options: { restarts: 3 } });
    expect(one.robustAccuracy).toBeLessThanOrEqual(one.cleanAccuracy);
    expect(three.robustAccuracy).toBeLessThanOrEqual(one.robustAccuracy);
    expect(three.cleanAccuracy).toBe(one.cleanAccuracy);
  });
});

/**
 * Adversarial training (Madry et al. 2018; Wong, Rice & Kolter 2020; Zhang et al. 2019): the crafted batches stay
 * in the threat model, the schedule and the batch share do what they say, TRADES' loss is CE + β·KL computed by
 * hand, PGD training makes a model robust where standard training does not (on a problem built to show it), the
 * collapse detector, reproducibility and no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { projectedGradientAttack } from '../../src/core/attacks/pgd';
import { batchTensors, range } from '../../src/core/data/dataset';
import {
  adversarialCount,
  adversarialObjective,
  resolveAdversarialConfig,
  warmedUpEps,
} from '../../src/core/train/adversarialTraining';
import type { StepContext } from '../../src/core/train/objective';
import { CatastrophicOverfittingDetector, probeRobustAccuracy } from '../../src/core/train/robustProbe';
import { Trainer } from '../../src/core/train/trainer';
import { InvalidOptionError } from '../../src/core/util/errors';
import { mnistTestFirst, smallCnn, useWasm } from './helpers/env';
import { linearModel, robustVersusUsefulFeatures } from './helpers/robustFeatures';

beforeAll(useWasm);

const ctx = (epochProgress: number, seed = 3): StepContext => ({
  epoch: Math.floor(epochProgress),
  epochProgress,
  epochs: 10,
  seed,
});

describe('crafting the training batch', () => {
  test('fgsm, fgsm-rs, pgd and trades batches stay in the ε-ball and [0,1]; the first ⌈f·n⌉ change', async () => {
    const model = smallCnn(2);
    const ds = await mnistTestFirst(32);
    const { x, y } = batchTensors(ds, range(0, 32));
    for (const method of ['fgsm', 'fgsm-rs', 'pgd', 'trades'] as const) {
      const fraction = method === 'trades' ? 1 : 0.5;
      const objective = adversarialObjective({ method, eps: 0.2, steps: 3, fraction });
      const before = tf.memory().numTensors;
      const [xAdv] = await objective.prepare!(model, x, y, ctx(5));
      const diff = tf.tidy(() => tf.sub(xAdv, x).reshape([32, -1]));
      const d = (await diff.array()) as number[][];
      diff.dispose();
      const v = await xAdv.data();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      const k = adversarialCount(32, fraction);
      d.forEach((row, i) => {
        const size = Math.max(...row.map(Math.abs));
        expect(size).toBeLessThanOrEqual(0.2 + 1e-6);
        if (i >= k) expect(size).toBe(0);
      });
      // Some example moved by the full budget: the attack did work.
      expect(Math.max(...d.slice(0, k).map((r) => Math.max(...r.map(Math.abs))))).toBeGreaterThan(0.19);
      xAdv.dispose();
      expect(tf.memory().numTensors).toBe(before + 0);
    }
    tf.dispose([x, y]);
    model.dispose();
  });

  test('ε warms up linearly over the warm-up epochs; α scales with it; fraction and warm-up reported', () => {
    const c = resolveAdversarialConfig({ method: 'pgd', eps: 0.3, warmupEpochs: 2 });
    expect(warmedUpEps(c, 0)).toBe(0);
    expect(warmedUpEps(c, 0.5)).toBeCloseTo(0.075, 12);
    expect(warmedUpEps(c, 2)).toBeCloseTo(0.3, 12);
    expect(warmedUpEps(c, 7)).toBeCloseTo(0.3, 12);
    expect(c.alpha).toBeCloseTo((2.5 * 0.3) / 10, 12);
    expect(resolveAdversarialConfig({ method: 'fgsm-rs', eps: 0.3 }).alpha).toBeCloseTo(0.375, 12);
    expect(adversarialObjective({ method: 'pgd', eps: 0.3, warmupEpochs: 2 }).schedule!(ctx(1)).eps).toBeCloseTo(0.15);
    expect(adversarialCount(128, 0.5)).toBe(64);
    expect(adversarialCount(5, 0.01)).toBe(1);
  });

  test('bad settings are refused with a sentence', () => {
    const bad = [
      { method: 'pgd', eps: -0.1 },
      { method: 'pgd', eps: 0.3, steps: 0 },
      { method: 'trades', eps: 0.3, beta: -1 },
      { method: 'trades', eps: 0.3, fraction: 0.5 },
      { method: 'pgd', eps: 0.3, fraction: 0 },
      { method: 'madry', eps: 0.3 },
    ] as const;
    for (const c of bad) expect(() => resolveAdversarialConfig(c as never)).toThrow(InvalidOptionError);
  });
});

describe("TRADES' loss (Zhang et al. 2019, eq. 5)", () => {
  test('equals CE(f(x), y) + β·KL(softmax f(x) ‖ softmax f(x′)), computed by hand from the logits', async () => {
    const model = smallCnn(4);
    const ds = await mnistTestFirst(6);
    const { x, y } = batchTensors(ds, range(0, 6));
    const xAdv = tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomUniform(x.shape, -0.1, 0.1, 'float32', 9)), 0, 1));
    const beta = 3;
    const objective = adversarialObjective({ method: 'trades', eps: 0.1, beta });
    const { loss, logits } = objective.loss(model, x, y, [xAdv], ctx(1));
    const z = (await logits.array()) as number[][];
    const zAdv = (await (model.apply(xAdv, { training: true }) as tf.Tensor2D).array()) as number[][];
    const labels = Array.from(await y.data());
    const softmax = (r: number[]) => {
      const m = Math.max(...r);
      const e = r.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b);
      return e.map((v) => v / s);
    };
    let ce = 0;
    let kl = 0;
    z.forEach((row, i) => {
      const p = softmax(row);
      const q = softmax(zAdv[i]);
      ce += -Math.log(p[labels[i]]);
      kl += p.reduce((s, pj, j) => s + pj * Math.log(pj / q[j]), 0);
    });
    expect((await loss.data())[0]).toBeCloseTo((ce + beta * kl) / 6, 4);
    tf.dispose([x, y, xAdv, loss, logits]);
    model.dispose();
  });
});

describe('PGD training against standard training', () => {
  test('on robust vs non-robust features: PGD training is robust at ε = 0.15, standard training is not', async () => {
    const train = robustVersusUsefulFeatures(1000, 1);
    const test = robustVersusUsefulFeatures(400, 2);
    const probe = { data: test, eps: 0.15, steps: 10, seed: 5 };
    const run = async (adversarial: boolean) => {
      const model = linearModel(3);
      const trainer = new Trainer(model, train, {
        epochs: 20,
        batchSize: 50,
        seed: 1,
        optimizer: { kind: 'adam', learningRate: 0.05 },
        objective: adversarial ? adversarialObjective({ method: 'pgd', eps: 0.15, steps: 5 }) : undefined,
        reportEvery: 1000,
      });
      await trainer.run();
      trainer.dispose();
      const robust = await probeRobustAccuracy(model, probe);
      const { x, y } = batchTensors(test, range(0, test.count));
      const clean = tf.tidy(() => tf.mean(tf.equal(tf.argMax(model.predict(x) as tf.Tensor2D, 1), y).toFloat()));
      const result = { clean: (await clean.data())[0], robust };
      tf.dispose([x, y, clean]);
      model.dispose();
      return result;
    };
    const standard = await run(false);
    const robustModel = await run(true);
    expect(standard.clean).toBeGreaterThan(0.97);
    expect(standard.robust).toBeLessThan(0.3);
    expect(robustModel.robust).toBeGreaterThan(0.7);
    expect(robustModel.robust).toBeGreaterThan(standard.robust + 0.5);
  });

  test('the robust probe equals PGD run by hand; the trainer reports it, is reproducible, leaks nothing', async () => {
    const train = robustVersusUsefulFeatures(200, 7);
    const held = robustVersusUsefulFeatures(64, 8);
    const probe = { data: held, eps: 0.1, steps: 4, seed: 2 };
    const weightsAfter = async () => {
      const before = tf.memory().numTensors;
      const model = linearModel(9);
      const trainer = new Trainer(model, train, {
        epochs: 2,
        batchSize: 20,
        seed: 4,
        optimizer: { kind: 'adam', learningRate: 0.02 },
        objective: adversarialObjective({ method: 'fgsm-rs', eps: 0.1, warmupEpochs: 1, fraction: 0.5 }),
        robustProbe: probe,
        reportEvery: 5,
      });
      const reports: number[] = [];
      await trainer.run({ onReport: (r) => reports.push(r.robustAccuracy!) });
      trainer.dispose();
      const w = Array.from(await model.getWeights()[0].data());
      // By hand: PGD with the probe's settings, robust = right both clean and attacked.
      const { x, y } = batchTensors(held, range(0, held.count));
      const logits = (z: tf.Tensor4D) => model.apply(z, { training: false }) as tf.Tensor2D;
      const adv = await projectedGradientAttack(
        logits,
        x,
        { labels: y },
        { eps: 0.1, alpha: 0.25 / 4, steps: 4, norm: 'linf', randomStart: true, restarts: 1, seed: 2 },
      );
      const both = tf.tidy(() =>
        tf.logicalAnd(tf.equal(tf.argMax(logits(x), 1), y), tf.equal(tf.argMax(logits(adv), 1), y)).sum(),
      );
      expect(reports.at(-1)).toBeCloseTo((await both.data())[0] / held.count, 10);
      tf.dispose([x, y, adv, both]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return { w, reports };
    };
    const a = await weightsAfter();
    const b = await weightsAfter();
    expect(a.reports.length).toBe(4);
    expect(b.w).toEqual(a.w);
  });
});

describe('catastrophic overfitting (Wong et al. 2020, §5.1)', () => {
  test('a fall of robust accuracy to under half its best while clean accuracy holds is flagged; noise is not', () => {
    const d = new CatastrophicOverfittingDetector();
    const at = (batch: number) => ({ epoch: 0, batch });
    expect(d.observe(0.2, 0.9, at(1))).toEqual({ collapsed: false, best: true });
    expect(d.observe(0.6, 0.95, at(2))).toEqual({ collapsed: false, best: true });
    expect(d.observe(0.5, 0.96, at(3)).collapsed).toBe(false); // a dip, not a collapse
    expect(d.observe(0.25, 0.97, at(4)).collapsed).toBe(true);
    expect(d.collapse).toEqual({
      kind: 'collapse',
      bestRobustAccuracy: 0.6,
      robustAccuracy: 0.25,
      cleanAccuracy: 0.97,
      epoch: 0,
      batch: 4,
    });
    const e = new CatastrophicOverfittingDetector();
    e.observe(0.6, 0.95, at(1));
    // Everything fell together (divergence, not overfitting to FGSM): clean accuracy dropped as well.
    expect(e.observe(0.1, 0.4, at(2)).collapsed).toBe(false);
    // FGSM training without a random start: 85 % on its own FGSM examples, PGD 0 % — flagged; during the
    // warm-up (no own-attack accuracy given) or with PGD accuracy above the floor, not.
    const f = new CatastrophicOverfittingDetector();
    expect(f.observe(0, 0.93, at(1)).collapsed).toBe(false);
    expect(f.observe(0.1, 0.94, at(2), 0.85).collapsed).toBe(false);
    expect(f.observe(0, 0.95, at(3), 0.85).collapsed).toBe(true);
    expect(f.collapse?.kind).toBe('own-attack-only');
  });
});

/**
 * Certified training in the trainer (src/core/train/certifiedTraining.ts): Gowal et al.'s (2018) schedules by
 * hand; IBP training on a data set where accuracy and robustness pull apart makes the model certifiable where
 * standard training does not, and the certificates agree with the exact attack on a linear model; Gaussian data
 * augmentation draws N(0, σ²) reproducibly; refusals.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { projectedGradientAttack } from '../../src/core/attacks/pgd';
import { batchTensors, range } from '../../src/core/data/dataset';
import {
  certifiedObjective,
  certifiedSchedule,
  gaussianNoiseObjective,
  resolveCertifiedConfig,
} from '../../src/core/train/certifiedTraining';
import { probeCertifiedAccuracy } from '../../src/core/train/robustProbe';
import { Trainer } from '../../src/core/train/trainer';
import type { TrainReport } from '../../src/core/train/trainerConfig';
import { InvalidOptionError } from '../../src/core/util/errors';
import { useWasm } from './helpers/env';
import { linearModel, robustVersusUsefulFeatures } from './helpers/robustFeatures';

beforeAll(useWasm);

describe('certified training schedules (Gowal et al. 2018, §4)', () => {
  test('plain first, then ε up and κ down linearly, then constant', () => {
    const c = resolveCertifiedConfig({ bound: 'crown-ibp', eps: 0.4, warmupEpochs: 1, rampEpochs: 2 });
    expect(certifiedSchedule(c, 0.5)).toEqual({ eps: 0, kappa: 1, beta: 1 });
    const mid = certifiedSchedule(c, 2);
    expect(mid.eps).toBeCloseTo(0.2, 12);
    expect(mid.kappa).toBeCloseTo(0.75, 12);
    expect(mid.beta).toBeCloseTo(0.5, 12);
    const end = certifiedSchedule(c, 7);
    expect(end.eps).toBeCloseTo(0.4, 12);
    expect(end.kappa).toBeCloseTo(0.5, 12);
    expect(end.beta).toBeCloseTo(0, 12);
    const noRamp = resolveCertifiedConfig({ bound: 'ibp', eps: 0.1, warmupEpochs: 0, rampEpochs: 0, finalKappa: 0 });
    expect(certifiedSchedule(noRamp, 0)).toEqual({ eps: 0.1, kappa: 0, beta: 0 });
  });

  test('bad settings are refused with a sentence', () => {
    const bad = [
      { bound: 'ibp', eps: 0 },
      { bound: 'ibp', eps: 1.5 },
      { bound: 'ibp', eps: 0.1, finalKappa: 2 },
      { bound: 'ibp', eps: 0.1, rampEpochs: -1 },
      { bound: 'crown', eps: 0.1 },
    ];
    for (const c of bad) expect(() => certifiedObjective(c as never)).toThrow(InvalidOptionError);
    expect(() => gaussianNoiseObjective({ sigma: 0 })).toThrow(InvalidOptionError);
    expect(() => gaussianNoiseObjective({ sigma: Number.NaN })).toThrow(InvalidOptionError);
  });
});

describe('IBP training against standard training', () => {
  test('robust vs non-robust features: IBP training is certifiable at ε = 0.15, standard training is not', async () => {
    const train = robustVersusUsefulFeatures(1000, 1);
    const held = robustVersusUsefulFeatures(400, 2);
    const eps = 0.15;
    const run = async (certified: boolean) => {
      const model = linearModel(3);
      const reports: TrainReport[] = [];
      const trainer = new Trainer(model, train, {
        epochs: 12,
        batchSize: 50,
        seed: 1,
        optimizer: { kind: 'adam', learningRate: 0.05 },
        objective: certified
          ? certifiedObjective({ bound: 'ibp', eps, warmupEpochs: 1, rampEpochs: 4, finalKappa: 0.2 })
          : undefined,
        certifiedProbe: { data: held, eps },
        reportEvery: 20,
      });
      await trainer.run({ onReport: (r) => reports.push(r) });
      trainer.dispose();
      const certifiedAccuracy = await probeCertifiedAccuracy(model, { data: held, eps });
      // The exact worst case of a linear two-class model is one sign step of size ε (then the [0,1] box):
      // PGD with a single full step finds it, so its accuracy is the true robust accuracy.
      const { x, y } = batchTensors(held, range(0, held.count));
      const logits = (z: tf.Tensor4D) => model.apply(z, { training: false }) as tf.Tensor2D;
      const adv = await projectedGradientAttack(
        logits,
        x,
        { labels: y },
        { eps, alpha: eps, steps: 1, norm: 'linf', randomStart: false, restarts: 1, seed: 1 },
      );
      const robust = tf.tidy(() =>
        tf.logicalAnd(tf.equal(tf.argMax(logits(x), 1), y), tf.equal(tf.argMax(logits(adv), 1), y)).sum(),
      );
      const robustAccuracy = (await robust.data())[0] / held.count;
      tf.dispose([x, y, adv, robust]);
      model.dispose();
      return { certifiedAccuracy, robustAccuracy, reports };
    };
    const standard = await run(false);
    const ibp = await run(true);
    expect(standard.certifiedAccuracy).toBeLessThan(0.3);
    expect(ibp.certifiedAccuracy).toBeGreaterThan(0.7);
    for (const r of [standard, ibp]) {
      // Sound: nothing certified is broken; exact on a linear model: nothing robust is left uncertified.
      expect(r.certifiedAccuracy).toBeLessThanOrEqual(r.robustAccuracy);
      expect(r.certifiedAccuracy).toBeGreaterThanOrEqual(r.robustAccuracy - 0.01);
    }
    // The live curve: every report carries the certified accuracy, and the IBP run's schedule.
    expect(ibp.reports.every((r) => typeof r.certifiedAccuracy === 'number')).toBe(true);
    const last = ibp.reports.at(-1)!;
    expect(last.schedule?.eps).toBeCloseTo(eps, 12);
    expect(last.schedule?.kappa).toBeCloseTo(0.2, 12);
    expect(last.certifiedAccuracy).toBeCloseTo(ibp.certifiedAccuracy, 12);
  });
});

describe('Gaussian data augmentation (Cohen et al. 2019)', () => {
  test('draws N(0, σ²) per pixel, reproducibly per step seed, without clipping', async () => {
    const sigma = 0.5;
    const objective = gaussianNoiseObjective({ sigma });
    const x = tf.fill([64, 28, 28, 1], 0.9) as tf.Tensor4D;
    const y = tf.zeros([64], 'int32') as tf.Tensor1D;
    const ctx = (seed: number) => ({ epoch: 0, epochProgress: 0, epochs: 1, seed });
    const model = linearModel(1);
    const [a] = await objective.prepare!(model, x, y, ctx(7));
    const [b] = await objective.prepare!(model, x, y, ctx(7));
    const [c] = await objective.prepare!(model, x, y, ctx(8));
    const noise = Array.from(await a.data(), (v) => v - 0.9);
    const n = noise.length;
    const mean = noise.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(noise.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    // 50,176 draws: the standard error of the mean is σ/√n ≈ 0.0022, of the sd ≈ σ/√(2n) ≈ 0.0016.
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sd - sigma)).toBeLessThan(0.01);
    expect(Math.max(...(await a.data()))).toBeGreaterThan(1.5); // not clipped to [0, 1]
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(Array.from(await c.data())).not.toEqual(Array.from(await a.data()));
    tf.dispose([x, y, a, b, c]);
    model.dispose();
  });
});

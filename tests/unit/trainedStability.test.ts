/**
 * Zhu et al.'s sweep after training (src/core/eval/trainedStability.ts): on a tiny seeded grid the LeCun
 * initialisation's depth trend (deeper is more stable) holds after training, the per-epoch lazy-training ratio
 * the trainer records ends where the sweep's own measurement of ‖θ − θ₀‖/‖θ₀‖ does (two implementations), and
 * the small (non-lazy) initialisation moves further from θ₀ than LeCun's, growing epoch by epoch. (Training reads
 * test images here: the test checks the sweep's mechanics and a trend, not generalisation.)
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, useWasm } from './helpers/env';
import { batchTensors, range } from '../../src/core/data/dataset';
import { mlpStabilitySweep } from '../../src/core/eval/stabilitySweep';
import { defaultMilestones, resolveSweepTraining, sweepTrainingHook } from '../../src/core/eval/trainedStability';
import { buildMlp } from '../../src/core/models/mlp';
import { Trainer } from '../../src/core/train/trainer';
import { InvalidOptionError } from '../../src/core/util/errors';

describe('the trained stability sweep', () => {
  beforeAll(useWasm);

  test('LeCun: depth helps after training; lazy ratios agree; the small init is not lazy', async () => {
    const train = await mnistTestFirst(600);
    const probe = await mnistTestFirst(20);
    const { x, y } = batchTensors(probe, range(0, probe.count));
    const training = resolveSweepTraining({ epochs: 2, examples: 512, learningRate: 0.1, lrMilestones: [] });
    const points = await mlpStabilitySweep(
      { widths: [32], depths: [1, 4], inits: ['lecun', 'small'], seed: 3 },
      x,
      { eps: 1, samples: 8, seed: 1 },
      { prepare: sweepTrainingHook(train, training, 5) },
    );
    tf.dispose([x, y]);
    const at = (init: string, depth: number) => points.find((p) => p.init === init && p.depth === depth)!;
    expect(at('lecun', 4).stability.mean).toBeLessThan(at('lecun', 1).stability.mean);
    for (const p of points) {
      expect(p.training!.lazyRatioByEpoch).toHaveLength(2);
      expect(p.training!.lazyRatioByEpoch[1]).toBeCloseTo(p.lazyTrainingRatio!, 4);
    }
    const small = at('small', 1).training!.lazyRatioByEpoch;
    expect(small[1]).toBeGreaterThan(1.5 * small[0]);
    const lecun = at('lecun', 1).training!.lazyRatioByEpoch;
    expect(small[1] / small[0]).toBeGreaterThan(lecun[1] / lecun[0]);
  }, 120_000);

  test('a milestone really cuts plain SGD’s step: after a cut to zero the weights stop moving', async () => {
    // tfjs' SGD steps with a scalar −lr made once; a schedule that only rewrote the learning-rate field kept
    // the full step. With lrDecay 1e-9 at epoch 1, epoch 2 must leave θ where epoch 1 left it.
    const data = await mnistTestFirst(128);
    const weightsAfter = async (epochs: number) => {
      const model = buildMlp({
        width: 16,
        depth: 1,
        useBias: true,
        init: 'lecun',
        seed: 1,
        inputShape: [28, 28, 1],
        classes: 10,
      });
      const trainer = new Trainer(model, data, {
        epochs,
        batchSize: 32,
        seed: 2,
        optimizer: { kind: 'sgd', learningRate: 0.1, momentum: 0 },
        lrMilestones: [1],
        lrDecay: 1e-9,
      });
      await trainer.run();
      trainer.dispose();
      const w = await Promise.all(model.getWeights().map((t) => t.data()));
      model.dispose();
      return w.flatMap((a) => Array.from(a));
    };
    const one = await weightsAfter(1);
    const two = await weightsAfter(2);
    const moved = Math.max(...one.map((v, i) => Math.abs(v - two[i])));
    expect(moved).toBeLessThan(1e-6);
    const start = buildMlp({
      width: 16,
      depth: 1,
      useBias: true,
      init: 'lecun',
      seed: 1,
      inputShape: [28, 28, 1],
      classes: 10,
    });
    const w0 = (await Promise.all(start.getWeights().map((t) => t.data()))).flatMap((a) => Array.from(a));
    start.dispose();
    expect(Math.max(...one.map((v, i) => Math.abs(v - w0[i])))).toBeGreaterThan(1e-3);
  });

  test('the schedule: milestones at ½ and ¾ of the run, bad values refused by name', () => {
    expect(defaultMilestones(8)).toEqual([4, 6]);
    expect(defaultMilestones(1)).toEqual([]);
    expect(() => resolveSweepTraining({ epochs: 3, lrMilestones: [3] })).toThrow(InvalidOptionError);
    expect(() => resolveSweepTraining({ epochs: 3, lrDecay: 2 })).toThrow(/learning-rate decay/);
  });
});

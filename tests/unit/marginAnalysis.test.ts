/**
 * marginAnalysis (src/core/eval/marginAnalysis.ts), the one home of the margins view and the
 * `margins` command: plain-data structure, the invariant certified L2 radius ≤ DeepFool's
 * achieved distance on every correctly classified image, adversarial margins no larger than the
 * clean ones on average, a clear message (not an error) for layers the Lipschitz bound cannot
 * handle, and no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { MNIST_META, mnistTestFirst, shippedModel, smallClassifier, useWasm } from './helpers/env';
import { marginAnalysis } from '../../src/core/eval/marginAnalysis';
import { asClassifier } from '../../src/core/models/classifier';
import { GroupNorm } from '../../src/core/models/layers/groupNorm';
import { CancelledError, InvalidOptionError } from '../../src/core/util/errors';

beforeAll(useWasm);

describe('marginAnalysis', () => {
  test('structure, certified ≤ DeepFool per image, adversarial margins, progress, no leak (shipped CNN)', async () => {
    const clf = await shippedModel();
    const ds = await mnistTestFirst(40);
    const fractions: number[] = [];
    const before = tf.memory().numTensors;
    const r = await marginAnalysis(
      clf,
      ds,
      {
        deepFoolLimit: 16,
        pgdDistance: true,
        steps: 5,
        adversarialEps: 0.1,
        adversarialSteps: 5,
        bins: 10,
        batchSize: 16,
      },
      { onProgress: (p) => fractions.push(p.fraction) },
    );
    expect(tf.memory().numTensors).toBe(before);
    // Plain data: survives a structured clone (the worker boundary) unchanged.
    expect(structuredClone(r)).toEqual(r);

    expect(r.n).toBe(40);
    expect(r.examples).toHaveLength(40);
    expect(r.margins.histogram.counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(r.accuracy).toBe(r.examples.filter((e) => e.correct).length / 40);
    expect(r.normalizedMargin.qMin).toBe(Math.min(...r.examples.map((e) => e.margin)));
    expect(r.normalizedMargin.value).toBeCloseTo(
      r.normalizedMargin.qMin / r.normalizedMargin.rho ** r.normalizedMargin.layers,
      12,
    );
    expect(r.lipschitz).not.toBeNull();
    expect(r.lipschitzMessage).toBeUndefined();
    expect(r.lipschitz!.product).toBeCloseTo(
      r.lipschitz!.layers.reduce((p, l) => p * l.norm, 1),
      6,
    );

    let compared = 0;
    r.examples.forEach((e, i) => {
      expect(e.index).toBe(i);
      expect(e.correct).toBe(e.margin > 0);
      if (!e.correct) {
        expect(e.certifiedL2).toBeNull();
        expect(e.deepFoolDistance).toBeNull();
        expect(e.pgdLinfDistance).toBeNull();
      } else {
        expect(e.certifiedL2).toBeCloseTo(e.margin / (Math.SQRT2 * r.lipschitz!.product), 12);
      }
      if (i >= 16) {
        expect(e.deepFoolDistance).toBeNull();
        expect(e.pgdLinfDistance).toBeNull();
      }
      // The invariant: a certified radius never exceeds a distance at which an error was found.
      if (e.correct && e.certifiedL2 !== null && e.deepFoolDistance !== null) {
        expect(e.certifiedL2).toBeLessThanOrEqual(e.deepFoolDistance);
        compared++;
      }
      if (e.pgdLinfDistance !== null) expect(e.pgdLinfDistance).toBeLessThanOrEqual(0.5);
      expect(e.adversarialMargin).not.toBeNull();
    });
    expect(compared).toBeGreaterThanOrEqual(10);
    expect(r.deepfool.fooled).toBe(compared);
    expect(r.deepfool.achieved.n).toBe(compared);
    expect(r.lipschitz!.l2LowerBound.max).toBeLessThan(r.deepfool.achieved.min);
    expect(r.pgdDistance!.n).toBe(r.examples.slice(0, 16).filter((e) => e.correct).length);

    // Adversarial margins: PGD lowers the margin on average, and both histograms share edges.
    const adv = r.adversarial!;
    expect(adv).toMatchObject({ attack: 'pgd', norm: 'linf', eps: 0.1, steps: 5 });
    expect(adv.alpha).toBeCloseTo((2.5 * 0.1) / 5, 12);
    expect(adv.summary.mean).toBeLessThan(r.margins.summary.mean);
    expect(adv.histogram.edges).toEqual(adv.cleanHistogram.edges);
    expect(adv.cleanHistogram.counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(adv.histogram.counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(adv.robustAccuracy).toBeLessThanOrEqual(r.accuracy);

    expect(fractions.length).toBeGreaterThan(3);
    expect(Math.max(...fractions)).toBeLessThanOrEqual(1 + 1e-9);
  });

  test('a GroupNorm layer: lipschitz null with the reason, everything else still measured', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [28, 28, 1],
          filters: 4,
          kernelSize: 3,
          strides: 2,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }),
        }),
        new GroupNorm({ groups: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
      ],
    });
    const clf = asClassifier(model, MNIST_META);
    const ds = await mnistTestFirst(12);
    const before = tf.memory().numTensors;
    const r = await marginAnalysis(clf, ds, { deepFoolLimit: 6, maxIterations: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.lipschitz).toBeNull();
    expect(r.lipschitzMessage).toMatch(/GroupNorm/);
    expect(r.examples.every((e) => e.certifiedL2 === null)).toBe(true);
    expect(r.adversarial).toBeUndefined();
    expect(r.pgdDistance).toBeUndefined();
    expect(r.normalizedMargin.homogeneous).toBe(false);
    model.dispose();
  });

  test('bad options are refused before any work; cancellation stops it without a leak', async () => {
    const clf = smallClassifier(2);
    const ds = await mnistTestFirst(8);
    await expect(marginAnalysis(clf, ds, { adversarialEps: 2 })).rejects.toThrow(InvalidOptionError);
    await expect(marginAnalysis(clf, ds, { batchSize: 0 })).rejects.toThrow(InvalidOptionError);
    const before = tf.memory().numTensors;
    let calls = 0;
    await expect(
      marginAnalysis(clf, ds, { adversarialEps: 0.1, deepFoolLimit: 8 }, { isCancelled: () => ++calls > 3 }),
    ).rejects.toThrow(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
    clf.model.dispose();
  });
});

/**
 * energyAnalysis (src/core/eval/energyAnalysis.ts), the one home of the energy panel and
 * `calibration --ood`: each set's scores are logsumexp of the model's own logits on exactly the
 * inputs it claims (1 − x, the user's images), the AUROCs are those
 * of the reported scores, the histograms count every image on one shared range, and nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, shippedModel, useWasm } from './helpers/env';
import { energyAnalysis } from '../../src/core/eval/energyAnalysis';
import { batchTensors, exampleAsFloat, range } from '../../src/core/data/dataset';
import { auroc } from '../../src/core/metrics/energy';
import { InvalidOptionError } from '../../src/core/util/errors';

beforeAll(useWasm);

/** logsumexp of the logits of `x`, computed independently of the module under test. */
function logSumExps(logits: number[][]): number[] {
  return logits.map((row) => {
    const m = Math.max(...row);
    return m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0));
  });
}

describe('energyAnalysis', () => {
  test(
    'in-distribution and inverted scores are logsumexp of the logits on x and 1 − x; AUROCs and histograms ' + 'match',
    async () => {
      const clf = await shippedModel();
      const ds = await mnistTestFirst(64);
      const before = tf.memory().numTensors;
      const r = await energyAnalysis(clf, ds, {
        sources: ['uniform', 'inverted', 'adversarial'],
        adversarialEps: 0.1,
        seed: 3,
        numBins: 12,
        batchSize: 24,
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(structuredClone(r)).toEqual(r);

      const { x, y } = batchTensors(ds, range(0, 64));
      const clean = clf.logits(x);
      const inverted = clf.logits(tf.sub(1, x) as tf.Tensor4D);
      const expectClean = logSumExps(clean.arraySync() as number[][]);
      const expectInverted = logSumExps(inverted.arraySync() as number[][]);
      tf.dispose([x, y, clean, inverted]);

      const [inDist, uniform, inv, adv] = r.sets;
      expect(r.sets.map((s) => s.source)).toEqual(['in-distribution', 'uniform', 'inverted', 'adversarial']);
      inDist.scores.forEach((s, i) => {
        expect(s).toBeCloseTo(expectClean[i], 3);
      });
      inv.scores.forEach((s, i) => {
        expect(s).toBeCloseTo(expectInverted[i], 3);
      });
      expect(inDist.aurocEnergy).toBeNull();
      for (const s of [uniform, inv, adv]) {
        expect(s.n).toBe(64);
        expect(s.aurocEnergy).toBeCloseTo(auroc(inDist.scores, s.scores), 12);
      }
      // The shipped digit classifier tells its test digits from uniform noise almost perfectly.
      expect(uniform.aurocEnergy!).toBeGreaterThan(0.95);
      // The direction, not just a difference: PGD-10 at ε = 0.1 pushes the true class's logit down, and on a
      // confidently classified digit that logit dominates logsumexp, so the adversarial scores fall below the clean
      // ones (here about 6.6 against 11.5 on average) and the energy score still ranks clean images higher.
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      expect(mean(adv.scores)).toBeLessThan(mean(inDist.scores) - 2);
      expect(adv.aurocEnergy!).toBeGreaterThan(0.75);
      // Inverted digits and noise look even less like the training data: lower scores still.
      expect(mean(inv.scores)).toBeLessThan(mean(adv.scores));
      expect(mean(uniform.scores)).toBeLessThan(mean(adv.scores));
      expect(inv.aurocEnergy!).toBeGreaterThan(0.95);

      const edges = r.histograms[0].histogram.edges;
      for (const h of r.histograms) {
        expect(h.histogram.edges).toEqual(edges);
        expect(h.histogram.counts.reduce((a, b) => a + b, 0)).toBe(64);
      }
      const all = r.sets.flatMap((s) => s.scores);
      expect(edges[0]).toBe(Math.min(...all));
      expect(edges[edges.length - 1]).toBe(Math.max(...all));
    },
  );

  test("the user's images are scored as given; a wrong size is refused; same seed, same result", async () => {
    const clf = await shippedModel();
    const ds = await mnistTestFirst(16);
    // Two "user" images: a blank one and the first test digit itself.
    const user = new Float32Array(2 * 784);
    user.set(exampleAsFloat(ds, 0), 784);
    const r = await energyAnalysis(clf, ds, { sources: ['user'], adversarialEps: 0.1, seed: 1, userImages: user });
    const [inDist, mine] = r.sets;
    expect(mine.n).toBe(2);
    expect(mine.scores[1]).toBeCloseTo(inDist.scores[0], 4);

    await expect(
      energyAnalysis(clf, ds, { sources: ['user'], adversarialEps: 0.1, seed: 1, userImages: new Float32Array(100) }),
    ).rejects.toThrow(InvalidOptionError);
    await expect(energyAnalysis(clf, ds, { sources: ['uniform'], adversarialEps: 0, seed: 1 })).rejects.toThrow(
      InvalidOptionError,
    );

    const a = await energyAnalysis(clf, ds, { sources: ['uniform', 'adversarial'], adversarialEps: 0.2, seed: 5 });
    const b = await energyAnalysis(clf, ds, { sources: ['uniform', 'adversarial'], adversarialEps: 0.2, seed: 5 });
    expect(b).toEqual(a);
  });
});

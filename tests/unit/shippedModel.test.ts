/**
 * The shipped MNIST model (public/models/mnist-cnn) under robustAccuracy: clean accuracy, and the
 * ordering facts every sound attack implementation must show (Carlini et al. 2019, "On Evaluating
 * Adversarial Robustness", §5). Its accuracy on all 10,000 test images, against the recorded figure, is
 * shippedModels.test.ts's (once for every shipped model).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, shippedModel, useWasm } from './helpers/env';
import { robustAccuracy, type RobustnessResult } from '../../src/core/eval/robustAccuracy';
import { accuracy } from '../../src/core/metrics/accuracy';
import type { ImageDataset } from '../../src/core/data/dataset';
import type { AttackOptions } from '../../src/core/attacks/types';
import type { Classifier } from '../../src/core/models/classifier';
import { InvalidOptionError } from '../../src/core/util/errors';

const N = 256;

function linf(method: 'fgsm' | 'pgd', eps: number, steps = 20): AttackOptions {
  return { method, norm: 'linf', eps, steps, restarts: 1, target: { kind: 'untargeted' }, seed: 0 };
}

describe('the shipped model on the first 256 test images', () => {
  let clf: Classifier;
  let ds: ImageDataset;
  let clean: RobustnessResult;
  beforeAll(async () => {
    await useWasm();
    clf = await shippedModel();
    ds = await mnistTestFirst(N);
    clean = await robustAccuracy(clf, ds, { kind: 'none' }, { batchSize: 128 });
  });

  test('metadata and architecture are as documented (12,810 parameters, 28×28×1 → 10)', () => {
    expect(clf.meta.arch).toBe('mnist-cnn-small');
    expect(clf.meta.dataset).toBe('mnist');
    expect(clf.meta.inputShape).toEqual([28, 28, 1]);
    expect(clf.meta.classNames).toHaveLength(10);
    expect(clf.model.countParams()).toBe(12810);
  });

  test('clean accuracy ≥ 0.97; with no threat robust accuracy equals clean accuracy', () => {
    expect(clean.n).toBe(N);
    expect(clean.cleanAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(clean.robustAccuracy).toBe(clean.cleanAccuracy);
  });

  test('clean accuracy does not depend on the batch size and matches metrics/accuracy', async () => {
    const odd = await robustAccuracy(clf, ds, { kind: 'none' }, { batchSize: 100 });
    expect(odd.cleanAccuracy).toBe(clean.cleanAccuracy);
    expect(await accuracy(clf.logits, ds, { batchSize: 77 })).toBe(clean.cleanAccuracy);
  });

  test.each([0.1, 0.2])('PGD-20 is at least as strong as FGSM at ε = %s (L∞)', async (eps) => {
    const f = await robustAccuracy(clf, ds, { kind: 'attack', options: linf('fgsm', eps) });
    const p = await robustAccuracy(clf, ds, { kind: 'attack', options: linf('pgd', eps, 20) });
    expect(f.cleanAccuracy).toBe(clean.cleanAccuracy);
    expect(p.cleanAccuracy).toBe(clean.cleanAccuracy);
    expect(f.robustAccuracy).toBeLessThanOrEqual(clean.cleanAccuracy);
    expect(p.robustAccuracy).toBeLessThanOrEqual(f.robustAccuracy);
    // The resolved options are reported: what ran, defaults filled in.
    expect(p.threat).toMatchObject({
      kind: 'attack',
      options: { method: 'pgd', eps, steps: 20, alpha: (2.5 * eps) / 20, seed: 0, randomStart: true },
    });
    expect(f.threat).toMatchObject({ kind: 'attack', options: { method: 'fgsm', steps: 1, alpha: eps } });
  });

  test('PGD-10 at ε = 0.5 (L∞) drives robust accuracy ≤ 0.05', async () => {
    const p = await robustAccuracy(clf, ds, { kind: 'attack', options: linf('pgd', 0.5, 10) });
    expect(p.robustAccuracy).toBeLessThanOrEqual(0.05);
  });

  test('Gaussian noise: σ = 0 changes nothing; σ > 0 never beats clean and is seeded', async () => {
    const zero = await robustAccuracy(clf, ds, { kind: 'gaussian', sigma: 0, seed: 3 });
    expect(zero.cleanAccuracy).toBe(clean.cleanAccuracy);
    expect(zero.robustAccuracy).toBe(clean.cleanAccuracy);
    const a = await robustAccuracy(clf, ds, { kind: 'gaussian', sigma: 0.5, seed: 3 });
    const b = await robustAccuracy(clf, ds, { kind: 'gaussian', sigma: 0.5, seed: 3 });
    expect(a.robustAccuracy).toBeLessThanOrEqual(a.cleanAccuracy);
    expect(a.robustAccuracy).toBeLessThan(clean.cleanAccuracy); // σ = 0.5 is heavy noise for MNIST
    expect(b.robustAccuracy).toBe(a.robustAccuracy);
    await expect(robustAccuracy(clf, ds, { kind: 'gaussian', sigma: -1, seed: 0 })).rejects.toThrow(InvalidOptionError);
  });
});

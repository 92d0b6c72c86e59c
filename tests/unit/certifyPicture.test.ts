/**
 * The per-picture certificate (src/core/verify/pictureCertificate.ts) on an MNIST test image: proof ≤ attack — the
 * IBP radius ≤ the CROWN radius ≤ the smallest ε at which PGD found an adversarial example (above the last ε at
 * which it failed), with no tensor left behind; a max-pool makes CROWN report its one sentence while IBP still
 * certifies; smoothing's σ is the model's training σ when its metadata records one.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { MNIST_META, mnistTestFirst, smallClassifier, tinyStridedCnn as stridedCnn, useWasm } from './helpers/env';
import { asClassifier, type Classifier } from '../../src/core/models/classifier';
import { certifyPicture } from '../../src/core/verify/pictureCertificate';
import { smoothingSigma } from '../../src/core/verify/smoothing/smoothingSettings';
import { batchTensors } from '../../src/core/data/dataset';

const SMOOTHING = { sigma: null, fallbackSigma: 0.25, n0: 20, n: 200, alpha: 0.001 };

async function predictionOf(clf: Classifier, x: tf.Tensor4D): Promise<number> {
  const p = tf.tidy(() => tf.argMax(clf.logits(x), 1));
  const v = (await p.data())[0];
  p.dispose();
  return v;
}

describe('certifyPicture', () => {
  beforeAll(useWasm);

  test('IBP ≤ CROWN ≤ the smallest PGD ε found, no tensor left behind', async () => {
    const clf = stridedCnn();
    const { x, y } = batchTensors(await mnistTestFirst(1), [0]);
    y.dispose();
    const label = await predictionOf(clf, x);
    const before = tf.memory().numTensors;
    const c = await certifyPicture(clf, x, { label, smoothing: SMOOTHING, pgd: { steps: 10, restarts: 1 } }, {});
    expect(tf.memory().numTensors).toBe(before);
    expect(c.prediction).toBe(label);
    if (!('radius' in c.ibp) || !('radius' in c.crown)) throw new Error('both bounds should run');
    expect(c.ibp.radius).toBeGreaterThanOrEqual(0);
    expect(c.ibp.radius).toBeLessThanOrEqual(c.crown.radius);
    expect(c.attackLinf.eps).not.toBeNull();
    expect(c.crown.radius).toBeLessThanOrEqual(c.attackLinf.eps!);
    expect(c.attackLinf.lastFailed).toBeLessThan(c.attackLinf.eps!);
    expect('sigma' in c.smoothing && c.smoothing.sigmaFrom).toBe('chosen');
    x.dispose();
    clf.model.dispose();
  });

  test('a max-pool: CROWN says why in one sentence, IBP still certifies', async () => {
    const clf = smallClassifier();
    const { x, y } = batchTensors(await mnistTestFirst(1), [0]);
    y.dispose();
    const label = await predictionOf(clf, x);
    const c = await certifyPicture(clf, x, { label, smoothing: SMOOTHING, pgd: { steps: 5, restarts: 1 } }, {});
    expect('error' in c.crown && c.crown.error).toMatch(/^CROWN cannot bound .*MaxPooling2D.*\.$/);
    expect('radius' in c.ibp && c.ibp.radius).toBeGreaterThanOrEqual(0);
    x.dispose();
    clf.model.dispose();
  });

  test('smoothing σ: the model’s training noise, else the chosen one', () => {
    const base = smallClassifier();
    const noisy = asClassifier(base.model, {
      ...MNIST_META,
      description: 'trained with Gaussian data augmentation σ = 0.5 (Cohen et al. 2019).',
    });
    expect(smoothingSigma(noisy, SMOOTHING)).toEqual({ sigma: 0.5, sigmaFrom: 'model' });
    expect(smoothingSigma(noisy, { ...SMOOTHING, sigma: 0.3 })).toEqual({ sigma: 0.3, sigmaFrom: 'chosen' });
    const plain = asClassifier(noisy.model, MNIST_META);
    expect(smoothingSigma(plain, SMOOTHING)).toEqual({ sigma: 0.25, sigmaFrom: 'chosen' });
    noisy.model.dispose();
  });
});

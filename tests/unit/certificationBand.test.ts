/**
 * The Certify panel's band: certified accuracy is the best of the sound bounds that ran, the band runs from it to
 * the empirical accuracy, a refused method leaves the other's curve, and a certificate above the attack's accuracy
 * is reported, never hidden. The σ a model's metadata records for its noise training is read from either record.
 */
import { describe, expect, test } from 'vitest';
import { trainingNoiseSigma } from '../../src/core/models/trainingNoise';
import { certificationBand } from '../../src/state/analysis/certificationBand';

const empirical = [
  { eps: 0, accuracy: 0.99 },
  { eps: 0.1, accuracy: 0.9 },
  { eps: 0.3, accuracy: 0.6 },
];

describe('certificationBand', () => {
  test('the larger of IBP and CROWN is certified; the band spans certified to empirical', () => {
    const { rows, violations, widest } = certificationBand({
      empirical,
      certified: [
        {
          method: 'ibp',
          seconds: 1,
          points: [
            { eps: 0, certifiedAccuracy: 0.99 },
            { eps: 0.1, certifiedAccuracy: 0.5 },
            { eps: 0.3, certifiedAccuracy: 0.2 },
          ],
        },
        {
          method: 'crown',
          seconds: 1,
          points: [
            { eps: 0, certifiedAccuracy: 0.99 },
            { eps: 0.1, certifiedAccuracy: 0.7 },
            { eps: 0.3, certifiedAccuracy: 0.1 },
          ],
        },
      ],
    });
    expect(rows.map((r) => r.eps)).toEqual([0, 0.1, 0.3]);
    expect(rows.map((r) => r.certified)).toEqual([0.99, 0.7, 0.2]);
    expect(rows.map((r) => r.band)).toEqual([
      [0.99, 0.99],
      [0.7, 0.9],
      [0.2, 0.6],
    ]);
    expect(violations).toEqual([]);
    expect(widest).toBeCloseTo(0.4, 12);
  });

  test('a refused method leaves the other; with none there is no band', () => {
    const crownRefused = certificationBand({
      empirical,
      certified: [
        {
          method: 'ibp',
          seconds: 1,
          points: empirical.map((e) => ({ eps: e.eps, certifiedAccuracy: e.accuracy / 2 })),
        },
        { method: 'crown', error: 'CROWN cannot bound layer "gn" (GroupNorm).' },
      ],
    });
    expect(crownRefused.rows.map((r) => r.crown)).toEqual([null, null, null]);
    expect(crownRefused.rows.map((r) => r.certified)).toEqual([0.495, 0.45, 0.3]);
    const none = certificationBand({ empirical, certified: [{ method: 'crown', error: 'refused' }] });
    expect(none.rows.every((r) => r.certified === null && r.band === null)).toBe(true);
    expect(none.widest).toBe(0);
  });

  test('a certificate above the accuracy under attack is listed as a violation', () => {
    const { violations } = certificationBand({
      empirical,
      certified: [
        {
          method: 'ibp',
          seconds: 1,
          points: [
            { eps: 0.1, certifiedAccuracy: 0.95 },
            { eps: 0.3, certifiedAccuracy: 0.5 },
          ],
        },
      ],
    });
    expect(violations).toEqual([0.1]);
  });
});

describe('trainingNoiseSigma', () => {
  const base = { description: 'Strided CNN.' };
  test('from the command line: --noise-sigma', () => {
    const training = {
      command: 'npm run cli -- train --arch strided-cnn --noise-sigma 0.5 --out x',
      epochs: 1,
      batchSize: 1,
      seed: 1,
      trainExamples: 1,
      seconds: 1,
      backend: 'wasm',
    };
    expect(trainingNoiseSigma({ ...base, training })).toBe(0.5);
  });
  test('from the training lab: the objective in the description', () => {
    const description =
      'Strided CNN, trained in the browser, Gaussian data augmentation σ = 0.25 (Cohen et al. 2019), the base of ' +
      'randomized smoothing.';
    expect(trainingNoiseSigma({ description })).toBe(0.25);
  });
  test('none recorded: null (Yan et al.’s noise augmentation is not smoothing training)', () => {
    expect(trainingNoiseSigma(base)).toBeNull();
    expect(trainingNoiseSigma({ description: 'trained with --noise on' })).toBeNull();
  });
});

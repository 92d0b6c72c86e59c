/**
 * The evaluation grid (models × attacks × ε × seeds) and the Carlini et al. sanity checks:
 * row and summary bookkeeping, progress, cancellation, no tensor leaks, and each check's verdict
 * on hand-picked accuracies.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, shippedModel, smallClassifier, useWasm } from './helpers/env';
import type { ImageDataset } from '../../src/core/data/dataset';
import type { Classifier } from '../../src/core/models/classifier';
import { robustnessSweep, type SweepRow, type SweepSummary } from '../../src/core/eval/robustnessSweep';
import {
  checkConverged,
  checkGradientBeatsNoise,
  checkLargeEpsBreaksModel,
  checkPgdNotWeakerThanFgsm,
  runSanityChecks,
  checkApgdNotWeakerThanPgd,
  checkFgsmNotFarAbovePgd,
  checkRestartsNeverRaise,
  sanityChecksFromSweep,
  sanityTolerance,
} from '../../src/core/eval/sanityChecks';
import { mean, sampleStd } from '../../src/core/metrics/summaryStats';
import { CancelledError, InvalidOptionError } from '../../src/core/util/errors';

describe('robustness sweep', () => {
  let a: Classifier;
  let b: Classifier;
  let ds: ImageDataset;
  beforeAll(async () => {
    await useWasm();
    a = smallClassifier(1);
    b = smallClassifier(2);
    ds = await mnistTestFirst(24);
  });
  afterAll(() => {
    a.model.dispose();
    b.model.dispose();
  });

  test(
    'rows for every (model, attack, ε, seed), mean ± std per (model, attack, ε), streamed as they ' + 'finish',
    async () => {
      const rows: SweepRow[] = [];
      const summaries: SweepSummary[] = [];
      const fractions: number[] = [];
      const before = tf.memory().numTensors;
      const r = await robustnessSweep(
        {
          models: [
            { name: 'a', classifier: a },
            { name: 'b', classifier: b },
          ],
          attacks: [{ name: 'gaussian' }, { name: 'fgsm' }, { name: 'pgd', steps: 3 }],
          eps: [0, 0.1],
          seeds: [1, 2],
          data: ds,
          images: 16,
        },
        {
          onRow: (row) => rows.push(row),
          onSummary: (s) => summaries.push(s),
          onProgress: (p) => fractions.push(p.fraction),
        },
      );
      expect(tf.memory().numTensors).toBe(before);
      expect(r.n).toBe(16);
      expect(r.rows).toHaveLength(2 * 3 * 2 * 2);
      expect(rows).toEqual(r.rows);
      expect(r.summary).toHaveLength(2 * 3 * 2);
      expect(summaries).toEqual(r.summary);
      expect(fractions.at(-1)).toBe(1);
      for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] - 1e-12);
      for (const s of r.summary) {
        const acc = r.rows
          .filter((x) => x.model === s.model && x.attack === s.attack && x.eps === s.eps)
          .map((x) => x.accuracy);
        expect(acc).toHaveLength(2);
        expect(s.mean).toBeCloseTo(mean(acc), 12);
        expect(s.std).toBeCloseTo(sampleStd(acc), 12);
        const clean = r.clean.find((c) => c.model === s.model)!.accuracy;
        if (s.eps === 0)
          expect(s.mean).toBe(clean); // no budget, no perturbation
        else expect(s.mean).toBeLessThanOrEqual(clean);
        if (s.attack === 'fgsm') expect(s.std).toBe(0); // deterministic: seeds do not matter
      }
      // Accuracies are counts over 16 images.
      for (const row of r.rows) expect(Math.round(row.accuracy * 16)).toBeCloseTo(row.accuracy * 16, 9);
    },
  );

  test('cancellation throws CancelledError and leaks nothing; bad grids are refused', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    await expect(
      robustnessSweep(
        {
          models: [{ name: 'a', classifier: a }],
          attacks: [{ name: 'pgd', steps: 5 }],
          eps: [0.1, 0.2],
          seeds: [1],
          data: ds,
          images: 8,
        },
        { isCancelled: () => ++calls > 3 },
      ),
    ).rejects.toThrow(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
    const base = {
      models: [{ name: 'a', classifier: a }],
      attacks: [{ name: 'fgsm' as const }],
      eps: [0.1],
      seeds: [1],
      data: ds,
    };
    await expect(robustnessSweep({ ...base, eps: [] })).rejects.toThrow(InvalidOptionError);
    await expect(robustnessSweep({ ...base, seeds: [1.5] })).rejects.toThrow(InvalidOptionError);
    await expect(robustnessSweep({ ...base, models: [base.models[0], base.models[0]] })).rejects.toThrow(/distinct/);
  });

  test('runSanityChecks: eight checks with ids, messages and the accuracies they used', async () => {
    const before = tf.memory().numTensors;
    const r = await runSanityChecks(a, ds, { eps: 0.1, steps: 2, images: 8, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.checks.map((c) => c.id)).toEqual([
      'pgd-not-weaker-than-fgsm',
      'large-eps-breaks-model',
      'gradient-beats-noise',
      'converged-in-steps',
      'converged-in-restarts',
      'restarts-never-raise',
      'apgd-not-weaker-than-pgd',
      'fgsm-not-far-above-pgd',
    ]);
    for (const c of r.checks) expect(c.message.length).toBeGreaterThan(10);
    expect(r.checks.map((c) => c.passed)).toEqual(verdictsFrom(r.accuracies, sanityTolerance(8)));
    expect(Object.keys(r.accuracies).sort()).toEqual([
      'apgd',
      'fgsm',
      'noise',
      'pgd',
      'pgdLargeEps',
      'pgdMoreRestarts',
      'pgdMoreSteps',
    ]);
    // At ε = 1 (L∞) any image is reachable: PGD must break this model completely.
    expect(r.accuracies.pgdLargeEps).toBe(0);
    expect(r.checks[1].passed).toBe(true);
  });

  test('runSanityChecks, shipped model: PGD-2 flagged as not converged, attack-strength checks pass', async () => {
    const clf = await shippedModel();
    const data = await mnistTestFirst(32);
    const r = await runSanityChecks(clf, data, { eps: 0.1, steps: 2, images: 32, seed: 1 });
    const acc = r.accuracies;
    // Two steps of α = 2.5ε/2 are far from PGD's optimum on a standard CNN: four times the steps breaks many more
    // images, and so do four restarts, while PGD already beats FGSM and noise hurts least.
    expect(acc.pgdMoreSteps).toBeLessThan(acc.pgd - 0.2);
    expect(acc.noise).toBeGreaterThan(0.9);
    expect(acc.pgdLargeEps).toBe(0);
    const verdicts = Object.fromEntries(r.checks.map((c) => [c.id, c.passed]));
    expect(verdicts).toEqual({
      'pgd-not-weaker-than-fgsm': true,
      'large-eps-breaks-model': true,
      'gradient-beats-noise': true,
      'converged-in-steps': false,
      'converged-in-restarts': false,
      'restarts-never-raise': true,
      'apgd-not-weaker-than-pgd': true,
      'fgsm-not-far-above-pgd': true,
    });
    expect(r.checks.map((c) => c.passed)).toEqual(verdictsFrom(acc, sanityTolerance(32)));
    // Each convergence check names the accuracy of its own stronger attack.
    const pct = (a: number) => `${(100 * a).toFixed(1)} %`;
    const steps = r.checks.find((c) => c.id === 'converged-in-steps')!.message;
    expect(steps).toMatch(/had not converged/);
    expect(steps).toContain(`to ${pct(acc.pgdMoreSteps)}`);
    expect(r.checks.find((c) => c.id === 'converged-in-restarts')!.message).toContain(`to ${pct(acc.pgdMoreRestarts)}`);
  });
});

/**
 * Each check's verdict written out from its definition (Carlini et al. 2019, §5; the rules listed in
 * sanityChecks.ts), in the order runSanityChecks reports them, from the accuracies it measured.
 */
function verdictsFrom(acc: Record<string, number>, tol: number): boolean[] {
  return [
    acc.pgd <= acc.fgsm + tol, // PGD at least as strong as its own first step
    acc.pgdLargeEps <= 0.05, // a budget that allows any image breaks the model
    acc.noise + tol >= Math.min(acc.fgsm, acc.pgd), // noise of the same norm hurts less than the gradient
    acc.pgdMoreSteps >= acc.pgd - tol, // 4× the steps changes nothing
    acc.pgdMoreRestarts >= acc.pgd - tol, // 4× the restarts changes nothing
    acc.pgdMoreRestarts <= acc.pgd + tol, // restarts never raise accuracy
    acc.apgd <= acc.pgd + tol, // APGD-CE no weaker than PGD
    !(acc.fgsm >= 0.5 && acc.pgd < acc.fgsm / 4), // no catastrophic-overfitting signature
  ];
}

describe('sanity checks on given accuracies', () => {
  test('each red flag fails its check, and its absence passes', () => {
    expect(checkPgdNotWeakerThanFgsm(0.4, 0.2, 0.1).passed).toBe(true);
    const weak = checkPgdNotWeakerThanFgsm(0.2, 0.4, 0.1);
    expect(weak).toMatchObject({ id: 'pgd-not-weaker-than-fgsm', passed: false });
    expect(weak.message).toMatch(/weaker/);
    expect(checkPgdNotWeakerThanFgsm(0.2, 0.205, 0.1).passed).toBe(true); // within the 1-point slack
    expect(checkLargeEpsBreaksModel(0.01, 1).passed).toBe(true);
    expect(checkLargeEpsBreaksModel(0.3, 1)).toMatchObject({ id: 'large-eps-breaks-model', passed: false });
    expect(checkGradientBeatsNoise(0.9, 0.2, 0.3, 'linf').passed).toBe(true);
    expect(checkGradientBeatsNoise(0.1, 0.5, 0.3, 'linf')).toMatchObject({ id: 'gradient-beats-noise', passed: false });
    expect(checkConverged('converged-in-steps', 0.3, 0.3, 'PGD-80').passed).toBe(true);
    expect(checkConverged('converged-in-restarts', 0.3, 0.2, 'PGD × 4 restarts')).toMatchObject({
      id: 'converged-in-restarts',
      passed: false,
    });
    expect(checkApgdNotWeakerThanPgd(0.3, 0.28, 0.3).passed).toBe(true);
    expect(checkApgdNotWeakerThanPgd(0.3, 0.35, 0.3)).toMatchObject({ id: 'apgd-not-weaker-than-pgd', passed: false });
    expect(checkRestartsNeverRaise(0.3, 0.3, 'PGD × 4 restarts').passed).toBe(true);
    expect(checkRestartsNeverRaise(0.3, 0.33, 'PGD × 4 restarts')).toMatchObject({
      id: 'restarts-never-raise',
      passed: false,
    });
    // Catastrophic overfitting's signature: FGSM 92 %, PGD 3 % — flagged; an ordinary model (FGSM 40 %, PGD 5 %)
    // and a robust one (FGSM 95 %, PGD 90 %) are not.
    expect(checkFgsmNotFarAbovePgd(0.92, 0.03, 0.3)).toMatchObject({ id: 'fgsm-not-far-above-pgd', passed: false });
    expect(checkFgsmNotFarAbovePgd(0.4, 0.05, 0.3).passed).toBe(true);
    expect(checkFgsmNotFarAbovePgd(0.95, 0.9, 0.3).passed).toBe(true);
  });

  test('from a sweep summary: PGD vs FGSM at every shared ε, and the largest ε', () => {
    const s = (attack: string, eps: number, m: number, model = 'm'): SweepSummary => ({
      model,
      attack,
      eps,
      mean: m,
      std: 0,
      seeds: 1,
    });
    const checks = sanityChecksFromSweep([
      s('fgsm', 0.1, 0.5),
      s('pgd', 0.1, 0.3),
      s('fgsm', 0.3, 0.2),
      s('pgd', 0.3, 0.25),
      s('apgd-ce', 0.3, 0.28),
      s('fgsm', 0.2, 0.9),
      s('pgd', 0.2, 0.05),
      s('gaussian', 0.5, 0.9),
    ]);
    expect(checks.map((c) => [c.id, '', c.passed])).toEqual([
      ['pgd-not-weaker-than-fgsm', '', true],
      ['fgsm-not-far-above-pgd', '', true],
      ['pgd-not-weaker-than-fgsm', '', false],
      ['fgsm-not-far-above-pgd', '', true],
      ['apgd-not-weaker-than-pgd', '', false],
      ['pgd-not-weaker-than-fgsm', '', true],
      ['fgsm-not-far-above-pgd', '', false],
      ['large-eps-breaks-model', '', false],
    ]);
    expect(checks.every((c) => c.model === 'm')).toBe(true);
  });

  test('from a sweep of two models: each check names its model, and each model gets its own largest-ε check', () => {
    const s = (model: string, attack: string, eps: number, mean: number): SweepSummary => ({
      model,
      attack,
      eps,
      mean,
      std: 0,
      seeds: 1,
    });
    // A breaks at ε 0.3 (accuracy 0.01); B keeps 0.6 there. Taking the minimum over both models would hide B.
    const checks = sanityChecksFromSweep([
      s('A', 'fgsm', 0.3, 0.1),
      s('A', 'pgd', 0.3, 0.01),
      s('B', 'fgsm', 0.3, 0.7),
      s('B', 'pgd', 0.3, 0.6),
    ]);
    expect(checks.map((c) => [c.model, c.id, c.passed])).toEqual([
      ['A', 'pgd-not-weaker-than-fgsm', true],
      ['A', 'fgsm-not-far-above-pgd', true],
      ['A', 'large-eps-breaks-model', true],
      ['B', 'pgd-not-weaker-than-fgsm', true],
      ['B', 'fgsm-not-far-above-pgd', true],
      ['B', 'large-eps-breaks-model', false],
    ]);
  });
});

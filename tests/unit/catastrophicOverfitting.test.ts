/**
 * Catastrophic overfitting inside the trainer (Wong, Rice & Kolter 2020, §5.1): when the robust probe collapses,
 * the trainer flags the report and, with `stop`, ends the run early and restores the weights of the report with the
 * best robust accuracy; without `stop` it flags and trains on. The probe's PGD accuracy is scripted here (the module
 * is mocked), so the collapse comes at a known report; everything else — training, clean accuracy, the weights —
 * is the real trainer's. The `train` command's --stop-on-collapse runs the same path in-process.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { adversarialObjective } from '../../src/core/train/adversarialTraining';
import { Trainer } from '../../src/core/train/trainer';
import type { TrainReport } from '../../src/core/train/trainerConfig';
import { jsonOf, refusalOf, train } from './helpers/cliInProcess';
import { useWasm } from './helpers/env';
import { linearModel, robustVersusUsefulFeatures } from './helpers/robustFeatures';

/** The probe's answers, report by report: a rise to 0.6, then a fall to a tenth of that while clean holds. */
const SCRIPT = [0.3, 0.5, 0.6, 0.55, 0.06, 0.05, 0.05, 0.05];
let call = 0;
vi.mock('../../src/core/train/robustProbe', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/core/train/robustProbe')>();
  return { ...actual, probeRobustAccuracy: async () => SCRIPT[Math.min(call++, SCRIPT.length - 1)] };
});

beforeAll(useWasm);
beforeEach(() => {
  call = 0;
});

async function trainWithCollapse(stop: boolean) {
  const train = robustVersusUsefulFeatures(200, 1);
  const held = robustVersusUsefulFeatures(100, 2);
  const model = linearModel(3);
  const trainer = new Trainer(model, train, {
    epochs: 4, // 10 batches an epoch, a report every 5: 8 reports if nothing stops the run
    batchSize: 20,
    seed: 1,
    optimizer: { kind: 'adam', learningRate: 0.02 },
    objective: adversarialObjective({ method: 'fgsm', eps: 0.1 }),
    heldOut: held,
    robustProbe: { data: held, eps: 0.1, steps: 2, seed: 1 },
    catastrophicOverfitting: { stop },
    reportEvery: 5,
  });
  const reports: TrainReport[] = [];
  const weightsAt: number[][][] = [];
  await trainer.run({
    onReport: (r) => {
      reports.push(r);
      weightsAt.push(model.getWeights().map((w) => Array.from(w.dataSync())));
    },
  });
  const summary = trainer.summary();
  const final = model.getWeights().map((w) => Array.from(w.dataSync()));
  trainer.dispose();
  model.dispose();
  return { reports, weightsAt, summary, final };
}

describe('catastrophic overfitting in the trainer', () => {
  test('with stop: flagged at the fall, the run ends there, the best report’s weights come back', async () => {
    const { reports, weightsAt, summary, final } = await trainWithCollapse(true);
    expect(reports.map((r) => r.robustAccuracy)).toEqual(SCRIPT.slice(0, 5));
    // Clean accuracy held while the probe fell (Wong et al.'s signature); else it is no collapse.
    expect(reports[4].heldOutAccuracy!).toBeGreaterThanOrEqual(reports[2].heldOutAccuracy! - 0.05);
    expect(reports.map((r) => r.catastrophicOverfitting ?? false)).toEqual([false, false, false, false, true]);
    expect(summary.stoppedEarly).toBe(true);
    expect(summary.epochs).toBeLessThan(4);
    expect(summary.catastrophicOverfitting).toMatchObject({
      kind: 'collapse',
      bestRobustAccuracy: 0.6,
      robustAccuracy: 0.06,
    });
    // The weights of report 3 (robust 0.6), not those of the last report nor of the end of training.
    expect(final).toEqual(weightsAt[2]);
    expect(final).not.toEqual(weightsAt[4]);
  });

  test('without stop: flagged at every report from the fall on, and the run goes to its end', async () => {
    const { reports, summary, final, weightsAt } = await trainWithCollapse(false);
    expect(reports).toHaveLength(8);
    expect(reports.map((r) => r.catastrophicOverfitting ?? false)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(summary.stoppedEarly).toBeUndefined();
    expect(summary.epochs).toBe(4);
    expect(summary.catastrophicOverfitting).toMatchObject({ kind: 'collapse', bestRobustAccuracy: 0.6 });
    expect(final).toEqual(weightsAt[7]);
  });
});

describe('train --adv … --stop-on-collapse on the command line (in-process)', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rp-collapse-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test('stops early, says so in its JSON and in model.json, and records the defense flags', async () => {
    const out = join(tmp, 'fgsm');
    const argv = [
      // One report an epoch: the script's collapse comes at the 5th, so the 6th epoch never runs.
      ...['--arch', 'cnn', '--data', 'mnist', '--epochs', '6', '--limit', '160', '--batch', '32'],
      ...['--adv', 'fgsm', '--adv-eps', '0.1', '--robust-probe', '20', '--probe-steps', '2'],
      ...['--stop-on-collapse', 'on', '--out', out],
    ];
    const summary = await jsonOf(train, argv);
    expect(summary.catastrophicOverfitting).toMatchObject({ kind: 'collapse', bestRobustAccuracy: 0.6, epoch: 4 });
    expect(summary.defense).toBe('FGSM adversarial training (no random start), L∞ ε = 0.1');
    const meta = JSON.parse(await readFile(join(out, 'model.json'), 'utf8')).userDefinedMetadata.robustnessPlayground;
    expect(meta.training.command).toContain('--adv fgsm --adv-eps 0.1');
    expect(meta.description).toMatch(/stopped early: robust accuracy collapsed/);
  });
});

describe("train's other defense flags (in-process)", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rp-defense-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });
  // The recorded test accuracy on 100 images: these runs check the objective, not the figure.
  const base = [
    ...['--arch', 'cnn', '--data', 'mnist', '--epochs', '1', '--limit', '64', '--batch', '32'],
    ...['--test-limit', '100'],
  ];

  test('--certified ibp and --noise-sigma train, and say which objective ran', async () => {
    const ibp = await jsonOf(train, [
      ...base,
      '--certified',
      'ibp',
      '--cert-eps',
      '0.1',
      '--cert-probe',
      '8',
      '--out',
      join(tmp, 'ibp'),
    ]);
    expect(ibp.defense).toMatch(/Interval bound propagation.*ε = 0\.1/);
    const noise = await jsonOf(train, [...base, '--noise-sigma', '0.5', '--out', join(tmp, 'noise')]);
    expect(noise.defense).toMatch(/Gaussian.*σ = 0\.5/);
    const meta = JSON.parse(await readFile(join(tmp, 'noise', 'model.json'), 'utf8')).userDefinedMetadata
      .robustnessPlayground;
    expect(meta.training.command).toContain('--noise-sigma 0.5');
    expect(meta.description).toMatch(/Gaussian/);
  });

  test('refusals: two objectives at once, a flag without its objective, a bad value', async () => {
    const out = ['--out', join(tmp, 'never')];
    expect(await refusalOf(train, [...base, '--adv', 'pgd', '--certified', 'ibp', ...out])).toBe(
      '--adv and --certified are different training objectives: choose one.',
    );
    expect(await refusalOf(train, [...base, '--cert-eps', '0.1', ...out])).toBe(
      '--cert-eps needs --certified ibp|crown-ibp.',
    );
    expect(await refusalOf(train, [...base, '--adv-steps', '3', ...out])).toBe(
      '--adv-steps needs --adv fgsm|fgsm-rs|pgd|trades.',
    );
    expect(await refusalOf(train, [...base, '--adv', 'pgd', '--adv-eps', '2', ...out])).toBe(
      '--adv-eps must be between 0.001 and 1, got "2".',
    );
  });
});

// Keep tf referenced for the backend's side effects in this file's scope.
void tf;

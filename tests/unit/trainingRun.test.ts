/**
 * One assembly of a training run for the training lab and the `train` command (src/core/train/trainingRun.ts):
 * the CLI's defense flags become a spec whose trainer attacks with the stated method and budget, probes exactly the
 * LAST N test images (the first ones stay for the held-out accuracy), and stops on collapse only when asked; colour
 * images get crops and flips unless the run says otherwise.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args';
import { parseTrainingDefense, TRAINING_DEFENSE_OPTION_SPEC } from '../../src/cli/trainingDefenseArgs';
import { takeFirst, type ImageDataset } from '../../src/core/data/dataset';
import { setUpTrainingRun, type TrainingRunSpec } from '../../src/core/train/trainingRun';
import { mnistTestFirst, useWasm } from './helpers/env';

function defenseFrom(...argv: string[]) {
  return parseTrainingDefense(parseCommandArgs('train', argv, TRAINING_DEFENSE_OPTION_SPEC), 'mnist');
}

const BASE: TrainingRunSpec = { arch: 'mlp', build: { width: 8, depth: 1 }, epochs: 1, seed: 3, reportEvery: 10 };

describe('setUpTrainingRun', () => {
  let testSet: ImageDataset;
  beforeAll(async () => {
    await useWasm();
    testSet = await mnistTestFirst(100);
  });

  test('the CLI flags of PGD training become PGD at ε 0.2 with a probe on the last 30 images', () => {
    const parsed = defenseFrom('--adv', 'pgd', '--adv-eps', '0.2', '--robust-probe', '30', '--probe-steps', '7');
    const { built, trainer } = setUpTrainingRun(
      { ...BASE, defense: parsed?.defense, robustProbe: parsed?.robustProbe, heldOutExamples: 20 },
      takeFirst(testSet, 40),
      testSet,
    );
    try {
      expect(trainer.config.objective?.description).toMatch(/PGD.*ε = 0\.2/);
      const probe = trainer.config.robustProbe!;
      expect(probe).toMatchObject({ eps: 0.2, steps: 7, seed: 3 });
      expect(Array.from(probe.data.labels)).toEqual(Array.from(testSet.labels.slice(70)));
      expect(Array.from(trainer.config.heldOut!.labels)).toEqual(Array.from(testSet.labels.slice(0, 20)));
      expect(trainer.config.catastrophicOverfitting).toEqual({ stop: false });
      expect(trainer.config.certifiedProbe).toBeUndefined();
    } finally {
      trainer.dispose();
      built.model.dispose();
    }
  });

  test('--stop-on-collapse on reaches the trainer; IBP training gets a certified probe at its ε, no PGD probe', () => {
    const adv = defenseFrom('--adv', 'fgsm-rs', '--adv-eps', '0.1', '--stop-on-collapse', 'on');
    const a = setUpTrainingRun({ ...BASE, defense: adv?.defense, robustProbe: adv?.robustProbe }, testSet, testSet);
    expect(a.trainer.config.catastrophicOverfitting).toEqual({ stop: true });
    a.trainer.dispose();
    a.built.model.dispose();
    const ibp = defenseFrom('--certified', 'ibp', '--cert-eps', '0.15', '--cert-probe', '12');
    const c = setUpTrainingRun(
      { ...BASE, defense: ibp?.defense, certifiedProbe: ibp?.certifiedProbe },
      testSet,
      testSet,
    );
    try {
      expect(c.trainer.config.objective?.description).toMatch(/Interval bound propagation/);
      expect(c.trainer.config.certifiedProbe?.eps).toBe(0.15);
      expect(c.trainer.config.certifiedProbe?.data.count).toBe(12);
      expect(c.trainer.config.robustProbe).toBeUndefined();
    } finally {
      c.trainer.dispose();
      c.built.model.dispose();
    }
  });

  test('no defense: plain cross-entropy, no probes; crop-and-flip only for colour images unless chosen', () => {
    const { built, trainer } = setUpTrainingRun(BASE, testSet, testSet);
    expect(trainer.config.objective).toBeUndefined();
    expect(trainer.config.robustProbe).toBeUndefined();
    expect(trainer.config.cropFlipAugmentation).toBe(false);
    trainer.dispose();
    built.model.dispose();
    const chosen = setUpTrainingRun({ ...BASE, recipe: { cropFlipAugmentation: true } }, testSet, testSet);
    expect(chosen.trainer.config.cropFlipAugmentation).toBe(true);
    chosen.trainer.dispose();
    chosen.built.model.dispose();
  });
});

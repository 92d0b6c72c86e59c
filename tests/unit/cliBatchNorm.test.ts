/**
 * The command line of batch norm, Xie & Yuille's experiments and Zhu et al.'s trained sweep: a tiny split-BN
 * model trains, records both sets in model.json and evaluates with either (`eval --bn`); the trained sweep prints
 * a lazy ratio per epoch; every misuse is one clear line on stderr. The commands run in this process (the functions
 * main.ts dispatches to, helpers/cliInProcess.ts); cli.test.ts checks the contract on child processes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalCommand } from '../../src/cli/commands/eval';
import { stabilityCommand } from '../../src/cli/commands/stability';
import { type Command, jsonOf, refusalOf, train } from './helpers/cliInProcess';
import { argv } from './helpers/cliProcess';
import { SHIPPED_MODEL_DIR } from './helpers/env';

describe('command line: batch norm and the trained stability sweep', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rp-bn-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test('a split-BN model trains, keeps BN_clean and BN_adv, and evaluates with either', async () => {
    const dir = join(tmp, 'split');
    const trained = await jsonOf(
      train,
      argv(
        '--arch cnn --norm batch --adv-bn split --data mnist --limit 64 --epochs 1 --adv pgd',
        // The recorded test accuracy on 100 images (--test-limit): this test checks the layers, not the figure.
        '--adv-eps 0.1 --adv-steps 1 --adv-clean 1 --robust-probe 0 --test-limit 100 --out',
        dir,
      ),
    );
    expect(trained.defense).toMatch(/100 % clean images through split batch norm/);
    const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const names: string[] = modelJson.weightsManifest.flatMap((g: { weights: { name: string }[] }) =>
      g.weights.map((w) => w.name),
    );
    for (const part of ['/gamma', '/adv_gamma', '/moving_mean', '/adv_moving_mean', '/adv_moving_variance']) {
      expect(names.some((n) => n.endsWith(part))).toBe(true);
    }
    for (const bn of ['clean', 'adv']) {
      const r = await jsonOf(evalCommand, argv('--model', dir, `--data mnist --limit 8 --bn ${bn}`));
      expect(r.batchNorm).toBe(bn);
    }
  });

  test('the trained sweep prints the lazy ratio of every epoch', async () => {
    const r = await jsonOf(
      stabilityCommand,
      argv(
        '--widths 8 --depths 1 --inits lecun --data mnist --limit 4 --samples 4 --eps 1',
        '--train-epochs 2 --train-limit 64 --lr 0.1 --lr-decay 0.5',
      ),
    );
    expect(r.trained).toBe(true);
    expect(r.training).toMatchObject({ epochs: 2, examples: 64, lrDecay: 0.5, lrMilestones: [1] });
    expect(r.points[0].training.lazyRatioByEpoch).toHaveLength(2);
  });

  test('misuse is refused with one line', async () => {
    const calls: [Command, string[]][] = [
      [train, argv('--arch mlp --norm batch --data mnist --epochs 1 --limit 8 --out', join(tmp, 'x1'))],
      [train, argv('--arch cnn --norm layer --data mnist --epochs 1 --out', join(tmp, 'x2'))],
      [train, argv('--arch cnn --adv pgd --adv-bn split --data mnist --epochs 1 --out', join(tmp, 'x3'))],
      [train, argv('--arch cnn --adv trades --adv-clean 1 --data mnist --epochs 1 --out', join(tmp, 'x4'))],
      [evalCommand, argv('--model', SHIPPED_MODEL_DIR, '--data mnist --limit 4 --bn adv')],
      [evalCommand, argv('--model', SHIPPED_MODEL_DIR, '--data mnist --limit 4 --bn both')],
      [stabilityCommand, argv('--model', SHIPPED_MODEL_DIR, '--data mnist --limit 2 --train-epochs 1')],
      [stabilityCommand, argv('--widths 8 --data mnist --limit 2 --lr 0.1')],
    ];
    const expected = [
      /--norm applies to cnn, cifar-cnn, res-cnn, not mlp/,
      /--norm must be one of none, batch, group/,
      /split batch norm needs clean images/,
      /clean images beside the adversarial ones need fgsm, fgsm-rs or pgd/,
      /--bn needs a model with split batch norm/,
      /--bn must be one of clean, adv/,
      /--train-epochs trains the MLP sweep/,
      /--lr needs --train-epochs/,
    ];
    for (const [i, [command, args]] of calls.entries()) {
      expect(await refusalOf(command, args), args.join(' ')).toMatch(expected[i]);
    }
  });
});

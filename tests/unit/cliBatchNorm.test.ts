/**
 * The command line of batch norm, Xie & Yuille's experiments and Zhu et al.'s trained sweep: a tiny split-BN
 * model trains, records both sets in model.json and evaluates with either (`eval --bn`); the trained sweep prints
 * a lazy ratio per epoch; every misuse is one clear line on stderr.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { argv, cli, expectCleanFailure, oneJson } from './helpers/cliProcess';
import { SHIPPED_MODEL_DIR } from './helpers/env';

const TIMEOUT_MS = 600_000;

describe('command line: batch norm and the trained stability sweep', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rp-bn-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test(
    'a split-BN model trains, keeps BN_clean and BN_adv, and evaluates with either',
    async () => {
      const dir = join(tmp, 'split');
      const trained = oneJson(
        await cli(
          ...argv(
            'train --arch cnn --norm batch --adv-bn split --data mnist --limit 64 --epochs 1 --adv pgd',
            '--adv-eps 0.1 --adv-steps 1 --adv-clean 1 --robust-probe 0 --out',
            dir,
          ),
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
        const r = oneJson(await cli(...argv('eval --model', dir, `--data mnist --limit 8 --bn ${bn}`)));
        expect(r.batchNorm).toBe(bn);
      }
    },
    TIMEOUT_MS,
  );

  test(
    'the trained sweep prints the lazy ratio of every epoch',
    async () => {
      const r = oneJson(
        await cli(
          ...argv(
            'stability --widths 8 --depths 1 --inits lecun --data mnist --limit 4 --samples 4 --eps 1',
            '--train-epochs 2 --train-limit 64 --lr 0.1 --lr-decay 0.5',
          ),
        ),
      );
      expect(r.trained).toBe(true);
      expect(r.training).toMatchObject({ epochs: 2, examples: 64, lrDecay: 0.5, lrMilestones: [1] });
      expect(r.points[0].training.lazyRatioByEpoch).toHaveLength(2);
    },
    TIMEOUT_MS,
  );

  test(
    'misuse is refused with one line',
    async () => {
      const calls = [
        argv('train --arch mlp --norm batch --data mnist --epochs 1 --limit 8 --out', join(tmp, 'x1')),
        argv('train --arch cnn --norm layer --data mnist --epochs 1 --out', join(tmp, 'x2')),
        argv('train --arch cnn --adv pgd --adv-bn split --data mnist --epochs 1 --out', join(tmp, 'x3')),
        argv('train --arch cnn --adv trades --adv-clean 1 --data mnist --epochs 1 --out', join(tmp, 'x4')),
        argv('eval --model', SHIPPED_MODEL_DIR, '--data mnist --limit 4 --bn adv'),
        argv('eval --model', SHIPPED_MODEL_DIR, '--data mnist --limit 4 --bn both'),
        argv('stability --model', SHIPPED_MODEL_DIR, '--data mnist --limit 2 --train-epochs 1'),
        argv('stability --widths 8 --data mnist --limit 2 --lr 0.1'),
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
      for (const [i, call] of calls.entries()) {
        const r = await cli(...call);
        expectCleanFailure(r);
        expect(r.stderr).toMatch(expected[i]);
      }
    },
    TIMEOUT_MS,
  );
});

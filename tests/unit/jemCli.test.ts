/**
 * JEM on the command line: `train --jem on`'s, `sample`'s and `eval --refine-steps`'s refusals (non-zero exit, one
 * line on stderr), and the shipped MNIST JEM re-measured on a CI-sized subset: its test accuracy on the first 500
 * test images beside the recorded full figure, and the share of its class-conditional samples (4 per class) that the
 * shipped standard CNN — trained separately — assigns to the class they were drawn for. The commands run in this
 * process (the functions main.ts dispatches to, helpers/cliInProcess.ts); cli.test.ts checks the contract on child
 * processes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalCommand } from '../../src/cli/commands/eval';
import { sampleCommand } from '../../src/cli/commands/sample';
import { type Command, jsonOf, refusalOf, train } from './helpers/cliInProcess';
import { argv } from './helpers/cliProcess';

const JEM_DIR = 'public/models/mnist-jem';
const TIMEOUT_MS = 600_000;

describe('JEM command line', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rp-jem-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test(
    'refusals: JEM flags without --jem, two objectives, out-of-range values (a log p(x) weight above 10), bad ' +
      'classes, missing buffer',
    async () => {
      const out = join(tmp, 'never');
      const small = '--arch strided-cnn --data mnist --epochs 1 --limit 64 --out';
      const calls: [Command, string[]][] = [
        [train, argv(small, out, '--sgld-steps 5')],
        [train, argv(small, out, '--jem on --adv pgd')],
        [train, argv(small, out, '--jem on --reinit 2')],
        [train, argv(small, out, '--jem maybe')],
        [train, argv(small, out, '--jem on --px-weight 20')],
        [sampleCommand, argv('--model', JEM_DIR, '--class 12 --out', join(tmp, 'a.png'))],
        [sampleCommand, argv('--model', JEM_DIR, '--class all --n 15 --out', join(tmp, 'b.png'))],
        [sampleCommand, argv('--model', JEM_DIR, '--from buffer --out', join(tmp, 'c.png'))],
        [evalCommand, argv('--model', JEM_DIR, '--data mnist --limit 4 --eot 3')],
      ];
      const messages: string[] = [];
      for (const [command, args] of calls) messages.push(await refusalOf(command, args));
      expect(messages[0]).toMatch(/--sgld-steps needs --jem on/);
      expect(messages[1]).toMatch(/different training objectives/);
      expect(messages[2]).toMatch(/--reinit/);
      expect(messages[3]).toMatch(/on or off/);
      expect(messages[4]).toMatch(/--px-weight/);
      expect(messages[5]).toMatch(/class must be a whole number from 0 to 9/);
      expect(messages[6]).toMatch(/multiple of 10/);
      expect(messages[7]).toMatch(/replay buffer/);
      expect(messages[8]).toMatch(/--eot needs --refine-steps/);
    },
    TIMEOUT_MS,
  );

  test(
    'the shipped JEM: accuracy on 500 test images, and the standard CNN agrees with its class-conditional samples',
    async () => {
      const accuracy = await jsonOf(evalCommand, argv('--model', JEM_DIR, '--data mnist --limit 500'));
      // The full figure (10,000 images) is in model.json; 500 images give it to within a few points.
      expect(accuracy.cleanAccuracy).toBeGreaterThan(0.96);
      const grid = join(tmp, 'samples.png');
      const sampled = await jsonOf(
        sampleCommand,
        argv('--model', JEM_DIR, '--class all --n 40 --judge public/models/mnist-cnn --out', grid),
      );
      expect(sampled.n).toBe(40);
      expect(sampled.judge.perClass).toHaveLength(10);
      // 73 % on 100 samples (10 per class) with the same command (model.json's jem.sampleAgreement); on 40 the
      // binomial standard error is 0.07, so two of them below it is the floor (chance is 10 %).
      expect(sampled.judge.agreement).toBeGreaterThanOrEqual(0.6);
    },
    TIMEOUT_MS,
  );
});

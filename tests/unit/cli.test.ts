/**
 * The command line as scripts use it: one JSON object on stdout on success; on failure a non-zero exit, exactly one
 * "error: …" line on stderr and nothing on stdout. The contract itself is checked on two real child processes
 * (src/cli/main.ts under tsx: a success and a refusal); every other case calls the command
 * function main.ts dispatches to in this process (helpers/cliInProcess.ts), so the file pays for one tfjs start-up
 * instead of one per call.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Command, jsonOf, refusalOf, train } from './helpers/cliInProcess';
import { argv, cli, expectCleanFailure, oneJson } from './helpers/cliProcess';
import { attackCommand } from '../../src/cli/commands/attack';
import { calibrationCommand } from '../../src/cli/commands/calibration';
import { evalCommand } from '../../src/cli/commands/eval';
import { marginsCommand } from '../../src/cli/commands/margins';
import { stabilityCommand } from '../../src/cli/commands/stability';
import { mnistTest, mnistTestFirst, SHIPPED_MODEL_DIR, useWasm } from './helpers/env';
import { preprocessMnist } from '../../src/core/image/mnistPreprocess';
import { readModelDir } from '../../src/cli/nodeFiles';
import { accuracy } from '../../src/core/metrics/accuracy';

describe('command line', () => {
  let tmp: string;
  let digitPng: string;
  let digitRgba: Uint8Array;
  let digitLabel: number;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rp-cli-'));
    // The first MNIST test digit, upscaled ×2 to 56×56, dark ink on white.
    const ds = await mnistTest();
    digitLabel = ds.labels[0];
    const png = new PNG({ width: 56, height: 56 });
    for (let y = 0; y < 56; y++) {
      for (let x = 0; x < 56; x++) {
        const v = 255 - ds.images[Math.floor(y / 2) * 28 + Math.floor(x / 2)];
        png.data.set([v, v, v, 255], 4 * (y * 56 + x));
      }
    }
    digitRgba = new Uint8Array(png.data);
    digitPng = join(tmp, 'digit.png');
    await writeFile(digitPng, PNG.sync.write(png));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test('eval, no attack, 300 images', async () => {
    const out = oneJson(await cli('eval', '--model', SHIPPED_MODEL_DIR, '--data', 'mnist', '--limit', '300'));
    for (const key of ['model', 'backend', 'n', 'cleanAccuracy', 'robustAccuracy', 'attack', 'seconds'])
      expect(out).toHaveProperty(key);
    expect(out.model).toBe(SHIPPED_MODEL_DIR);
    expect(out.backend).toBe('wasm');
    expect(out.n).toBe(300);
    expect(out.cleanAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(out.robustAccuracy).toBe(out.cleanAccuracy);
    expect(out.attack).toEqual({ name: 'none' });
    expect(out.seconds).toBeGreaterThan(0);
    // Accuracy is a count over 300 images.
    expect(Number.isInteger(Math.round(out.cleanAccuracy * 300 * 1e6) / 1e6)).toBe(true);
  });

  test('eval with PGD lists the options that ran', async () => {
    const out = await jsonOf(
      evalCommand,
      argv('--model', SHIPPED_MODEL_DIR, '--data mnist --attack pgd --eps 0.3 --steps 10 --limit 64'),
    );
    expect(out.n).toBe(64);
    expect(out.attack).toMatchObject({ name: 'pgd', norm: 'linf', eps: 0.3, steps: 10, restarts: 1, seed: 0 });
    expect(out.attack.alpha).toBeCloseTo((2.5 * 0.3) / 10, 12);
    expect(out.robustAccuracy).toBeLessThanOrEqual(out.cleanAccuracy);
    expect(out.robustAccuracy).toBeLessThan(0.5); // ε = 0.3 PGD breaks an undefended MNIST CNN
  });

  test('attack on a PNG digit writes a 28×28 adversarial PNG within ε', async () => {
    const outPng = join(tmp, 'adv.png');
    const out = await jsonOf(
      attackCommand,
      argv('--model', SHIPPED_MODEL_DIR, '--image', digitPng, '--attack pgd --eps 0.3 --out', outPng),
    );
    expect(out.input.label).toBe(digitLabel);
    expect(out.input.probabilities).toHaveLength(10);
    expect(out.input.probabilities.reduce((s: number, p: number) => s + p, 0)).toBeCloseTo(1, 4);
    expect(out.attackedLabel).toBe(digitLabel);
    // PGD-20 at ε = 0.3 from a random start ends on the L∞ sphere and breaks this undefended CNN on this digit.
    expect(out.linf).toBeCloseTo(0.3, 6);
    expect(out.success).toBe(true);
    expect(out.adversarial.label).not.toBe(digitLabel);
    const advProbs: number[] = out.adversarial.probabilities;
    expect(out.adversarial.label).toBe(advProbs.indexOf(Math.max(...advProbs)));
    const png = PNG.sync.read(await readFile(outPng));
    expect([png.width, png.height]).toEqual([28, 28]);
    // The model, run here on the PNG the command wrote, gives the adversarial prediction it reported (8-bit rounding
    // moves each pixel by at most 0.5/255, which does not change a prediction this confident).
    await useWasm();
    const clf = await readModelDir(SHIPPED_MODEL_DIR);
    const written = tf.tensor4d(
      Float32Array.from({ length: 784 }, (_, i) => png.data[4 * i] / 255),
      [1, 28, 28, 1],
    );
    const probs = Array.from(tf.tidy(() => tf.softmax(clf.logits(written))).dataSync());
    written.dispose();
    clf.model.dispose();
    expect(probs.indexOf(Math.max(...probs))).toBe(out.adversarial.label);
    expect(Math.max(...probs.map((p, k) => Math.abs(p - advProbs[k])))).toBeLessThan(0.05);
    // The PNG holds the adversarial image: within ε (plus 8-bit rounding) of the preprocessed input.
    const clean = preprocessMnist(digitRgba, 56, 56).pixels;
    let worst = 0;
    for (let i = 0; i < 784; i++) worst = Math.max(worst, Math.abs(png.data[4 * i] / 255 - clean[i]));
    expect(worst).toBeLessThanOrEqual(0.3 + 0.5 / 255 + 1e-6);
    expect(worst).toBeGreaterThan(0.01);
  });

  test('an unknown command: exit ≠ 0, one "error:" line on stderr, nothing on stdout', async () => {
    const unknown = await cli('frobnicate');
    expectCleanFailure(unknown);
    expect(unknown.stderr).toMatch(/^error: Unknown command "frobnicate"\. Commands: train, eval/);
  });

  // The refusals in-process (the command functions main.ts calls), each matched by its message.
  test('bad arguments, typos and impossible values: one sentence each, nothing on stdout', async () => {
    const textFile = join(tmp, 'notes.txt');
    await writeFile(textFile, 'this is not an image\n');
    const truncated = join(tmp, 'truncated.png');
    await writeFile(truncated, (await readFile(digitPng)).subarray(0, 200));
    const aFile = join(tmp, 'a-file');
    await writeFile(aFile, 'not a folder\n');
    const model = ['--model', SHIPPED_MODEL_DIR];
    const image = (path: string, out: string) => [...model, '--image', path, '--out', out];
    const cases: [Command, string[], RegExp][] = [
      [evalCommand, argv(...model, '--data mnist --attack pgd --eps abc'), /^--eps must be a number.*got "abc"\.$/],
      [attackCommand, image(textFile, join(tmp, 'x.png')), /PNG or JPEG/],
      [evalCommand, argv(...model, '--data mnist --attack pgd --target 10 --limit 4'), /target/],
      [evalCommand, argv(...model, '--data mnist --epss 0.1 --limit 4'), /--epss \(did you mean --eps\?\)/],
      [evalCommand, argv(...model, '--data mnist --limit 0'), /^--limit must be ≥ 1, got 0\.$/],
      [attackCommand, image(join(tmp, 'missing.png'), join(tmp, 'o.png')), /Cannot read .*missing\.png/],
      [attackCommand, image(truncated, join(tmp, 'o.png')), /truncated\.png could not be decoded as PNG/],
      [
        attackCommand,
        image(digitPng, join(tmp, 'no-such-folder', 'adv.png')),
        /Cannot write --out .*no-such-folder.* is no folder/,
      ],
      [attackCommand, image(digitPng, join(aFile, 'adv.png')), /Cannot write --out .*a-file.* is no folder/],
      [
        train,
        argv('--arch resnet-9000 --data mnist --epochs 1 --out', join(tmp, 't1')),
        /Unknown architecture "resnet-9000"/,
      ],
      [evalCommand, argv(...model, '--data imagenet'), /Unknown data set "imagenet"/],
      [train, argv('--arch cnn --data imagenet --epochs 1 --out', join(tmp, 't2')), /Unknown data set "imagenet"/],
      [
        train,
        argv('--arch cnn --data mnist --epochs 0 --out', join(tmp, 't3')),
        /^--epochs must be between 1 and 1000, got "0"\.$/,
      ],
      [
        train,
        argv('--arch cnn --data mnist --epochs 1 --out', join(aFile, 'model')),
        /Cannot write --out .*a-file.* is no folder/,
      ],
      // A malformed --eps is refused even when no attack is chosen (a typo must not pass silently).
      [evalCommand, argv(...model, '--data mnist --eps abc --limit 8'), /^--eps must be a number.*got "abc"\.$/],
      [evalCommand, argv(...model, '--data mnist --attack pgd --eps 0.1,abc'), /^--eps must be a number.*got "abc"\.$/],
      [evalCommand, argv(...model, '--data mnist --attack pgd --seed 1 --seeds 2,3'), /--seed or --seeds/],
      [evalCommand, argv(...model, '--data mnist --eps 0,0.1'), /grid.*needs --attack/],
      [calibrationCommand, argv(...model, '--data mnist --bins 0'), /^--bins must be between 2 and 100, got "0"\.$/],
      [marginsCommand, argv(...model, '--data mnist --pgd-distance maybe'), /--pgd-distance.*maybe/],
      [stabilityCommand, argv(...model, '--data mnist --form bogus'), /^--form must be one of .*; got "bogus"\.$/],
      [stabilityCommand, argv('--data mnist'), /--model/],
      [calibrationCommand, argv('--data mnist'), /^--model is required\.$/],
      [evalCommand, argv(...model, '--data mnist --attack pgd --eps 0.1,2 --limit 4'), /--eps must be between 0 and 1/],
      [evalCommand, argv('--model /nonexistent --data mnist'), /\/nonexistent/],
    ];
    for (const [command, args, message] of cases) {
      expect(await refusalOf(command, args), args.join(' ')).toMatch(message);
    }
  });

  test('train writes a loadable model directory and prints a JSON summary', async () => {
    const dir = join(tmp, 'trained');
    // --test-limit: the recorded figure on the first 1,000 test images (the whole split costs the command and the
    // re-measurement below 10,000 forward passes each; what is checked, an exact figure, does not depend on n).
    const out = await jsonOf(
      train,
      argv('--arch cnn --data mnist --epochs 1 --limit 512 --test-limit 1000 --out', dir),
    );
    expect(out).toMatchObject({
      out: dir,
      arch: 'cnn',
      data: 'mnist',
      backend: 'wasm',
      trainExamples: 512,
      epochs: 1,
      testExamples: 1000,
    });
    expect(Number.isFinite(out.finalLoss)).toBe(true);
    await useWasm();
    const clf = await readModelDir(dir);
    // The reported figure is the written model's accuracy on the first 1,000 test images, re-measured here; 8
    // batches of Adam take the small CNN well past chance (0.1; measured 0.486 on all 10,000).
    expect(await accuracy(clf.logits, await mnistTestFirst(1000), { batchSize: 500 })).toBe(out.testAccuracy);
    expect(out.testAccuracy).toBeGreaterThan(0.3);
    expect(clf.meta.training?.trainExamples).toBe(512);
    expect(clf.meta.heldOutAccuracy).toEqual({ value: out.testAccuracy, n: 1000, split: 'test' });
    expect(clf.model.countParams()).toBe(12810);
    clf.model.dispose();
  });
});

describe('command line: evaluation grids, calibration, margins, stability', () => {
  const GRID_KEYS = [
    'model',
    'backend',
    'data',
    'split',
    'n',
    'cleanAccuracy',
    'attack',
    'results',
    'summary',
    'seconds',
  ];

  test('eval --eps grid × --seeds: results per (ε, seed) and mean ± std per ε', async () => {
    const out = await jsonOf(
      evalCommand,
      argv('--model', SHIPPED_MODEL_DIR, '--data mnist --limit 32 --attack fgsm --eps 0,0.1 --seeds 1,2'),
    );
    expect(Object.keys(out)).toEqual(GRID_KEYS);
    expect(out.n).toBe(32);
    expect(out.attack).toMatchObject({ name: 'fgsm', norm: 'linf', eps: [0, 0.1], seeds: [1, 2] });
    expect(out.results.map((r: any) => [r.eps, r.seed])).toEqual([
      [0, 1],
      [0, 2],
      [0.1, 1],
      [0.1, 2],
    ]);
    expect(out.results[0].robustAccuracy).toBe(out.cleanAccuracy);
    expect(out.summary).toHaveLength(2);
    expect(Object.keys(out.summary[0])).toEqual(['eps', 'mean', 'std']);
    expect(out.summary[0]).toEqual({ eps: 0, mean: out.cleanAccuracy, std: 0 });
    expect(out.summary[1].std).toBe(0); // FGSM is deterministic
    expect(out.summary[1].mean).toBeLessThanOrEqual(out.cleanAccuracy);
  });

  test('one ε and one seed, even given as --seeds, keep the single-run output exactly', async () => {
    const pgd = '--data mnist --limit 16 --attack pgd --steps 2 --eps 0.1';
    const x = await jsonOf(evalCommand, argv('--model', SHIPPED_MODEL_DIR, pgd, '--seeds 3'));
    const y = await jsonOf(evalCommand, argv('--model', SHIPPED_MODEL_DIR, pgd, '--seed 3'));
    for (const key of ['model', 'backend', 'n', 'cleanAccuracy', 'robustAccuracy', 'attack', 'seconds'])
      expect(x).toHaveProperty(key);
    expect(x).not.toHaveProperty('results');
    delete x.seconds;
    delete y.seconds;
    expect(x).toEqual(y);
  });

  test('eval --attack gaussian --sigma grid', async () => {
    const out = await jsonOf(
      evalCommand,
      argv('--model', SHIPPED_MODEL_DIR, '--data mnist --limit 16 --attack gaussian --sigma 0.1,0.3'),
    );
    expect(out.attack).toEqual({ name: 'gaussian', sigma: [0.1, 0.3], seeds: [0] });
    expect(out.results.map((r: any) => r.eps)).toEqual([0.1, 0.3]);
  });

  test('calibration, margins and stability print one JSON object each', async () => {
    const model = ['--model', SHIPPED_MODEL_DIR];
    const c = await jsonOf(calibrationCommand, argv(...model, '--data mnist --limit 300'));
    expect(c).toMatchObject({ n: 300, bins: 15, binEdges: '(lo, hi]; the first bin is [lo, hi]' });
    expect(c.heldOut.fitN + c.heldOut.reportN).toBe(300);
    expect(c.temperature).toBeGreaterThan(0);
    for (const d of [c.before, c.after]) {
      expect(d.reliability).toHaveLength(15);
      // ECE, MCE, accuracy and mean confidence recomputed from the printed bins (Guo et al. 2017, §2):
      // ECE = Σ_b (n_b/N)·|acc_b − conf_b|, MCE = max_b |acc_b − conf_b| over the non-empty bins.
      const used = d.reliability.filter((b: any) => b.count > 0);
      const total = used.reduce((t: number, b: any) => t + b.count, 0);
      expect(total).toBe(c.heldOut.reportN);
      const gaps = used.map((b: any) => Math.abs(b.accuracy - b.confidence));
      expect(d.ece).toBeCloseTo(
        used.reduce((t: number, b: any, i: number) => t + (b.count / total) * gaps[i], 0),
        12,
      );
      expect(d.mce).toBeCloseTo(Math.max(...gaps), 12);
      expect(d.accuracy).toBeCloseTo(used.reduce((t: number, b: any) => t + b.count * b.accuracy, 0) / total, 12);
      expect(d.meanConfidence).toBeCloseTo(
        used.reduce((t: number, b: any) => t + b.count * b.confidence, 0) / total,
        12,
      );
      for (const b of used) {
        expect(b.confidence).toBeGreaterThan(b.lo);
        expect(b.confidence).toBeLessThanOrEqual(b.hi);
      }
    }
    // Every one of these 150 report images is classified correctly, so the whole gap is underconfidence: ECE is
    // exactly 1 − mean confidence, and temperature scaling sharpens (T < 1) and shrinks it.
    expect(c.before.accuracy).toBe(1);
    expect(c.before.ece).toBeCloseTo(1 - c.before.meanConfidence, 12);
    expect(c.temperature).toBeLessThan(1);
    expect(c.after.ece).toBeLessThan(c.before.ece);
    expect(c.after.accuracy).toBe(c.before.accuracy);
    expect(c.confidenceHistogram.counts.reduce((s: number, k: number) => s + k, 0)).toBe(300);

    const m = await jsonOf(marginsCommand, argv(...model, '--data mnist --limit 40 --deepfool-limit 8'));
    expect(m.n).toBe(40);
    expect(m.margins.histogram.counts.reduce((s: number, k: number) => s + k, 0)).toBe(40);
    expect(m.lipschitz.layers.map((l: any) => l.className)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
    ]);
    expect(m.deepfool.n).toBeLessThanOrEqual(8);
    expect(m.deepfool.fooled).toBe(m.deepfool.n);
    // The certified radius is below the distance DeepFool actually needed.
    expect(m.lipschitz.l2LowerBound.max).toBeLessThan(m.deepfool.achieved.min);
    expect(m.normalizedMargin).toMatchObject({ layers: 3, homogeneous: false });

    const s = await jsonOf(stabilityCommand, argv(...model, '--data mnist --limit 4 --eps 0.5,1 --samples 8'));
    expect(s).toMatchObject({ n: 4, form: 'first-order-squared', norm: 'l2', samples: 8 });
    expect(s.results.map((r: any) => r.eps)).toEqual([0.5, 1]);
    // ε²-scaling of the closed form.
    expect(s.results[1].analyticFirstOrderSquared / s.results[0].analyticFirstOrderSquared).toBeCloseTo(4, 6);

    const w = await jsonOf(
      stabilityCommand,
      argv('--widths 8 --depths 1 --inits he,lecun --data mnist --limit 2 --samples 4 --eps 1'),
    );
    expect(w.mode).toBe('mlp-sweep');
    expect(w.points.map((p: any) => [p.width, p.depth, p.init])).toEqual([
      [8, 1, 'he'],
      [8, 1, 'lecun'],
    ]);
  });
});

/**
 * No tensor leaks: attacks, robustAccuracy, training and cancellation leave tf.memory() as they
 * found it. numDataBuffers also counts buffers the project's wasm kernels allocate internally.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, MNIST_META, smallClassifier, useWasm } from './helpers/env';
import { batchTensors, range, takeFirst, type ImageDataset } from '../../src/core/data/dataset';
import { disposeAttackRun, runAttack } from '../../src/core/attacks/runAttack';
import type { AttackMethod, AttackOptions, Norm, TargetSpec } from '../../src/core/attacks/types';
import { robustAccuracy } from '../../src/core/eval/robustAccuracy';
import { trainClassifier } from '../../src/core/train/trainClassifier';
import { buildMnistCnn } from '../../src/core/models/mnistCnn';
import { asClassifier, type Classifier } from '../../src/core/models/classifier';
import { CancelledError, InvalidOptionError } from '../../src/core/util/errors';
import { loadMnist } from '../../src/cli/nodeFiles';

function snapshot() {
  const m = tf.memory() as tf.MemoryInfo & { numDataBuffers: number };
  return { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers, numBytes: m.numBytes };
}

describe('memory', () => {
  let clf: Classifier;
  let ds: ImageDataset;
  let x: tf.Tensor4D;
  let y: tf.Tensor1D;
  beforeAll(async () => {
    await useWasm();
    clf = smallClassifier(4);
    ds = await mnistTestFirst(64);
    ({ x, y } = batchTensors(ds, range(0, 3)));
  });
  afterAll(() => {
    tf.dispose([x, y]);
    clf.model.dispose();
  });

  test('100 attacks (all methods, norms, targets; restarts 2) leak no tensor', async () => {
    const methods: AttackMethod[] = ['fgsm', 'bim', 'pgd'];
    const norms: Norm[] = ['linf', 'l2'];
    const targets: TargetSpec[] = [
      { kind: 'untargeted' },
      { kind: 'class', classIndex: 3 },
      { kind: 'random' },
      { kind: 'least-likely' },
    ];
    const opts = (i: number): AttackOptions => {
      const norm = norms[i % 2];
      return {
        method: methods[i % 3],
        norm,
        eps: norm === 'linf' ? 0.1 : 1,
        steps: 2,
        restarts: 2,
        target: targets[Math.floor(i / 6) % 4],
        seed: i,
      };
    };
    disposeAttackRun(await runAttack(clf.logits, x, y, 10, opts(0))); // warm-up
    const before = snapshot();
    let progressCalls = 0;
    for (let i = 0; i < 100; i++) {
      const run = await runAttack(
        clf.logits,
        x,
        y,
        10,
        opts(i),
        i % 5 === 0 ? { onProgress: () => progressCalls++ } : undefined,
      );
      disposeAttackRun(run);
    }
    expect(progressCalls).toBeGreaterThan(0);
    expect(snapshot()).toEqual(before);
  });

  test('robustAccuracy (none, gaussian, attack; uneven batches) leaks no tensor', async () => {
    const sub = takeFirst(ds, 20);
    const attack: AttackOptions = {
      method: 'pgd',
      norm: 'l2',
      eps: 1,
      steps: 2,
      restarts: 2,
      target: { kind: 'random' },
      seed: 0,
    };
    await robustAccuracy(clf, sub, { kind: 'attack', options: attack }, { batchSize: 8 }); // warm-up
    const before = snapshot();
    await robustAccuracy(clf, sub, { kind: 'none' }, { batchSize: 8 });
    await robustAccuracy(clf, sub, { kind: 'gaussian', sigma: 0.2, seed: 1 }, { batchSize: 8 });
    await robustAccuracy(clf, sub, { kind: 'attack', options: attack }, { batchSize: 8 });
    await robustAccuracy(
      clf,
      sub,
      { kind: 'attack', options: { ...attack, method: 'fgsm', norm: 'linf', eps: 0.1 } },
      { batchSize: 7 },
    );
    expect(snapshot()).toEqual(before);
  });

  test('a training loop (256 examples, 1 epoch, batch 64) leaks no tensor', async () => {
    const train = takeFirst(await loadMnist('train'), 256);
    const model = buildMnistCnn(3);
    const opts = { epochs: 1, batchSize: 64, learningRate: 1e-3, seed: 1, reportEvery: 2 };
    const reports: number[] = [];
    await trainClassifier(model, train, opts); // warm-up
    const before = snapshot();
    const summary = await trainClassifier(model, train, { ...opts, onReport: (r) => reports.push(r.loss) });
    await trainClassifier(model, train, { ...opts, seed: 2 });
    expect(snapshot()).toEqual(before);
    expect(summary.batches).toBe(4);
    expect(summary.samples).toBe(256);
    expect(Number.isFinite(summary.finalLoss)).toBe(true);
    expect(reports.length).toBe(2);
    // The model still works and has the documented shape after training.
    expect(() => asClassifier(model, { ...MNIST_META, arch: 'mnist-cnn-small' })).not.toThrow();
    model.dispose();
  });

  // Cancel after 2 steps (inside the first restart), and after 5 (inside the second restart,
  // when a best result from the first restart is held).
  test.each([2, 5])('a PGD cancelled after %i steps rejects with CancelledError and leaks nothing', async (after) => {
    const attack: AttackOptions = {
      method: 'pgd',
      norm: 'linf',
      eps: 0.1,
      steps: 3,
      restarts: 3,
      target: { kind: 'class', classIndex: 1 },
      seed: 0,
    };
    disposeAttackRun(await runAttack(clf.logits, x, y, 10, attack)); // warm-up
    const before = snapshot();
    let polls = 0;
    let steps = 0;
    const task = {
      isCancelled: () => ++polls > after,
      onProgress: () => steps++,
    };
    await expect(runAttack(clf.logits, x, y, 10, attack, task)).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBe(after);
    expect(snapshot()).toEqual(before);
  });

  test('robustAccuracy with invalid attack options rejects with InvalidOptionError and leaks nothing', async () => {
    const sub = takeFirst(ds, 8);
    const before = snapshot();
    await expect(
      robustAccuracy(clf, sub, {
        kind: 'attack',
        options: {
          method: 'pgd',
          norm: 'linf',
          eps: -1,
          steps: 3,
          restarts: 1,
          target: { kind: 'untargeted' },
          seed: 0,
        },
      }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    expect(snapshot()).toEqual(before);
  });

  test('a cancelled robustAccuracy rejects with CancelledError and leaks nothing', async () => {
    const sub = takeFirst(ds, 16);
    const before = snapshot();
    let polls = 0;
    await expect(
      robustAccuracy(
        clf,
        sub,
        {
          kind: 'attack',
          options: {
            method: 'bim',
            norm: 'linf',
            eps: 0.1,
            steps: 3,
            restarts: 1,
            target: { kind: 'untargeted' },
            seed: 0,
          },
        },
        { batchSize: 4, isCancelled: () => ++polls > 4 },
      ),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(snapshot()).toEqual(before);
  });
});

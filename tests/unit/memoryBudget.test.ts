/**
 * The memory budget (src/core/util/memoryBudget.ts): chunk arithmetic by hand, the measured bytes
 * per example of a job that holds a known amount, chunked jobs against unchunked ones (attacks of
 * every kind with random starts and targets, forward passes), and the out-of-memory sentence.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, smallClassifier, useWasm } from './helpers/env';
import { uniforms } from './helpers/random';
import { disposeAttackRun, runAttack } from '../../src/core/attacks/runAttack';
import type { AttackOptions } from '../../src/core/attacks/types';
import { OutOfMemoryError } from '../../src/core/util/errors';
import {
  chunkRanges,
  chunkSizeFor,
  chunkSizeForBytes,
  forwardInChunks,
  isOutOfMemory,
  mapChunks,
  meanLossGradientsInChunks,
  measureBytesPerExample,
  setMemoryBudget,
  withMemoryErrors,
} from '../../src/core/util/memoryBudget';

describe('memory budget', () => {
  beforeAll(useWasm);
  afterEach(() => setMemoryBudget(null));

  test('chunk arithmetic', () => {
    expect(chunkRanges(7, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 7],
    ]);
    expect(chunkRanges(4, 10)).toEqual([[0, 4]]);
    expect(chunkSizeForBytes(256, 15e6, 1e9)).toBe(66); // ⌊1e9 / 15e6⌋
    expect(chunkSizeForBytes(10, 15e6, 1e9)).toBe(10);
    expect(chunkSizeForBytes(10, 2e9, 1e9)).toBe(1); // never below one example
    expect(() => setMemoryBudget(-1)).toThrow(/positive/);
  });

  test('bytes per example: a job holding 1000 floats an example at its peak measures ≈ 4000 bytes', async () => {
    const job = (m: number) =>
      tf.tidy(() => {
        const big = tf.ones([m, 1000]); // 4000 bytes an example, alive until the tidy ends
        return tf.sum(big, 1);
      });
    const perExample = await measureBytesPerExample(job, 4);
    expect(perExample).toBeGreaterThanOrEqual(4000);
    expect(perExample).toBeLessThan(4100);
    setMemoryBudget(40_000); // room for 10 such examples
    expect(await chunkSizeFor(100, job)).toBe(9); // measured on two examples: a little over 4000 each
  });

  test('mapChunks concatenates what the chunks return, as one call on the whole batch would', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(uniforms(7 * 3, 5), [7, 3]);
    const w = (xs: tf.Tensor[]) => [tf.mul(xs[0], 2), tf.sum(xs[0], 1)];
    const whole = w([x]);
    const parts = await mapChunks([x], 3, (xs) => w(xs));
    expect(parts[0].shape).toEqual([7, 3]);
    expect(Array.from(parts[0].dataSync())).toEqual(Array.from(whole[0].dataSync()));
    expect(Array.from(parts[1].dataSync())).toEqual(Array.from(whole[1].dataSync()));
    tf.dispose([x, ...whole, ...parts]);
    expect(tf.memory().numTensors).toBe(before);
  });

  const CASES: [string, AttackOptions][] = [
    ['PGD L∞, random start, 2 restarts', base({ method: 'pgd', norm: 'linf', eps: 0.1, steps: 3, restarts: 2 })],
    ['PGD L2, random start', base({ method: 'pgd', norm: 'l2', eps: 1.5, steps: 3 })],
    ['PGD, random targets', base({ method: 'pgd', steps: 2, target: { kind: 'random' } })],
    ['BIM, least-likely targets', base({ method: 'bim', steps: 2, target: { kind: 'least-likely' } })],
    ['FGSM', base({ method: 'fgsm' })],
  ];

  test.each(CASES)('chunked %s gives the unchunked result', async (_name, options) => {
    const clf = smallClassifier(4);
    const n = 7;
    const x = tf.tensor4d(uniforms(n * 28 * 28, 9), [n, 28, 28, 1]);
    const y = tf.tensor1d([3, 1, 4, 1, 5, 9, 2], 'int32');
    const before = tf.memory().numTensors;
    const sizes: number[] = [];
    const logits = (t: tf.Tensor4D) => {
      sizes.push(t.shape[0]);
      return clf.logits(t);
    };
    const whole = await runAttack(logits, x, y, 10, options);
    expect(sizes).toContain(7);
    const perExample = await measureBytesPerExample(() => tf.zeros([1]), 1, { key: logits, kind: 'input-gradient' });
    // ^ the figure runAttack measured and cached (the probe given here is not run)
    setMemoryBudget(perExample * 3); // chunks of three: 3 + 3 + 1
    sizes.length = 0;
    const chunked = await runAttack(logits, x, y, 10, options);
    expect(new Set(sizes)).toEqual(new Set([3, 1]));
    expect(maxAbsDiff(chunked.adversarial.dataSync(), whole.adversarial.dataSync())).toBeLessThan(1e-6);
    expect(Array.from(chunked.success.dataSync())).toEqual(Array.from(whole.success.dataSync()));
    if (whole.targets) expect(Array.from(chunked.targets!.dataSync())).toEqual(Array.from(whole.targets.dataSync()));
    disposeAttackRun(whole);
    disposeAttackRun(chunked);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    clf.model.dispose();
  });

  test('forwardInChunks gives the logits of one pass', async () => {
    const clf = smallClassifier(5);
    const x = tf.tensor4d(uniforms(5 * 28 * 28, 3), [5, 28, 28, 1]);
    const whole = clf.logits(x);
    setMemoryBudget(1); // one example a chunk
    const chunked = await forwardInChunks(clf.logits, x);
    expect(maxAbsDiff(chunked.dataSync(), whole.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, whole, chunked]);
    clf.model.dispose();
  });

  test('a training step in chunks: the gradients and loss of the whole batch', async () => {
    const clf = smallClassifier(6);
    const n = 7;
    const x = tf.tensor4d(uniforms(n * 28 * 28, 12), [n, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6], 'int32'), 10);
    const meanLoss = ([xs, ys]: tf.Tensor[]) =>
      tf.losses.softmaxCrossEntropy(ys, clf.model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar;
    const before = tf.memory().numTensors;
    const whole = tf.variableGrads(() => meanLoss([x, y]));
    const chunked = await meanLossGradientsInChunks([x, y], 3, meanLoss);
    expect(chunked.loss).toBeCloseTo(whole.value.dataSync()[0], 5);
    expect(Object.keys(chunked.grads).sort()).toEqual(Object.keys(whole.grads).sort());
    for (const name of Object.keys(whole.grads)) {
      expect(maxAbsDiff(chunked.grads[name].dataSync(), whole.grads[name].dataSync()), name).toBeLessThan(1e-5);
    }
    tf.dispose([whole.value, ...Object.values(whole.grads), ...Object.values(chunked.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    clf.model.dispose();
  });

  test('out of memory is one sentence naming the job; other errors pass through', async () => {
    expect(isOutOfMemory(new Error('RuntimeError: memory access out of bounds'))).toBe(true);
    expect(isOutOfMemory(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'))).toBe(true);
    expect(isOutOfMemory(new Error('Unknown attack "x".'))).toBe(false);
    const failing = withMemoryErrors('PGD-20', 256, async () => {
      throw new Error('memory access out of bounds');
    });
    await expect(failing).rejects.toThrow(OutOfMemoryError);
    await expect(
      withMemoryErrors('PGD-20', 256, async () => {
        throw new Error('memory access out of bounds');
      }),
    ).rejects.toThrow(/^PGD-20 on 256 examples ran out of memory on the wasm backend; lower the batch size/);
    await expect(
      withMemoryErrors('PGD-20', 1, async () => {
        throw new TypeError('bad');
      }),
    ).rejects.toThrow(TypeError);
  });
});

function base(o: Partial<AttackOptions>): AttackOptions {
  return {
    method: 'pgd',
    norm: 'linf',
    eps: 0.2,
    steps: 2,
    restarts: 1,
    target: { kind: 'untargeted' },
    seed: 11,
    ...o,
  };
}

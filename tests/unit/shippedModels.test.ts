/**
 * Every model the app offers as "shipped" (src/state/shippedModels.ts) is in public/models/, was
 * made by the project's own `train` command (recorded in its metadata), fits its data set, and
 * scores on real test images what its metadata — and so the UI and README — claim. The MNIST
 * models are measured on all 10,000 test images (≥ 98.5 %, issue 3); the CIFAR-10 demonstration
 * models on the 846 sample test images when CIFAR10_DIR is set (the CIFAR-10 JEM also against the sample CNN).
 */
import { describe, expect, test } from 'vitest';
import { SHIPPED_MODELS_BY_DATASET } from '../../src/state/shippedModels';
import { loadCifar10, readModelDir } from '../../src/cli/nodeFiles';
import { accuracy } from '../../src/core/metrics/accuracy';
import { mnistTest, useWasm } from './helpers/env';
import { skipWhenMissing } from './helpers/ciRequirements';
import type { ModelMeta } from '../../src/core/models/modelMeta';

const dirOf = (url: string) => `public${url.replace(/\/model\.json$/, '')}`;
/**
 * Certified training trades clean accuracy for provable robustness (Gowal et al. 2018 lose about a point on
 * their large model at ε = 0.4; a small one loses more): the IBP-trained model is held to 95 %.
 */
const MIN_CLEAN_ACCURACY: Record<string, number> = {
  'public/models/mnist-cnn-ibp': 0.95,
  // JEM (2 epochs of cross-entropy, then 2 of 5-step SGLD): 98.32 %; issue 19 asks ≥ 98 %.
  'public/models/mnist-jem': 0.98,
  // Split batch norm (Xie & Yuille 2020), PGD-3 + clean images on 2,000 training images, one epoch: a demonstration
  // of BN_clean / BN_adv, not a strong model (84.27 % with BN_adv).
  'public/models/mnist-cnn-split-bn': 0.84,
};

describe.each(SHIPPED_MODELS_BY_DATASET.mnist.map((m) => [m.title, dirOf(m.url)]))('%s (%s)', (_title, dir) => {
  test('was trained by the CLI and scores its recorded accuracy (≥ 98.5 %, or its own floor) on all 10,000 ' +
    'MNIST test images', async () => {
    await useWasm();
    const clf = await readModelDir(dir);
    expect(clf.meta.dataset).toBe('mnist');
    expect(clf.meta.inputShape).toEqual([28, 28, 1]);
    expect(clf.meta.training?.command).toMatch(/^npm run cli -- train --arch \S+ (--\S+ \S+ )*--data mnist /);
    const acc = await accuracy(clf.logits, await mnistTest(), { batchSize: 500 });
    expect(acc).toBeGreaterThanOrEqual(MIN_CLEAN_ACCURACY[dir] ?? 0.985);
    expect(clf.meta.heldOutAccuracy).toMatchObject({ n: 10000, split: 'test' });
    expect(Math.abs(acc - clf.meta.heldOutAccuracy!.value)).toBeLessThanOrEqual(2 / 10000);
    clf.model.dispose();
  }, 120_000);
});

const CIFAR10_DIR = process.env.CIFAR10_DIR;
const SKIP_CIFAR10 = skipWhenMissing(
  CIFAR10_DIR ? null : 'the CIFAR-10 sample the demonstration model is measured on (set CIFAR10_DIR)',
  'shippedModels.test.ts',
);

/**
 * Each CIFAR-10 model's accuracy on the 846 sample test images, measured once in this file: the model's own test
 * and the JEM-beside-CNN comparison read the same figure (issue 17: no duplicated full evaluations).
 */
const cifar10Measured = new Map<string, Promise<{ meta: ModelMeta; accuracy: number }>>();
function measureCifar10(dir: string): Promise<{ meta: ModelMeta; accuracy: number }> {
  let measured = cifar10Measured.get(dir);
  if (!measured) {
    measured = (async () => {
      await useWasm();
      const test = await loadCifar10('test', CIFAR10_DIR);
      expect(test.count).toBe(846);
      const clf = await readModelDir(dir);
      try {
        return { meta: clf.meta, accuracy: await accuracy(clf.logits, test, { batchSize: 256 }) };
      } finally {
        clf.model.dispose();
      }
    })();
    cifar10Measured.set(dir, measured);
  }
  return measured;
}

describe.skipIf(SKIP_CIFAR10).each(SHIPPED_MODELS_BY_DATASET.cifar10.map((m) => [m.title, dirOf(m.url)]))(
  '%s (%s)',
  (_title, dir) => {
    test('scores its recorded accuracy on the 846 sample test images', async () => {
      const { meta, accuracy: acc } = await measureCifar10(dir);
      expect(meta.dataset).toBe('cifar10');
      expect(meta.training?.command).toMatch(/^npm run cli -- train --arch \S+ --data cifar10 /);
      expect(meta.heldOutAccuracy).toMatchObject({ n: 846, split: 'test' });
      expect(Math.abs(acc - meta.heldOutAccuracy!.value)).toBeLessThanOrEqual(1 / 846);
    }, 120_000);
  },
);

describe.skipIf(SKIP_CIFAR10)('the CIFAR-10 JEM beside the standard sample CNN', () => {
  test('both measured on the 846 sample test images: the JEM within 5 points of the CNN (issue 19)', async () => {
    const measured: number[] = [];
    for (const dir of ['public/models/cifar10-cnn-sample', 'public/models/cifar10-jem-sample']) {
      measured.push((await measureCifar10(dir)).accuracy);
    }
    const [cnn, jem] = measured;
    // 60.0 % and 56.0 % when trained (model.json of each).
    expect(jem).toBeGreaterThanOrEqual(cnn - 0.05);
    expect(jem).toBeGreaterThan(0.5);
  }, 120_000);
});

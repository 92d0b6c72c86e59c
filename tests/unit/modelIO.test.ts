/** Model files: round trip, and a clear ModelFormatError for everything that is not a usable model. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MNIST_META, maxAbsDiff, mnistTestFirst, SHIPPED_MODEL_DIR, useWasm } from './helpers/env';
import { batchTensors, range } from '../../src/core/data/dataset';
import { classifierFromFiles, modelToFiles, type ModelFiles } from '../../src/core/models/modelIO';
import { asClassifier } from '../../src/core/models/classifier';
import { compareModels } from '../../src/core/models/compareModels';
import { buildMnistCnn, MNIST_CNN_ARCH } from '../../src/core/models/mnistCnn';
import { META_KEY, type ModelMeta } from '../../src/core/models/modelMeta';
import { readModelDir, writeModelDir } from '../../src/cli/nodeFiles';
import { ModelFormatError } from '../../src/core/util/errors';

const META: ModelMeta = { ...MNIST_META, arch: MNIST_CNN_ARCH, description: 'round-trip test' };

async function expectModelError(p: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a ModelFormatError').toBeInstanceOf(ModelFormatError);
  expect((err as Error).message).toMatch(message);
}

function editJson(files: ModelFiles, edit: (json: Record<string, any>) => void): ModelFiles {
  const json = JSON.parse(files.modelJson);
  edit(json);
  return { modelJson: JSON.stringify(json), weights: files.weights };
}

describe('model files', () => {
  let model: tf.Sequential;
  let files: ModelFiles;
  let tmp: string;
  beforeAll(async () => {
    await useWasm();
    model = buildMnistCnn(7);
    files = await modelToFiles(model, META);
    tmp = await mkdtemp(join(tmpdir(), 'rp-modelio-'));
  });
  afterAll(async () => {
    model.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  test('modelToFiles → classifierFromFiles gives identical predictions and the metadata', async () => {
    expect(files.weights.byteLength).toBe(12810 * 4);
    const clf = await classifierFromFiles(files);
    expect(clf.meta).toEqual(META);
    const ds = await mnistTestFirst(16);
    const { x, y } = batchTensors(ds, range(0, 16));
    const a = asClassifier(model, META).logits(x);
    const b = clf.logits(x);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    tf.dispose([x, y, a, b]);
    clf.model.dispose();
  });

  test('compareModels: a file round trip agrees exactly; a differently initialised model does not', async () => {
    const ds = await mnistTestFirst(32);
    const original = asClassifier(buildMnistCnn(3), META);
    const copy = await classifierFromFiles(await modelToFiles(original.model, META));
    const other = asClassifier(buildMnistCnn(4), META);
    const before = tf.memory().numTensors;
    const same = await compareModels(original.logits, copy.logits, ds, 64);
    const differs = await compareModels(original.logits, other.logits, ds, 64);
    expect(tf.memory().numTensors).toBe(before);
    expect(same).toEqual({ images: 32, maxLogitDifference: 0, samePredictions: true });
    expect(differs.images).toBe(32);
    expect(differs.maxLogitDifference).toBeGreaterThan(1e-3);
    for (const m of [original.model, copy.model, other.model]) m.dispose();
  });

  test('writeModelDir → readModelDir round trip', async () => {
    const dir = join(tmp, 'roundtrip');
    await writeModelDir(dir, files);
    const clf = await readModelDir(dir);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const a = asClassifier(model, META).logits(x);
    const b = clf.logits(x);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    tf.dispose([x, a, b]);
    clf.model.dispose();
  });

  test('truncated weights → ModelFormatError naming the byte counts', async () => {
    const truncated = { modelJson: files.modelJson, weights: files.weights.subarray(0, files.weights.length - 100) };
    await expectModelError(
      classifierFromFiles(truncated),
      new RegExp(`${files.weights.length - 100} bytes.*${files.weights.length}`),
    );
    await expectModelError(classifierFromFiles(truncated), /truncated/);
  });

  test('too many weight bytes → ModelFormatError', async () => {
    const longer = new Uint8Array(files.weights.length + 4);
    longer.set(files.weights);
    await expectModelError(classifierFromFiles({ modelJson: files.modelJson, weights: longer }), /bytes/);
  });

  test('garbage JSON → ModelFormatError', async () => {
    await expectModelError(
      classifierFromFiles({ modelJson: '{"format": "layers-mod', weights: files.weights }),
      /not valid JSON/,
    );
    await expectModelError(
      classifierFromFiles({ modelJson: '\u0000\u0001binary', weights: files.weights }),
      /not valid JSON/,
    );
  });

  test('JSON that is not a layers model → ModelFormatError', async () => {
    await expectModelError(
      classifierFromFiles({ modelJson: '{"hello": 1}', weights: files.weights }),
      /not a TensorFlow.js layers model/,
    );
    await expectModelError(
      classifierFromFiles({ modelJson: '[1,2]', weights: files.weights }),
      /not a TensorFlow.js layers model/,
    );
  });

  test('JSON null or a malformed weights manifest → ModelFormatError, not a TypeError', async () => {
    await expectModelError(
      classifierFromFiles({ modelJson: 'null', weights: files.weights }),
      /layers model|model\.json/,
    );
    await expectModelError(
      classifierFromFiles({ modelJson: '"a string"', weights: files.weights }),
      /layers model|model\.json/,
    );
    await expectModelError(
      classifierFromFiles(editJson(files, (j) => (j.weightsManifest = [{ paths: ['weights.bin'] }]))),
      /weights|manifest/i,
    );
  });

  test('missing or incomplete metadata → ModelFormatError', async () => {
    await expectModelError(classifierFromFiles(editJson(files, (j) => delete j.userDefinedMetadata)), /metadata/);
    await expectModelError(
      classifierFromFiles(editJson(files, (j) => delete j.userDefinedMetadata[META_KEY].inputShape)),
      /metadata/,
    );
    await expectModelError(
      classifierFromFiles(editJson(files, (j) => (j.userDefinedMetadata[META_KEY].dataset = 'imagenet'))),
      /metadata/,
    );
  });

  test(
    'metadata that does not fit the model (32×32×3 for a 28×28×1 net, 5 classes for 10 outputs) → ' +
      'ModelFormatError',
    async () => {
      await expectModelError(
        classifierFromFiles(
          editJson(
            files,
            (j) => (j.userDefinedMetadata[META_KEY] = { ...META, dataset: 'cifar10', inputShape: [32, 32, 3] }),
          ),
        ),
        /32×32×3/,
      );
      await expectModelError(
        classifierFromFiles(
          editJson(
            files,
            (j) => (j.userDefinedMetadata[META_KEY] = { ...META, classNames: ['a', 'b', 'c', 'd', 'e'] }),
          ),
        ),
        /5 classes/,
      );
    },
  );

  test('a dense model on [10] inputs is refused for 28×28×1 metadata', async () => {
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 10 })] });
    expect(() => asClassifier(dense, META)).toThrow(ModelFormatError);
    const denseFiles = await modelToFiles(dense, META);
    await expectModelError(classifierFromFiles(denseFiles), /input/);
    dense.dispose();
  });

  test('a weights manifest that does not match the topology → ModelFormatError, not a raw tfjs error', async () => {
    const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 16 })] });
    const otherFiles = await modelToFiles(other, META);
    other.dispose();
    // The topology of the CNN with the manifest and weights of another model.
    const mixed = editJson(files, (j) => (j.weightsManifest = JSON.parse(otherFiles.modelJson).weightsManifest));
    await expectModelError(
      classifierFromFiles({ modelJson: mixed.modelJson, weights: otherFiles.weights }, 'mixed'),
      /mixed/,
    );
  });

  test('readModelDir: missing directory, missing weights file', async () => {
    await expectModelError(readModelDir(join(tmp, 'does-not-exist')), /No model.json/);
    const dir = join(tmp, 'noweights');
    await writeModelDir(dir, files);
    await rm(join(dir, 'weights.bin'));
    await expectModelError(readModelDir(dir), /weights.bin/);
    const garbage = join(tmp, 'garbage');
    await writeModelDir(garbage, files);
    await writeFile(join(garbage, 'model.json'), 'not json at all');
    await expectModelError(readModelDir(garbage), new RegExp(`${garbage}.*not valid JSON`));
  });

  test('the shipped model directory loads', async () => {
    const clf = await readModelDir(SHIPPED_MODEL_DIR);
    expect(clf.meta.arch).toBe(MNIST_CNN_ARCH);
    expect(clf.model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(clf.model.outputs[0].shape).toEqual([null, 10]);
    clf.model.dispose();
  });
});

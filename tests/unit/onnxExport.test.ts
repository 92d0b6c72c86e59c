/**
 * ONNX export of the playground's own models, checked two ways: onnxruntime-web (an independent runtime) runs
 * the exported file to the native model's logits, and importing the file back reproduces them, with IBP and
 * CROWN bounds equal to the native model's.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import { runtimeLogits, toNchw } from './helpers/onnxFixtures';
import { classifierFromOnnx } from '../../src/core/models/onnx/importOnnx';
import { modelToOnnx } from '../../src/core/models/onnx/onnxExport';
import { readOnnx } from '../../src/core/models/onnx/onnxFile';
import { buildModel } from '../../src/core/models/registry';
import type { Architecture } from '../../src/core/models/architectures';
import type { NormSettings } from '../../src/core/models/normalisationNames';
import { ibpMarginLowerBounds } from '../../src/core/verify/ibp';
import { crownMarginLowerBounds } from '../../src/core/verify/crown';

const N = 6;

function randomImages(shape: [number, number, number], seed: number): tf.Tensor4D {
  return tf.randomUniform([N, ...shape], 0, 1, 'float32', seed) as tf.Tensor4D;
}

/** Random non-zero biases, so a bias mapped wrongly shows (the builders initialise them to zero). */
function randomiseBiases(model: tf.LayersModel): void {
  model.layers.forEach((layer, k) => {
    const weights = layer.getWeights();
    if (weights.length !== 2) return;
    const bias = tf.randomUniform(weights[1].shape, -0.2, 0.2, 'float32', k);
    layer.setWeights([weights[0], bias]);
    bias.dispose();
  });
}

/** Running statistics away from their initial 0 and 1, so the exported BatchNormalization has work to do. */
function randomiseStatistics(model: tf.LayersModel): void {
  model.layers.forEach((layer, k) => {
    if (layer.getClassName() !== 'BatchNorm') return;
    const weights = layer.getWeights();
    const fresh = weights.map((w, i) =>
      tf.randomUniform(w.shape, i % 4 === 3 ? 0.5 : -0.3, i % 4 === 3 ? 2 : 0.3, 'float32', 100 + k * 4 + i),
    );
    layer.setWeights(fresh);
    tf.dispose(fresh);
  });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('ONNX export', () => {
  beforeAll(useWasm);

  const cases: [Architecture, 'mnist' | 'cifar10', NormSettings['norm']][] = [
    ['cnn', 'mnist', 'none'],
    ['cnn', 'mnist', 'batch'],
    ['res-cnn', 'mnist', 'batch'],
    ['res-cnn', 'cifar10', 'none'],
    ['strided-cnn', 'mnist', 'none'],
    ['mlp', 'mnist', 'none'],
    ['cifar-cnn', 'cifar10', 'batch'],
    ['strided-cnn', 'cifar10', 'none'],
  ];

  test.each(cases)(
    '%s (%s, norm %s): onnxruntime-web and the re-import give the native logits',
    async (arch, dataset, norm) => {
      const { model, meta } = buildModel(arch, { seed: 3, dataset, width: 32, norm: { norm } });
      randomiseBiases(model);
      randomiseStatistics(model);
      const bytes = modelToOnnx(model, meta);
      const graph = readOnnx(bytes, 'export.onnx');
      expect(graph.opset).toBeGreaterThanOrEqual(13);
      const [h, w, c] = meta.inputShape;
      const x = randomImages(meta.inputShape, 7);
      const native = await (model.predict(x) as tf.Tensor).data<'float32'>();
      const runtime = await runtimeLogits(bytes, toNchw(await x.data<'float32'>(), N, h, w, c), [N, c, h, w]);
      expect(maxDiff(runtime, native)).toBeLessThan(1e-4);
      const { clf } = classifierFromOnnx(bytes, 'export.onnx');
      const reimported = await clf.logits(x).data<'float32'>();
      expect(maxDiff(reimported, native)).toBeLessThan(1e-5);
      tf.dispose(x);
      model.dispose();
      clf.model.dispose();
    },
  );

  test('IBP and CROWN on the re-imported strided CNN equal the native bounds', async () => {
    const { model, meta } = buildModel('strided-cnn', { seed: 5, width: 20, channels: 4 });
    randomiseBiases(model);
    const { clf } = classifierFromOnnx(modelToOnnx(model, meta), 'strided.onnx');
    const x = randomImages(meta.inputShape, 8);
    const labels = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
    for (const bound of [ibpMarginLowerBounds, crownMarginLowerBounds]) {
      const native = await bound(model, x, labels, 0.01).data<'float32'>();
      const imported = await bound(clf.model, x, labels, 0.01).data<'float32'>();
      expect(maxDiff(imported, native)).toBeLessThan(1e-4);
      expect(Math.max(...native.map(Math.abs))).toBeGreaterThan(1e-3);
    }
    tf.dispose([x, labels]);
    model.dispose();
    clf.model.dispose();
  });
});

/** Shared set-up of the unit tests: backend, data, models. */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../../src/cli/nodeEnv';
import { loadMnist, readModelDir } from '../../../src/cli/nodeFiles';
import { takeFirst, type ImageDataset } from '../../../src/core/data/dataset';
import { asClassifier, type Classifier } from '../../../src/core/models/classifier';
import type { ModelMeta } from '../../../src/core/models/modelMeta';

export const SHIPPED_MODEL_DIR = 'public/models/mnist-cnn';

export async function useWasm(): Promise<void> {
  const name = await initNodeBackend('wasm');
  if (name !== 'wasm') throw new Error(`expected the wasm backend, got ${name}`);
}

let testSet: Promise<ImageDataset> | undefined;
export function mnistTest(): Promise<ImageDataset> {
  testSet ??= loadMnist('test');
  return testSet;
}

export async function mnistTestFirst(n: number): Promise<ImageDataset> {
  return takeFirst(await mnistTest(), n);
}

export const MNIST_META: ModelMeta = {
  arch: 'test-small',
  dataset: 'mnist',
  inputShape: [28, 28, 1],
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  description: 'unit-test model',
};

/**
 * A small randomly initialised convnet on 28×28×1 (conv → relu → max-pool → conv → relu →
 * max-pool → dense), seeded so every test sees the same network.
 */
export function smallCnn(seed = 1): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotNormal({ seed: seed * 31 + k });
  const bias = (k: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.05, seed: seed * 31 + 10 + k });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 4,
        kernelSize: 3,
        strides: 1,
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: bias(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 6,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2),
        biasInitializer: bias(2),
      }),
      tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: init(3), biasInitializer: bias(3) }),
    ],
  });
}

export function smallClassifier(seed = 1): Classifier {
  return asClassifier(smallCnn(seed), MNIST_META);
}

let shipped: Promise<Classifier> | undefined;
export function shippedModel(): Promise<Classifier> {
  if (!existsSync(`${SHIPPED_MODEL_DIR}/model.json`)) {
    throw new Error(`The shipped model is missing: ${SHIPPED_MODEL_DIR}/model.json (train it first).`);
  }
  shipped ??= readModelDir(SHIPPED_MODEL_DIR);
  return shipped;
}

/** Rows of a [n, …] tensor as flat arrays. */
export function rows(t: tf.Tensor): Float32Array[] {
  const n = t.shape[0];
  const data = t.dataSync() as Float32Array;
  const size = data.length / n;
  return Array.from({ length: n }, (_, i) => data.slice(i * size, (i + 1) * size));
}

export function argMaxRows(logits: tf.Tensor2D): number[] {
  const t = tf.argMax(logits, 1);
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** A CROWN-able convnet (strided convolutions, no pooling), seeded. */
export function tinyStridedCnn(): Classifier {
  const he = (s: number) => tf.initializers.heNormal({ seed: s });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 4,
        kernelSize: 4,
        strides: 2,
        activation: 'relu',
        kernelInitializer: he(1),
      }),
      tf.layers.conv2d({
        filters: 8,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: he(2),
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: he(3) }),
    ],
  });
  return asClassifier(model, MNIST_META);
}

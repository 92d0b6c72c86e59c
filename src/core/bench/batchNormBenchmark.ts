/**
 * What batch norm costs in training on the current backend (`npm run bench -- --suite batch-norm`): one
 * training-mode forward and backward (input, γ and β gradients) of the project's BatchNorm — the fused GroupNorm
 * kernel on a [1, N·H, W, C] view, batchNorm.ts — beside tfjs' own BatchNormalization layer on the same tensor,
 * and the small CNN's training throughput without a norm, with batch norm and with split batch norm.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset';
import { BatchNorm } from '../models/layers/batchNorm';
import { buildMnistCnn } from '../models/mnistCnn';
import { benchmarkTraining } from './trainingBenchmark';

/** The first conv's output of the small CNN at a training batch: 128 × 26 × 26 × 16. */
const SHAPE: [number, number, number, number] = [128, 26, 26, 16];
const REPEATS = 10;

async function msPerStep(layer: tf.layers.Layer, x: tf.Tensor4D): Promise<number> {
  const input = tf.input({ shape: SHAPE.slice(1) });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  const w = tf.randomNormal(SHAPE, 0, 1, 'float32', 3);
  const step = async () => {
    const grads = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() =>
        tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, w)),
      );
      return [value, ...Object.values(grads)];
    });
    await Promise.all(grads.map((g) => g.data()));
    tf.dispose(grads);
  };
  await step();
  const started = performance.now();
  for (let k = 0; k < REPEATS; k++) await step();
  const ms = (performance.now() - started) / REPEATS;
  tf.dispose(w);
  model.dispose();
  return ms;
}

export async function benchmarkBatchNorm(train: ImageDataset): Promise<Record<string, number | string>> {
  const x = tf.randomNormal(SHAPE, 0, 1, 'float32', 1) as tf.Tensor4D;
  const ours = await msPerStep(new BatchNorm({}), x);
  const tfjs = await msPerStep(tf.layers.batchNormalization({ momentum: 0.9 }), x);
  x.dispose();
  const throughput = async (norm: Parameters<typeof buildMnistCnn>[1]) => {
    const model = buildMnistCnn(0, norm);
    const r = await benchmarkTraining(model, train, 128, 5);
    model.dispose();
    return r.samplesPerSecond;
  };
  return {
    backend: tf.getBackend(),
    shape: SHAPE.join('×'),
    forwardBackwardMs: ours,
    tfjsBatchNormalizationMs: tfjs,
    cnnTrainingSamplesPerSecond: await throughput({ norm: 'none' }),
    cnnBatchNormTrainingSamplesPerSecond: await throughput({ norm: 'batch' }),
    cnnSplitBatchNormTrainingSamplesPerSecond: await throughput({ norm: 'batch', splitBatchNorm: true }),
  };
}

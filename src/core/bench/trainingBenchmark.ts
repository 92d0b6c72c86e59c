/**
 * Training throughput (samples/s) of a model on the current backend: a few Adam steps on real
 * images after one warm-up step. Used to compare backends and the project's wasm kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range, type ImageDataset } from '../data/dataset';

export async function benchmarkTraining(
  model: tf.LayersModel,
  ds: ImageDataset,
  batchSize = 128,
  steps = 5,
): Promise<{ backend: string; batchSize: number; steps: number; samplesPerSecond: number }> {
  const optimizer = tf.train.adam(1e-3);
  const numClasses = ds.classNames.length;
  const step = async (k: number) => {
    const start = (k * batchSize) % Math.max(1, ds.count - batchSize);
    const { x, y } = batchTensors(ds, range(start, start + batchSize));
    const loss = tf.tidy(
      () =>
        optimizer.minimize(
          () =>
            tf.losses.softmaxCrossEntropy(
              tf.oneHot(y, numClasses),
              model.apply(x, { training: true }) as tf.Tensor,
            ) as tf.Scalar,
          true,
        ) as tf.Scalar,
    );
    await loss.data(); // wait for the device (GPU backends run asynchronously)
    loss.dispose();
    x.dispose();
    y.dispose();
  };
  try {
    await step(0);
    const started = performance.now();
    for (let k = 1; k <= steps; k++) await step(k);
    const seconds = (performance.now() - started) / 1000;
    return { backend: tf.getBackend(), batchSize, steps, samplesPerSecond: (steps * batchSize) / seconds };
  } finally {
    optimizer.dispose();
  }
}

/**
 * Do two models compute the same function? Used to check that a saved model, read back from
 * storage, is the model that was trained: same logits (to float tolerance) and the same
 * predictions on real images.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range, type ImageDataset } from '../data/dataset';
import type { LogitsFn } from './classifier';

export interface ModelComparison {
  images: number;
  maxLogitDifference: number;
  samePredictions: boolean;
}

export async function compareModels(
  a: LogitsFn,
  b: LogitsFn,
  data: ImageDataset,
  images: number,
): Promise<ModelComparison> {
  const n = Math.min(images, data.count);
  const { x, y } = batchTensors(data, range(0, n));
  try {
    const [diff, same] = tf.tidy(() => {
      const za = a(x);
      const zb = b(x);
      return [tf.max(tf.abs(tf.sub(za, zb))), tf.all(tf.equal(tf.argMax(za, 1), tf.argMax(zb, 1)))];
    });
    // Read asynchronously: WebGPU's synchronous read can lose the device.
    const result = {
      images: n,
      maxLogitDifference: (await diff.data())[0],
      samePredictions: (await same.data())[0] === 1,
    };
    tf.dispose([diff, same]);
    return result;
  } finally {
    tf.dispose([x, y]);
  }
}

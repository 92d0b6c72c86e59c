/**
 * Choosing the class a targeted attack aims at: user-picked, random (Carlini & Wagner 2017) or
 * least likely (Kurakin et al. 2016, §2.2).
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import { mapChunks } from '../util/memoryBudget';
import { mulberry32 } from '../util/random';
import type { TargetSpec } from './types';

/** int32 [n] targets, or undefined for an untargeted attack. */
export async function chooseTargets(
  spec: TargetSpec,
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
  seed: number,
  /** Examples a forward pass may take at once (the memory budget); the whole batch by default. */
  chunk = x.shape[0],
): Promise<tf.Tensor1D | undefined> {
  const n = labels.shape[0];
  switch (spec.kind) {
    case 'untargeted':
      return undefined;
    case 'class':
      return tf.fill([n], spec.classIndex, 'int32') as tf.Tensor1D;
    case 'least-likely': {
      const [t] = await mapChunks([x], chunk, ([xc]) => [
        tf.tidy(() => tf.argMin(logitsFn(xc as tf.Tensor4D), 1).toInt() as tf.Tensor1D),
      ]);
      return t;
    }
    case 'random': {
      // Uniform over the classes other than the label: draw from k−1 and skip the label.
      const rand = mulberry32(seed ^ 0x5eed);
      const y = await labels.data(); // async: WebGPU's sync read can lose the device
      const t = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const r = Math.floor(rand() * (numClasses - 1));
        t[i] = r >= y[i] ? r + 1 : r;
      }
      return tf.tensor1d(t, 'int32');
    }
  }
}

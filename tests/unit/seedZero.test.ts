/**
 * Seed 0 is a seed like any other. tfjs' tf.randomNormal takes 0 as "unseeded" (Math.random),
 * which made the attack lab's default seed 0 irreproducible for Gaussian noise, L2 random starts
 * and Gaussian initialisations; tfNormalSeed maps it away. Each draw below is made twice.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import { gaussianNoise } from '../../src/core/attacks/gaussianNoise';
import { uniformInBall } from '../../src/core/attacks/norms';
import { buildModel } from '../../src/core/models/registry';
import { noiseAugment } from '../../src/core/train/augment';

beforeAll(async () => {
  await useWasm();
});

const twice = (draw: () => tf.Tensor) => [draw(), draw()].map((t) => Array.from(t.dataSync()));

test('seed 0 reproduces: Gaussian noise, L2 ball starts, noise augmentation, Gaussian initialisation', () => {
  const x = tf.fill([2, 4, 4, 1], 0.5) as tf.Tensor4D;
  const [a, b] = twice(() => gaussianNoise(x, 0.3, 0));
  expect(a).toEqual(b);
  const [c, d] = twice(() => uniformInBall([3, 4, 4, 1], 0.5, 'l2', 0));
  expect(c).toEqual(d);
  const [e, f] = twice(() => noiseAugment(x, 0));
  expect(e).toEqual(f);
  const init = () => buildModel('mlp', { seed: 0, width: 8, depth: 1, init: 'he' }).model.getWeights()[0];
  const [g, h] = twice(init);
  expect(g).toEqual(h);
  // …and seed 0 is not seed 1.
  const [other] = twice(() => gaussianNoise(x, 0.3, 1));
  expect(other).not.toEqual(a);
});

/**
 * The Dream panel's core (src/core/eval/dream.ts): on a linear model f(x) = Wx + b the class energy −f(x)[y] has the
 * gradient −W[y], so each noise-free SGLD step is x ← clip(x + α·W[y]) — checked against that hand-written walk; the
 * step and noise read from a JEM's recorded command are the paper's numbers converted by hand; frames, by hand.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { dream, frameSteps, modelSgld } from '../../src/core/eval/dream';
import type { Classifier } from '../../src/core/models/classifier';
import { InvalidOptionError } from '../../src/core/util/errors';
import { MNIST_META, useWasm } from './helpers/env';

const W = [
  [0.8, -1.2, 0.3],
  [-0.5, 0.9, 1.1],
  [0.2, 0.4, -0.7],
];
const B = [0.1, -0.3, 0.2];

function linearClassifier(command: string): Classifier {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [1, 1, 3] }), tf.layers.dense({ units: 3 })],
  });
  const kernel = Array.from({ length: 3 }, (_, i) => Array.from({ length: 3 }, (_, j) => W[j][i]));
  model.layers[1].setWeights([tf.tensor2d(kernel), tf.tensor1d(B)]);
  const meta = {
    ...MNIST_META,
    inputShape: [1, 1, 3] as [number, number, number],
    classNames: ['a', 'b', 'c'],
    training: { command, epochs: 1, batchSize: 1, seed: 1, trainExamples: 1, seconds: 1, backend: 'wasm' },
  };
  return { model, meta, logits: (x: tf.Tensor4D) => model.apply(x) as tf.Tensor2D };
}

describe('dream', () => {
  beforeAll(useWasm);

  test('the SGLD settings of a JEM come from its command, in [0, 1] units (step ÷ 4, noise ÷ 2)', () => {
    expect(modelSgld(linearClassifier('train --jem on --sgld-step 8').meta)).toEqual({
      stepSize: 2,
      noise: 0.005,
      settingsFrom: 'the model’s training',
    });
    // A standard model: JEM's defaults α = 1, σ = 0.01 in [−1, 1] units.
    expect(modelSgld(linearClassifier('train --arch cnn').meta)).toEqual({
      stepSize: 0.25,
      noise: 0.005,
      settingsFrom: 'JEM’s defaults',
    });
  });

  test('noise-free steps climb W[y] and clip to [0, 1], as by hand', async () => {
    // α = 0.4 / 4 = 0.1 in input units, σ = 0.
    const clf = linearClassifier('train --jem on --sgld-step 0.4 --sgld-noise 0');
    const start = Float32Array.from([0.5, 0.5, 0.5]);
    const y = 1;
    const steps = 6; // the third pixel reaches 1 after 5 steps and is clipped there
    const result = await dream(clf, { classIndex: y, steps, start, seed: 3 });
    let x = Array.from(start);
    for (let k = 0; k < steps; k++) x = x.map((v, i) => Math.min(1, Math.max(0, v + 0.1 * W[y][i])));
    for (let i = 0; i < 3; i++) expect(result.image[i]).toBeCloseTo(x[i], 5);
    // −f(x)[y] by hand at the start and the end.
    const classEnergy = (v: number[]) => -(W[y].reduce((a, w, i) => a + w * v[i], 0) + B[y]);
    expect(result.classEnergyStart).toBeCloseTo(classEnergy(Array.from(start)), 5);
    expect(result.classEnergyEnd).toBeCloseTo(classEnergy(x), 5);
    expect(result.frames.map((f) => f.step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    clf.model.dispose();
  });

  test('a class outside the model is refused in one sentence', async () => {
    const clf = linearClassifier('train');
    await expect(dream(clf, { classIndex: 3, steps: 1, start: new Float32Array(3), seed: 1 })).rejects.toThrow(
      InvalidOptionError,
    );
    clf.model.dispose();
  });

  test('frames: the start, the end and evenly between', () => {
    expect(frameSteps(100)).toEqual([0, 14, 29, 43, 57, 71, 86, 100]);
    expect(frameSteps(3)).toEqual([0, 1, 2, 3]);
  });
});

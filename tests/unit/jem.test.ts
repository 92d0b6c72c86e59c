/**
 * JEM's pieces (src/core/train/jem/), each against something independent:
 *  - one SGLD step equals the update written out by hand for a dense model, where ∂E/∂x = −Wᵀ softmax(Wx + b)
 *    (unconditional) and −W[:, y] (class-conditional); the noise has the stated σ; clipping holds;
 *  - the replay buffer re-initialises a Binomial(n, p) number of chains, with fresh values uniform on the range,
 *    the others copied from where they say they came from, per-class segments respected;
 *  - the JEM loss equals a second, plain-JS implementation and its gradient matches central finite differences;
 *  - the paper-unit conversion: an SGLD step on [−1, 1] data maps exactly onto the converted step on [0, 1];
 *  - divergence: the rule on hand-made statistics, and a forced blow-up in a real run stops it with the weights of
 *    the last report restored; seeded runs repeat, a stopped run resumes to the same weights, no tensors leak.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import type { ImageDataset } from '../../src/core/data/dataset';
import { divergenceOf, JemObjective, type JemConfig } from '../../src/core/train/jem/jemObjective';
import { ReplayBuffer } from '../../src/core/train/jem/replayBuffer';
import { fromPaperUnits, runSgld, sgldStep } from '../../src/core/train/jem/sgld';
import { refinedClassifier } from '../../src/core/eval/jemRefinement';
import { classAgreement, imageGrid } from '../../src/core/eval/jemSampling';
import { MNIST_META } from './helpers/env';
import { Trainer } from '../../src/core/train/trainer';
import type { TrainReport } from '../../src/core/train/trainerConfig';

/** A dense model on 1×1×d "images": logits = W·x + b, with known W and b. */
function denseModel(d: number, k: number, w: number[][], b: number[]): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [1, 1, d] }), tf.layers.dense({ units: k })],
  });
  // Keras stores the kernel as [in, out]: kernel[i][j] = W[j][i].
  const kernel = Array.from({ length: d }, (_, i) => Array.from({ length: k }, (_, j) => w[j][i]));
  model.layers[1].setWeights([tf.tensor2d(kernel), tf.tensor1d(b)]);
  return model;
}

const W = [
  [0.8, -1.2, 0.3],
  [-0.5, 0.9, 1.1],
  [0.2, 0.4, -0.7],
];
const B = [0.1, -0.3, 0.2];

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}

function logits(x: number[]): number[] {
  return W.map((row, j) => row.reduce((a, wij, i) => a + wij * x[i], B[j]));
}

describe('JEM', () => {
  beforeAll(useWasm);

  test('one SGLD step equals x − α·∂E/∂x written by hand (unconditional and class-conditional), clipped', () => {
    const model = denseModel(3, 3, W, B);
    const logitsFn = (x: tf.Tensor4D) => model.apply(x) as tf.Tensor2D;
    const xs = [
      [0.2, 0.5, 0.9],
      [0.7, 0.1, 0.4],
    ];
    const alpha = 0.05;
    const x = tf.tensor4d(xs.flat(), [2, 1, 1, 3]);
    const unconditional = sgldStep(logitsFn, x, { stepSize: alpha, noise: 0, range: [-10, 10] }, 1).arraySync();
    const classes = tf.tensor1d([2, 0], 'int32');
    const conditional = sgldStep(logitsFn, x, { stepSize: alpha, noise: 0, range: [-10, 10] }, 1, classes);
    const conditionalValues = conditional.arraySync();
    for (let n = 0; n < 2; n++) {
      const p = softmax(logits(xs[n]));
      for (let i = 0; i < 3; i++) {
        // E = −logsumexp(Wx + b): ∂E/∂x_i = −Σ_j p_j W_ji.
        const gradE = -p.reduce((a, pj, j) => a + pj * W[j][i], 0);
        expect(unconditional[n][0][0][i]).toBeCloseTo(xs[n][i] - alpha * gradE, 5);
        // E(x | y) = −(Wx + b)_y: ∂/∂x_i = −W_yi.
        const y = [2, 0][n];
        expect(conditionalValues[n][0][0][i]).toBeCloseTo(xs[n][i] + alpha * W[y][i], 5);
      }
    }
    // A huge step lands outside [0, 1] and is clipped back onto it.
    const clipped = sgldStep(logitsFn, x, { stepSize: 1e3, noise: 0, range: [0, 1] }, 1).dataSync();
    for (const v of clipped) expect(v === 0 || v === 1).toBe(true);
    tf.dispose([x, classes, conditional]);
    model.dispose();
  });

  test('SGLD noise: with a zero step, x_K − x_0 has mean 0 and standard deviation σ·√K', () => {
    const model = denseModel(3, 3, W, B);
    const logitsFn = (x: tf.Tensor4D) => model.apply(x) as tf.Tensor2D;
    const n = 4000;
    const x0 = tf.fill([n, 1, 1, 3], 0.5) as tf.Tensor4D;
    const sigma = 0.01;
    const steps = 4;
    const xK = runSgld(logitsFn, x0, { stepSize: 0, noise: sigma, steps, range: [-10, 10] }, 7);
    const d = tf.sub(xK, x0).dataSync() as Float32Array;
    const mean = d.reduce((a, v) => a + v, 0) / d.length;
    const variance = d.reduce((a, v) => a + (v - mean) ** 2, 0) / d.length;
    const expectedSd = sigma * Math.sqrt(steps);
    // Standard error of the mean: σ√K/√12000 ≈ 1.8e-4; of the sd: ≈ σ√K/√(2·12000).
    expect(Math.abs(mean)).toBeLessThan(4 * (expectedSd / Math.sqrt(d.length)));
    expect(Math.abs(Math.sqrt(variance) - expectedSd)).toBeLessThan(4 * (expectedSd / Math.sqrt(2 * d.length)));
    tf.dispose([x0, xK]);
    model.dispose();
  });

  test('paper units: a step on [−1, 1] data is the converted step on [0, 1] data (same model composed)', () => {
    // g(u) = f((u + 1)/2): the same classifier seen on [−1, 1]. One noiseless step of α on g from u must land
    // on 2x' − 1 where x' is one step of fromPaperUnits(α) on f from x = (u + 1)/2.
    const model = denseModel(3, 3, W, B);
    const f = (x: tf.Tensor4D) => model.apply(x) as tf.Tensor2D;
    const g = (u: tf.Tensor4D) => f(tf.div(tf.add(u, 1), 2) as tf.Tensor4D);
    const u = tf.tensor4d([-0.4, 0.2, 0.6], [1, 1, 1, 3]);
    const alpha = 0.7;
    const onU = sgldStep(g, u, { stepSize: alpha, noise: 0, range: [-10, 10] }, 1).dataSync();
    const converted = fromPaperUnits({ stepSize: alpha, noise: 0.01, dataNoise: 0.03 });
    expect(converted.noise).toBeCloseTo(0.005, 12);
    expect(converted.dataNoise).toBeCloseTo(0.015, 12);
    const x = tf.div(tf.add(u, 1), 2) as tf.Tensor4D;
    const onX = sgldStep(f, x, { stepSize: converted.stepSize, noise: 0, range: [-10, 10] }, 1).dataSync();
    for (let i = 0; i < 3; i++) expect(2 * onX[i] - 1).toBeCloseTo(onU[i], 5);
    tf.dispose([u, x]);
    model.dispose();
  });

  test('replay buffer: re-initialised share ~ Binomial(n, p), fresh values uniform, the rest copied', () => {
    const p = 0.05;
    const buffer = new ReplayBuffer({ size: 500, reinit: p, exampleSize: 4, range: [0, 1], seed: 3 });
    // Mark the buffer so that copies are recognisable: entry i holds the value 10 + i everywhere.
    for (let i = 0; i < 500; i++) buffer.values.fill(10 + i, i * 4, (i + 1) * 4);
    const n = 64;
    const draws = 400;
    let reinitialised = 0;
    const counts: number[] = [];
    const fresh: number[] = [];
    for (let t = 0; t < draws; t++) {
      const draw = buffer.draw(n, 1000 + t);
      let c = 0;
      for (let i = 0; i < n; i++) {
        const values = draw.starts.subarray(i * 4, (i + 1) * 4);
        if (draw.reinitialised[i]) {
          c++;
          fresh.push(...values);
        } else {
          for (const v of values) expect(v).toBe(10 + draw.indices[i]);
        }
      }
      counts.push(c);
      reinitialised += c;
    }
    // Total ~ Binomial(n·draws, p): mean 1280, sd √(25600·0.05·0.95) ≈ 34.9.
    const total = n * draws;
    expect(Math.abs(reinitialised - total * p)).toBeLessThan(4 * Math.sqrt(total * p * (1 - p)));
    // Per batch the count has variance n·p·(1 − p) = 3.04 (a fixed share would have 0).
    const m = counts.reduce((a, v) => a + v, 0) / draws;
    const v = counts.reduce((a, c) => a + (c - m) ** 2, 0) / (draws - 1);
    expect(v).toBeGreaterThan(0.7 * n * p * (1 - p));
    expect(v).toBeLessThan(1.3 * n * p * (1 - p));
    // Uniform on [0, 1]: mean ½, variance 1/12.
    const fm = fresh.reduce((a, x) => a + x, 0) / fresh.length;
    const fv = fresh.reduce((a, x) => a + (x - fm) ** 2, 0) / fresh.length;
    expect(Math.abs(fm - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / fresh.length));
    expect(Math.abs(fv - 1 / 12)).toBeLessThan(0.01);
    for (const x of fresh) expect(x >= 0 && x < 1).toBe(true);
    // Class-conditional: class c's chains come from c's segment [c·50, (c + 1)·50).
    const labels = Array.from({ length: n }, (_, i) => i % 10);
    const draw = buffer.draw(n, 5, { labels, numClasses: 10 });
    for (let i = 0; i < n; i++) expect(Math.floor(draw.indices[i] / 50)).toBe(labels[i]);
    // Ends go back where the starts came from.
    const ends = new Float32Array(n * 4).fill(-1);
    buffer.write(draw.indices, ends);
    for (const i of draw.indices) expect(buffer.values[i * 4]).toBe(-1);
  });
});

/** The JEM loss of one batch in plain JS: CE + mean E(x) − mean E(x_s) + λ(mean E(x)² + mean E(x_s)²). */
function jemLossByHand(xs: number[][], ys: number[], samples: number[][], lambda: number): number {
  const lse = (z: number[]) => {
    const m = Math.max(...z);
    return m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
  };
  const eData = xs.map((x) => -lse(logits(x)));
  const eSample = samples.map((x) => -lse(logits(x)));
  const ce = xs.reduce((a, x, i) => a + lse(logits(x)) - logits(x)[ys[i]], 0) / xs.length;
  const mean = (v: number[]) => v.reduce((a, e) => a + e, 0) / v.length;
  return ce + mean(eData) - mean(eSample) + lambda * (mean(eData.map((e) => e * e)) + mean(eSample.map((e) => e * e)));
}

function tinyJemConfig(over: Partial<JemConfig> = {}): JemConfig {
  return {
    sgld: { steps: 2, stepSize: 0.05, noise: 0.01, range: [0, 1] },
    bufferSize: 50,
    reinit: 0.05,
    dataNoise: 0,
    energyRegularisation: 0.1,
    inputShape: [1, 1, 3],
    numClasses: 3,
    seed: 1,
    ...over,
  };
}

describe('JEM loss', () => {
  beforeAll(useWasm);

  test('equals a plain-JS implementation, and its θ-gradient matches central finite differences', () => {
    const model = denseModel(3, 3, W, B);
    const objective = new JemObjective(tinyJemConfig());
    const xs = [
      [0.2, 0.5, 0.9],
      [0.7, 0.1, 0.4],
      [0.3, 0.3, 0.6],
    ];
    const ys = [0, 2, 1];
    const samples = [
      [0.9, 0.9, 0.1],
      [0.4, 0.6, 0.2],
    ];
    const x = tf.tensor4d(xs.flat(), [3, 1, 1, 3]);
    const y = tf.tensor1d(ys, 'int32');
    const s = tf.tensor4d(samples.flat(), [2, 1, 1, 3]);
    const ctx = { epoch: 0, epochProgress: 0, epochs: 1, seed: 1 };
    const lossOf = () => objective.loss(model, x, y, [s], ctx).loss;
    const value = tf.tidy(() => lossOf().dataSync()[0]);
    expect(value).toBeCloseTo(jemLossByHand(xs, ys, samples, 0.1), 4);
    const kernel = model.layers[1].trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(lossOf, [kernel as tf.Variable]);
    const analytic = grads[kernel.name].dataSync();
    // Finite differences on the same loss written by hand: kernel[i][j] = W[j][i].
    const h = 1e-4;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const saved = W[j][i];
        W[j][i] = saved + h;
        const up = jemLossByHand(xs, ys, samples, 0.1);
        W[j][i] = saved - h;
        const down = jemLossByHand(xs, ys, samples, 0.1);
        W[j][i] = saved;
        expect(analytic[i * 3 + j]).toBeCloseTo((up - down) / (2 * h), 3);
      }
    }
    tf.dispose([x, y, s, ...Object.values(grads)]);
    objective.dispose();
    model.dispose();
  });

  test('divergence rule: an exploding or non-finite gap, or saturated samples; a healthy step passes', () => {
    const healthy = { energyData: -3, energySample: -2.5, saturationLow: 0.1, saturationHigh: 0.05 };
    expect(divergenceOf(healthy, {})).toBeNull();
    expect(divergenceOf({ ...healthy, energySample: 2000 }, {})).toMatch(/energy gap/);
    expect(divergenceOf({ ...healthy, energyData: Number.NaN }, {})).toMatch(/energy gap/);
    expect(divergenceOf({ ...healthy, saturationHigh: 0.8 }, {})).toMatch(/saturated.*high/);
    expect(divergenceOf({ ...healthy, energySample: 20 }, { maxEnergyGap: 10 })).toMatch(/limit ±10/);
  });
});

/** Four Gaussian blobs (σ = 0.03) in the unit square, class = blob; as 1×1×2 byte images. */
const MODES = [
  [0.25, 0.25],
  [0.75, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
];
function mixture(n: number, seed: number): ImageDataset {
  let s = seed;
  const rand = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const images = new Uint8Array(n * 2);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    labels[i] = c;
    for (let d = 0; d < 2; d++) {
      images[i * 2 + d] = Math.round(255 * Math.min(1, Math.max(0, MODES[c][d] + 0.03 * gauss())));
    }
  }
  return { name: 'mnist', split: 'train', count: n, height: 1, width: 1, channels: 2, images, labels, classNames: [] };
}

function mlp(seed: number): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotNormal({ seed: seed * 17 + k });
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [1, 1, 2] }),
      tf.layers.dense({ units: 32, activation: 'elu', kernelInitializer: init(1) }),
      tf.layers.dense({ units: 32, activation: 'elu', kernelInitializer: init(2) }),
      tf.layers.dense({ units: 4, kernelInitializer: init(3) }),
    ],
  });
}

/** Mean distance from each of 400 SGLD samples (200 steps from uniform noise) to its nearest mode. */
function meanDistanceToModes(model: tf.LayersModel): number {
  const logitsFn = (x: tf.Tensor4D) => model.apply(x) as tf.Tensor2D;
  const x0 = tf.randomUniform([400, 1, 1, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
  const xs = runSgld(logitsFn, x0, { steps: 200, stepSize: 0.002, noise: 0.005, range: [0, 1] }, 11);
  const v = xs.dataSync();
  tf.dispose([x0, xs]);
  let total = 0;
  for (let i = 0; i < 400; i++) {
    total += Math.min(...MODES.map(([a, b]) => Math.hypot(v[2 * i] - a, v[2 * i + 1] - b)));
  }
  return total / 400;
}

const MIXTURE_JEM: JemConfig = {
  sgld: { steps: 10, stepSize: 0.002, noise: 0.005, range: [0, 1] },
  bufferSize: 1000,
  reinit: 0.05,
  dataNoise: 0.01,
  energyRegularisation: 0.01,
  inputShape: [1, 1, 2],
  numClasses: 4,
  seed: 2,
};

describe('JEM training', () => {
  beforeAll(useWasm);

  test('2-D mixture: JEM samples end within 0.08 of the modes on average; a standard classifier’s do not', async () => {
    const data = mixture(512, 9);
    const config = { epochs: 40, batchSize: 64, seed: 4, optimizer: { kind: 'adam' as const, learningRate: 1e-2 } };
    const jemModel = mlp(1);
    const objective = new JemObjective({ ...MIXTURE_JEM, energyRegularisation: 0 });
    const jem = new Trainer(jemModel, data, { ...config, objective });
    expect(await jem.run()).toBe('finished');
    expect(jem.summary().divergence).toBeUndefined();
    const standardModel = mlp(1);
    const standard = new Trainer(standardModel, data, config);
    await standard.run();
    const jemDistance = meanDistanceToModes(jemModel);
    const standardDistance = meanDistanceToModes(standardModel);
    // Uniform noise is on average ≈ 0.19 from the nearest mode; the modes' own spread is ≈ 0.04.
    // Measured: JEM 0.037, standard 0.354 (its energy falls towards the corners, 0.354 from the modes).
    expect(jemDistance).toBeLessThan(0.08);
    expect(standardDistance).toBeGreaterThan(0.15);
    // The replay buffer's own chains sit on the modes too.
    const b = objective.buffer.values;
    let bufferDistance = 0;
    for (let i = 0; i < MIXTURE_JEM.bufferSize; i++) {
      bufferDistance += Math.min(...MODES.map(([m0, m1]) => Math.hypot(b[2 * i] - m0, b[2 * i + 1] - m1)));
    }
    expect(bufferDistance / MIXTURE_JEM.bufferSize).toBeLessThan(0.08);
    for (const t of [jem, standard]) t.dispose();
    objective.dispose();
    jemModel.dispose();
    standardModel.dispose();
  }, 300_000);

  test('a forced blow-up is caught: the run stops at once with the weights of the last report restored', async () => {
    const data = mixture(256, 3);
    const model = mlp(2);
    // A learning rate of 5 with plain SGD makes the energies explode within a few batches.
    const objective = new JemObjective({ ...MIXTURE_JEM, maxEnergyGap: 50 });
    let lastReported: Float32Array[] = [];
    const fresh = new Trainer(model, data, {
      epochs: 20,
      batchSize: 32,
      seed: 1,
      optimizer: { kind: 'sgd', learningRate: 5, momentum: 0.9 },
      reportEvery: 1,
      objective,
    });
    const result = await fresh.run({
      onReport: (_r: TrainReport) => {
        lastReported = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
      },
    });
    expect(result).toBe('finished');
    const summary = fresh.summary();
    expect(summary.divergence?.reason).toMatch(/energy gap|saturated/);
    expect(summary.epochs).toBeLessThan(20);
    const restored = model.getWeights().map((w) => w.dataSync());
    expect(lastReported.length).toBeGreaterThan(0);
    for (const [i, w] of restored.entries()) expect(Array.from(w)).toEqual(Array.from(lastReported[i]));
    fresh.dispose();
    objective.dispose();
    model.dispose();
  });

  test('seeded, resumable, leak-free: stop after 5 batches + resume = one run; same seed, same weights', async () => {
    const data = mixture(512, 5);
    const before = tf.memory().numTensors;
    const runOnce = async (stopAt?: number) => {
      const model = mlp(3);
      const objective = new JemObjective(MIXTURE_JEM);
      const trainer = new Trainer(model, data, {
        epochs: 1,
        batchSize: 64,
        seed: 2,
        optimizer: { kind: 'adam', learningRate: 1e-3 },
        reportEvery: 1,
        objective,
      });
      if (stopAt !== undefined) {
        let reports = 0;
        const first = await trainer.run({ isCancelled: () => reports >= stopAt, onReport: () => void reports++ });
        expect(first).toBe('stopped');
      }
      expect(await trainer.run()).toBe('finished');
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      const buffer = Array.from(objective.buffer.values);
      trainer.dispose();
      objective.dispose();
      model.dispose();
      return { weights, buffer };
    };
    const whole = await runOnce();
    const again = await runOnce();
    const resumed = await runOnce(5);
    expect(again.weights).toEqual(whole.weights);
    expect(resumed.weights).toEqual(whole.weights);
    expect(resumed.buffer).toEqual(whole.buffer);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** K noiseless refinement steps by hand on the dense model: x ← x + α·Wᵀ softmax(Wx + b). */
function refineByHand(x: number[], steps: number, alpha: number): number[] {
  let v = x.slice();
  for (let k = 0; k < steps; k++) {
    const p = softmax(logits(v));
    v = v.map((vi, i) => vi + alpha * p.reduce((a, pj, j) => a + pj * W[j][i], 0));
  }
  return v;
}

describe('JEM refinement and sampling helpers', () => {
  beforeAll(useWasm);

  test('the attack gradient runs back through the refinement steps: ∂/∂x matches finite differences', () => {
    const model = denseModel(3, 3, W, B);
    const clf = {
      model,
      meta: { ...MNIST_META, inputShape: [1, 1, 3] as [number, number, number], classNames: ['a', 'b', 'c'] },
      logits: (x: tf.Tensor4D) => model.apply(x) as tf.Tensor2D,
    };
    const alpha = 0.3;
    const refined = refinedClassifier(clf, {
      steps: 3,
      stepSize: alpha,
      noise: 0,
      draws: 2,
      seed: 1,
      range: [-10, 10],
    });
    const x0 = [0.2, 0.5, 0.9];
    // Objective: logit 1 after refinement. Its gradient involves the Hessian of E, so first-order-only
    // differentiation (treating the steps as constants) would give W[1] instead.
    const g = tf
      .grad((x) => tf.sum(tf.slice(refined.logits(x as tf.Tensor4D), [0, 1], [1, 1])))(tf.tensor4d(x0, [1, 1, 1, 3]))
      .dataSync();
    const h = 1e-4;
    for (let i = 0; i < 3; i++) {
      const up = x0.slice();
      up[i] += h;
      const down = x0.slice();
      down[i] -= h;
      const fd = (logits(refineByHand(up, 3, alpha))[1] - logits(refineByHand(down, 3, alpha))[1]) / (2 * h);
      expect(g[i]).toBeCloseTo(fd, 3);
    }
    const direct = refined.logits(tf.tensor4d(x0, [1, 1, 1, 3])).dataSync();
    const byHand = logits(refineByHand(x0, 3, alpha));
    for (let j = 0; j < 3; j++) expect(direct[j]).toBeCloseTo(byHand[j], 4);
    model.dispose();
  });

  test('class agreement and the grid layout, on hand-made inputs', () => {
    const a = classAgreement([0, 1, 1, 2, 0, 2], [0, 0, 1, 1, 2, 2], 3);
    expect(a.agreement).toBeCloseTo(3 / 6, 12);
    expect(a.perClass).toEqual([0.5, 0.5, 0.5]);
    // Two 1×2 images in one row: a grey border of one pixel around and between them.
    const grid = imageGrid(Float32Array.from([1, 2, 3, 4]), [1, 2, 1], 2);
    expect([grid.width, grid.height]).toEqual([7, 3]);
    expect(Array.from(grid.pixels.subarray(7, 14))).toEqual([0.5, 1, 2, 0.5, 3, 4, 0.5]);
  });
});

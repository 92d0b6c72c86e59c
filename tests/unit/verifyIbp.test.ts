/**
 * Interval bound propagation (src/core/verify/ibp.ts): soundness on small random networks of every layer kind IBP
 * takes (10,000 points of the ε-box per network, corners, uniform and gradient-pushed, never beat a bound), the
 * closed form of a linear model, GroupNorm's interval against brute force, gradients against finite differences,
 * clear refusals, no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbs, maxAbsDiff, smallCnn, useWasm } from './helpers/env';
import { normals, uniforms } from './helpers/random';
import { boxOf, sampleBox, sampleExtremes, worstViolation } from './helpers/boxSampling';
import { buildYanModel, yanConfig } from '../../src/core/models/yanModels';
import { OdeBlock } from '../../src/core/models/layers/odeBlock';
import { groupNormInterval, minVarianceOverBox } from '../../src/core/verify/groupNormBounds';
import { checkIbpSupport, ibpLogitBounds, ibpMarginLowerBounds } from '../../src/core/verify/ibp';
import { certifiedByMargins, worstCaseLogits } from '../../src/core/verify/specification';
import { UnsupportedLayerError } from '../../src/core/util/errors';

/** Replaces every weight by seeded normals N(0, scale²). */
function randomise(model: tf.LayersModel, seed: number, scale = 0.4): tf.LayersModel {
  const weights = model.getWeights().map((w, i) => tf.tensor(normals(w.size, seed * 100 + i, scale), w.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

function mlp(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 16, activation: 'tanh' }),
      tf.layers.dense({ units: 12, activation: 'sigmoid' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

function poolingCnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid' }),
      tf.layers.reLU(),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

/**
 * Yan et al.'s models keep their He-initialised kernels; GroupNorm's γ ~ 1 + 0.3·N (some channels flipped by
 * larger draws), β and biases ~ 0.3·N. Fully random kernels make the ODE's flow so ill-conditioned in float32
 * that op order alone moves the logits.
 */
function randomiseNorms(model: tf.LayersModel, seed: number): tf.LayersModel {
  const weights = model.weights.map((v, i) => {
    const t = v.read();
    const draw = () => tf.tensor(normals(t.size, seed * 100 + i, 0.3), t.shape);
    if (/gamma/.test(v.name)) return tf.tidy(() => tf.add(draw(), 1));
    if (/beta|bias/.test(v.name)) return draw();
    return t.clone();
  });
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

const small = { inputShape: [12, 12, 1] as [number, number, number], channels: 8 };
/** ODE blocks on 3×3 maps: 10,000 points through every solver stage stay cheap. */
const tiny = { inputShape: [8, 8, 1] as [number, number, number], channels: 8 };

async function ibpCase(model: tf.LayersModel, shape: number[], eps: number, seed: number) {
  const d = shape.reduce((a, b) => a * b, 1);
  let worst = -Infinity;
  let points = 0;
  let exactAtZero = 0;
  for (let image = 0; image < 2; image++) {
    const pixels = uniforms(d, seed * 10 + image);
    const x = tf.tensor(pixels, [1, ...shape]);
    const c = tf.tidy(() => tf.argMax(model.apply(x, { training: false }) as tf.Tensor, 1)) as tf.Tensor1D;
    const cls = (await c.data())[0];
    const margins = ibpMarginLowerBounds(model, x, c, eps);
    const logits = ibpLogitBounds(model, x, eps);
    // At ε = 0 the box is a point: both ends must be the model's own logits (every solver step, every weight).
    const point = ibpLogitBounds(model, x, 0);
    const z = model.apply(x, { training: false }) as tf.Tensor;
    const [zs, pl, pu] = await Promise.all([z.data(), point.lower.data(), point.upper.data()]);
    exactAtZero = Math.max(exactAtZero, maxAbsDiff(zs, pl) / (1 + maxAbs(zs)), maxAbsDiff(zs, pu) / (1 + maxAbs(zs)));
    tf.dispose([point.lower, point.upper, z]);
    const ext = await sampleExtremes(model, pixels, shape, cls, eps, 5000, seed * 10 + image);
    points += ext.points;
    worst = Math.max(
      worst,
      worstViolation(ext, await margins.data(), { lower: await logits.lower.data(), upper: await logits.upper.data() }),
    );
    tf.dispose([x, c, margins, logits.lower, logits.upper]);
  }
  return { worst, points, exactAtZero };
}

describe('interval bound propagation', () => {
  beforeAll(useWasm);

  test('a linear model: margin and logit bounds are the closed form, |W|·ε, the box clipped to [0, 1]', async () => {
    const model = randomise(
      tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 5 })] }),
      3,
    );
    const [w, b] = await Promise.all(model.getWeights().map((t) => t.data()));
    const pixels = uniforms(16, 5);
    pixels[0] = 0.01; // the box of this pixel is clipped at 0
    pixels[1] = 0.995; // and of this one at 1
    const eps = 0.05;
    const { lower, upper } = boxOf(pixels, eps);
    const x = tf.tensor(pixels, [1, 4, 4, 1]);
    const cls = tf.tensor1d([2], 'int32');
    const logits = ibpLogitBounds(model, x, eps);
    const margins = ibpMarginLowerBounds(model, x, cls, eps);
    const [lo, hi, m] = await Promise.all([logits.lower.data(), logits.upper.data(), margins.data()]);
    // min over the box of a·x + β = Σ a_i·(a_i ≥ 0 ? lower_i : upper_i) + β, in float64.
    const minOver = (a: (i: number) => number, beta: number) => {
      let s = beta;
      for (let i = 0; i < 16; i++) s += a(i) * (a(i) >= 0 ? lower[i] : upper[i]);
      return s;
    };
    for (let j = 0; j < 5; j++) {
      expect(lo[j]).toBeCloseTo(
        minOver((i) => w[i * 5 + j], b[j]),
        4,
      );
      expect(hi[j]).toBeCloseTo(-minOver((i) => -w[i * 5 + j], -b[j]), 4);
      expect(m[j]).toBeCloseTo(
        minOver((i) => w[i * 5 + 2] - w[i * 5 + j], b[2] - b[j]),
        4,
      );
    }
    // Away from the clipping the radius is exactly ε·Σ|W_ij| (Gowal et al. 2018, eq. 6).
    const centre = tf.tensor(new Float32Array(16).fill(0.5), [1, 4, 4, 1]);
    const mid = ibpLogitBounds(model, centre, eps);
    const width = await tf.sub(mid.upper, mid.lower).data();
    for (let j = 0; j < 5; j++) {
      let l1 = 0;
      for (let i = 0; i < 16; i++) l1 += Math.abs(w[i * 5 + j]);
      expect(width[j] / 2).toBeCloseTo(eps * l1, 5);
    }
    tf.dispose([x, cls, logits.lower, logits.upper, margins, centre, mid.lower, mid.upper]);
    model.dispose();
  });

  const cases: [string, () => tf.LayersModel, number[], number][] = [
    ['dense, ReLU/tanh/sigmoid', () => randomise(mlp(), 1, 0.15), [28, 28, 1], 0.01],
    ['conv (valid, same, strides) and max-pooling', () => smallCnn(2), [28, 28, 1], 0.02],
    ['conv and average pooling (valid, same)', () => randomise(poolingCnn(), 2), [12, 12, 1], 0.02],
    [
      'GroupNorm and a residual sum (Yan cnn)',
      () => randomiseNorms(buildYanModel(yanConfig('cnn', 'classroom', 1, small)), 3),
      [12, 12, 1],
      0.005,
    ],
    [
      'an ODE block, Euler, time-dependent (Yan odenet)',
      () => randomiseNorms(buildYanModel(yanConfig('odenet', 'classroom', 1, tiny)), 4),
      [8, 8, 1],
      0.005,
    ],
    [
      'an ODE block, RK4 (Yan tisode)',
      () => randomiseNorms(buildYanModel(yanConfig('tisode', 'classroom', 1, { ...tiny, solver: 'rk4', steps: 2 })), 5),
      [8, 8, 1],
      0.002,
    ],
    [
      'an ODE block, midpoint',
      () =>
        randomiseNorms(
          buildYanModel(yanConfig('odenet', 'classroom', 1, { ...tiny, solver: 'midpoint', steps: 2 })),
          6,
        ),
      [8, 8, 1],
      0.002,
    ],
  ];
  test.each(cases)(
    'sound on %s: 10,000 points of the box stay inside the bounds; exact at ε = 0',
    async (_name, make, shape, eps) => {
      const model = make();
      const { worst, points, exactAtZero } = await ibpCase(model, shape, eps, 7);
      expect(exactAtZero).toBeLessThan(1e-4);
      expect(points).toBeGreaterThanOrEqual(10_000);
      expect(worst).toBeLessThanOrEqual(0);
      model.dispose();
    },
  );

  test('GroupNorm: the interval holds 10,000 sampled inputs, the variance bound is the box minimum', async () => {
    const shape = [2, 3, 3, 4];
    const centre = normals(72, 11, 1);
    const radius = uniforms(72, 12, 0, 0.4);
    const lower = centre.map((v, i) => v - radius[i]);
    const upper = centre.map((v, i) => v + radius[i]);
    const gamma = tf.tensor1d([1.5, -0.7, 0.3, -2]);
    const beta = tf.tensor1d([0.1, -0.2, 0.3, 0]);
    const box = { lower: tf.tensor(lower, shape), upper: tf.tensor(upper, shape) };
    const out = groupNormInterval(box, 2, gamma, beta, 1e-5);
    const [lo, hi] = [await out.lower.data(), await out.upper.data()];
    const points = sampleBox(lower, upper, 10_000, 13);
    const y = tf.tidy(() => {
      const x = tf.reshape(tf.tensor(points), [10_000 * 2, 3, 3, 4]);
      const grouped = tf.reshape(x, [20_000, 3, 3, 2, 2]);
      const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
      const normed = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, 1e-5))), [20_000, 3, 3, 4]);
      return tf.reshape(tf.add(tf.mul(normed, gamma), beta), [10_000, 72]);
    });
    const values = await y.data();
    let worst = -Infinity;
    for (let p = 0; p < 10_000; p++) {
      for (let i = 0; i < 72; i++) {
        const v = values[p * 72 + i];
        worst = Math.max(worst, lo[i] - v, v - hi[i]);
      }
    }
    expect(worst).toBeLessThanOrEqual(1e-4);
    // Two elements with boxes [0, 1] and [2, 3]: the smallest variance is at (1, 2), 0.25; overlapping boxes: 0.
    const v = minVarianceOverBox(tf.tensor([0, 2], [1, 1, 1, 2]), tf.tensor([1, 3], [1, 1, 1, 2]));
    expect((await v.data())[0]).toBeCloseTo(0.25, 5);
    const v0 = minVarianceOverBox(tf.tensor([0, 0.5], [1, 1, 1, 2]), tf.tensor([1, 3], [1, 1, 1, 2]));
    expect((await v0.data())[0]).toBeCloseTo(0, 6);
    tf.dispose([gamma, beta, box.lower, box.upper, out.lower, out.upper, y, v, v0]);
  });

  /** The robust loss CE(ẑ, y)'s gradient for some entries of one weight, against central differences. */
  async function gradientAgainstDifferences(
    model: tf.LayersModel,
    weight: tf.LayerVariable,
    shape: number[],
    eps: number,
    entries: number[],
  ): Promise<{ analytic: number[]; numeric: number[]; allFinite: boolean }> {
    const d = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(uniforms(2 * d, 9), [2, ...shape]);
    const cls = tf.tensor1d([3, 5], 'int32');
    const loss = () =>
      tf.tidy(
        () =>
          tf.losses.softmaxCrossEntropy(
            tf.oneHot(cls, 10),
            worstCaseLogits(ibpMarginLowerBounds(model, x, cls, eps)),
          ) as tf.Scalar,
      );
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads, value } = tf.variableGrads(loss, variables);
    let allFinite = true;
    for (const g of Object.values(grads)) allFinite &&= (await g.data()).every(Number.isFinite);
    const g = await grads[(weight.read() as tf.Variable).name].data();
    const original = Float32Array.from(await weight.read().data());
    const at = async (i: number, delta: number) => {
      const shifted = Float32Array.from(original);
      shifted[i] += delta;
      const t = tf.tensor(shifted, weight.shape as number[]);
      weight.write(t);
      t.dispose();
      const l = loss();
      const v = (await l.data())[0];
      l.dispose();
      return v;
    };
    const h = 1e-2;
    const numeric: number[] = [];
    for (const i of entries) numeric.push(((await at(i, h)) - (await at(i, -h))) / (2 * h));
    const t = tf.tensor(original, weight.shape as number[]);
    weight.write(t);
    tf.dispose([t, x, cls, value, ...Object.values(grads)]);
    return { analytic: entries.map((i) => g[i]), numeric, allFinite };
  }

  test.each([
    ['dense layers', () => randomise(mlp(), 8, 0.15), 'dense', [28, 28, 1], 0.01],
    [
      'GroupNorm and an ODE block',
      () => randomiseNorms(buildYanModel(yanConfig('odenet', 'classroom', 1, tiny)), 9),
      'ode_block',
      [8, 8, 1],
      1e-4,
    ],
  ] as const)(
    'the bound is differentiable through %s: gradient = finite differences',
    async (_n, make, layer, shape, eps) => {
      const model = make();
      // A bias of the second dense layer; the ODE block's second GroupNorm shift.
      const weight =
        layer === 'dense' ? model.layers[2].weights[1] : model.layers.find((l) => l.name === layer)!.weights.at(-1)!;
      const { analytic, numeric, allFinite } = await gradientAgainstDifferences(
        model,
        weight,
        [...shape],
        eps,
        [0, 3, 5],
      );
      expect(allFinite).toBe(true);
      expect(analytic.some((v) => Math.abs(v) > 1e-3)).toBe(true);
      for (const [i, v] of analytic.entries()) {
        expect(Math.abs(v - numeric[i])).toBeLessThan(0.05 * (Math.abs(numeric[i]) + 0.05));
      }
      model.dispose();
    },
  );

  test('certified means every margin other than the class is positive; ε = 0 certifies the prediction', async () => {
    const model = smallCnn(3);
    const x = tf.tensor(uniforms(3 * 784, 14), [3, 28, 28, 1]);
    const pred = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1)) as tf.Tensor1D;
    const other = tf.tidy(() => tf.mod(tf.add(pred, 1), 10)) as tf.Tensor1D;
    const m0 = ibpMarginLowerBounds(model, x, pred, 0);
    const mOther = ibpMarginLowerBounds(model, x, other, 0);
    const ok = certifiedByMargins(m0, pred);
    const notOk = certifiedByMargins(mOther, other);
    expect(Array.from(await ok.data())).toEqual([1, 1, 1]);
    expect(Array.from(await notOk.data())).toEqual([0, 0, 0]);
    tf.dispose([x, pred, other, m0, mOther, ok, notOk]);
    model.dispose();
  });

  describe('refusals name the layer and its class', () => {
    test('batch normalisation', () => {
      const model = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [4, 4, 1] }),
          tf.layers.batchNormalization({ name: 'bn' }),
          tf.layers.dense({ units: 3 }),
        ],
      });
      expect(() => checkIbpSupport(model)).toThrow(UnsupportedLayerError);
      expect(() => checkIbpSupport(model)).toThrow(/"bn" \(BatchNormalization\)/);
      model.dispose();
    });
    test('a non-monotone activation (swish) and softmax output', () => {
      const swish = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [4, 4, 1] }),
          tf.layers.activation({ activation: 'swish', name: 'sw' }),
        ],
      });
      expect(() => checkIbpSupport(swish)).toThrow(/"sw" \(Activation\) uses "swish"/);
      const softmax = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [4, 4, 1] }),
          tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
        ],
      });
      expect(() => checkIbpSupport(softmax)).toThrow(/"out" \(Dense\) uses "softmax"/);
      tf.dispose([swish, softmax].flatMap((m) => m.getWeights()));
    });
    test('an ODE block with the adaptive solver', () => {
      const input = tf.input({ shape: [6, 6, 4] });
      const block = new OdeBlock({
        channels: 4,
        groups: 2,
        timeDependent: false,
        useBias: false,
        solver: 'dopri5',
        steps: 2,
        endTime: 1,
        name: 'ode',
      });
      const model = tf.model({ inputs: input, outputs: block.apply(input) as tf.SymbolicTensor });
      expect(() => checkIbpSupport(model)).toThrow(/"ode" \(OdeBlock\).*adaptive solver "dopri5"/);
      model.dispose();
    });
  });

  describe('memory', () => {
    let model: tf.LayersModel;
    beforeAll(() => {
      model = randomiseNorms(buildYanModel(yanConfig('odenet', 'classroom', 1, small)), 10);
    });
    afterAll(() => model.dispose());
    test('bounds leave no tensor behind', () => {
      const x = tf.tensor(uniforms(2 * 144, 15), [2, 12, 12, 1]);
      const cls = tf.tensor1d([0, 1], 'int32');
      const eps = tf.tensor1d([0.01, 0.02]);
      tf.dispose(ibpMarginLowerBounds(model, x, cls, 0.01)); // warm-up (the model's own lazily built tensors)
      const before = tf.memory().numTensors;
      const m = ibpMarginLowerBounds(model, x, cls, eps);
      const b = ibpLogitBounds(model, x, 0.01);
      tf.dispose([m, b.lower, b.upper]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, cls, eps]);
    });
  });
});

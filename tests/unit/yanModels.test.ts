/**
 * Yan et al.'s models (src/core/models/yanModels.ts, layers/odeBlock.ts, registry.ts):
 *  - input gradients through a tiny ODENet agree with central finite differences;
 *  - the OdeBlock's time-channel shortcut equals the explicit relu(GN(conv([z, t·1]) + b)) twice;
 *  - TisODE's steady-state loss Σ dt·mean|f(z_k)| along the continued Euler trajectory, by hand;
 *  - save → load keeps predictions and block settings for yan-cnn, odenet, tisode;
 *  - parameter counts at paper size (≈ 141k, and exactly what the architecture of §2 gives).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { maxAbs, maxAbsDiff, mnistTestFirst, useWasm } from './helpers/env';
import { normals } from './helpers/random';
import { batchTensors, range } from '../../src/core/data/dataset';
import { OdeBlock } from '../../src/core/models/layers/odeBlock';
import { classifierFromFiles, modelToFiles } from '../../src/core/models/modelIO';
import type { Architecture } from '../../src/core/models/architectures';
import { buildModel } from '../../src/core/models/registry';
import { odeBlocksOf, yanConfig, YAN_SIZES } from '../../src/core/models/yanModels';

/** GroupNorm written independently of the project's (split per group, tf.mean twice), NHWC. */
function refGroupNorm(x: tf.Tensor4D, groups: number, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor4D {
  const parts = tf.split(x, groups, 3).map((g) => {
    const mean = tf.mean(g, [1, 2, 3], true);
    const variance = tf.mean(tf.square(tf.sub(g, mean)), [1, 2, 3], true);
    return tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, eps)));
  });
  return tf.add(tf.mul(tf.concat(parts, 3), gamma), beta) as tf.Tensor4D;
}

function weightsByName(layer: tf.layers.Layer): Record<string, tf.Tensor> {
  const values = layer.getWeights();
  const out: Record<string, tf.Tensor> = {};
  layer.weights.forEach((w, i) => {
    const short = w.originalName.split('/').slice(-2).join('/'); // e.g. conv1/kernel
    out[short] = values[i];
  });
  return out;
}

/** Replaces every weight of a layer (or model) with seeded random values of a given scale. */
function randomiseWeights(
  target: { getWeights(): tf.Tensor[]; setWeights(w: tf.Tensor[]): void },
  seed: number,
  scale = 0.3,
): void {
  target.setWeights(
    target.getWeights().map((w, i) => tf.tidy(() => tf.add(w, tf.tensor(normals(w.size, seed + i, scale), w.shape)))),
  );
}

describe('Yan et al. models', () => {
  beforeAll(useWasm);

  test('yanConfig: a channels override picks the GroupNorm groups (classroom ≤ 4 groups, paper min(32, C))', () => {
    expect(yanConfig('odenet', 'classroom', 1, { channels: 4 }).groups).toBe(4);
    expect(yanConfig('odenet', 'classroom', 1, { channels: 6 }).groups).toBe(3);
    expect(yanConfig('odenet', 'paper', 1, { channels: 48 }).groups).toBe(24);
    expect(yanConfig('tisode', 'paper', 1)).toMatchObject({ ...YAN_SIZES.paper, arch: 'tisode', seed: 1 });
  });

  test('input gradient through a tiny ODENet matches central finite differences', async () => {
    const { model } = buildModel('odenet', { seed: 1, channels: 4, steps: 2 });
    randomiseWeights(model, 500, 0.1);
    const ds = await mnistTestFirst(1);
    const { x, y } = batchTensors(ds, range(0, 1));
    const c = tf.tensor1d(normals(10, 77));
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(model.apply(input, { training: false }) as tf.Tensor, c));
    const lossAt = (data: Float32Array) => tf.tidy(() => loss(tf.tensor4d(data, [1, 28, 28, 1])).dataSync()[0]);
    const grad = tf.tidy(() => tf.grad(loss)(x).dataSync()) as Float32Array;
    expect(odeBlocksOf(model)[0].lastStats.evaluations).toBe(2); // Euler × 2 steps
    const base = x.dataSync().slice() as Float32Array;
    const gMax = maxAbs(grad);
    expect(gMax).toBeGreaterThan(1e-3);
    // The 6 largest |∂L/∂x| pixels and 6 seeded random pixels with a non-negligible gradient.
    const byMagnitude = Array.from(grad.keys()).sort((a, b) => Math.abs(grad[b]) - Math.abs(grad[a]));
    const pixels = byMagnitude.slice(0, 6);
    const rest = byMagnitude.slice(6).filter((i) => Math.abs(grad[i]) > 0.05 * gMax);
    const pick = normals(6, 9).map((v) => Math.floor(Math.abs(v * 1e6)) % rest.length);
    for (const k of pick) pixels.push(rest[k]);
    const h = 1e-2;
    const f0 = lossAt(base);
    let checked = 0;
    for (const p of pixels) {
      const plus = base.slice() as Float32Array;
      plus[p] += h;
      const minus = base.slice() as Float32Array;
      minus[p] -= h;
      const fp = lossAt(plus);
      const fm = lossAt(minus);
      const forward = (fp - f0) / h;
      const backward = (f0 - fm) / h;
      const central = (fp - fm) / (2 * h);
      if (Math.abs(forward - backward) > 0.05 * Math.abs(central) + 1e-3 * gMax) continue; // a ReLU kink inside ±h
      checked++;
      expect(Math.abs(central - grad[p]), `pixel ${p}: FD ${central}, grad ${grad[p]}`).toBeLessThan(
        3e-2 * Math.abs(grad[p]) + 2e-3 * gMax,
      );
    }
    expect(checked).toBeGreaterThanOrEqual(6);
    // Directional derivative along a random direction (all pixels at once).
    const d = normals(784, 88);
    const norm = Math.sqrt(d.reduce((s, v) => s + v * v, 0));
    const dir = d.map((v) => v / norm);
    const along = (s: number) => lossAt(base.map((v, i) => v + s * dir[i]));
    const fdDir = (along(h) - along(-h)) / (2 * h);
    const gDir = grad.reduce((s, g, i) => s + g * dir[i], 0);
    expect(Math.abs(fdDir - gDir)).toBeLessThan(3e-2 * Math.abs(gDir) + 1e-3 * gMax);
    tf.dispose([x, y, c]);
    model.dispose();
  });

  test('OdeBlock.vectorField(t, z) equals the explicit relu(GN(conv([z, t·1], K) + b)) applied twice', () => {
    const c = 4;
    const block = new OdeBlock({
      channels: c,
      groups: 2,
      timeDependent: true,
      useBias: true,
      solver: 'euler',
      steps: 2,
      endTime: 1,
      seed: 3,
    });
    const z = tf.tensor4d(normals(2 * 5 * 6 * c, 41), [2, 5, 6, c]);
    block.apply(z); // builds
    // Biases, γ, β all away from their 0/1 initial values, so every term is exercised.
    randomiseWeights(block, 900, 0.5);
    const w = weightsByName(block);
    expect(block.weights.map((v) => v.originalName.split('/').slice(-2).join('/'))).toEqual([
      'conv1/kernel',
      'conv1/bias',
      'gn1/gamma',
      'gn1/beta',
      'conv2/kernel',
      'conv2/bias',
      'gn2/gamma',
      'gn2/beta',
    ]);
    expect(w['conv1/kernel'].shape).toEqual([3, 3, c + 1, c]);
    const explicit = (t: number, zz: tf.Tensor4D) =>
      tf.tidy(() => {
        let hh = zz;
        for (const i of [1, 2]) {
          const withT = tf.concat([hh, tf.fill([hh.shape[0], hh.shape[1], hh.shape[2], 1], t)], 3) as tf.Tensor4D;
          const conv = tf.add(
            tf.conv2d(withT, w[`conv${i}/kernel`] as tf.Tensor4D, 1, 'same'),
            w[`conv${i}/bias`],
          ) as tf.Tensor4D;
          hh = tf.relu(refGroupNorm(conv, 2, w[`gn${i}/gamma`], w[`gn${i}/beta`]));
        }
        return hh;
      });
    const f = block.vectorField(5, 6);
    for (const t of [0, 0.37, 1]) {
      const got = tf.tidy(() => f(t, z).dataSync());
      const want = explicit(t, z);
      expect(maxAbsDiff(got, want.dataSync()), `t = ${t}`).toBeLessThan(2e-5);
      want.dispose();
    }
    // The time channel matters: f(0.37) ≠ f(1).
    const diff = tf.tidy(() => maxAbs(tf.sub(f(0.37, z), f(1, z)).dataSync()));
    expect(diff).toBeGreaterThan(1e-3);
    // And the block's output is the Euler solution with this f (2 steps of 0.5, t = 0 then 0.5).
    const out = block.apply(z) as tf.Tensor4D;
    const z1 = tf.add(z, tf.mul(explicit(0, z), 0.5)) as tf.Tensor4D;
    const z2 = tf.add(z1, tf.mul(explicit(0.5, z1), 0.5));
    expect(maxAbsDiff(out.dataSync(), z2.dataSync())).toBeLessThan(5e-5);
    tf.dispose([z, out, z1, z2]);
    block.dispose();
  });

  test('TisODE steady-state loss on a tiny block equals Σ dt·mean|f(z_k)| along the continued Euler path', () => {
    const block = new OdeBlock({
      channels: 2,
      groups: 1,
      timeDependent: false,
      useBias: false,
      solver: 'euler',
      steps: 1,
      endTime: 1,
      steadyState: { from: 1, to: 1.5, dt: 0.25 },
      seed: 9,
    });
    const z0 = tf.tensor4d(normals(2 * 4 * 4 * 2, 51), [2, 4, 4, 2]);
    block.apply(z0); // builds (inference: no auxiliary loss)
    expect(block.auxiliaryLoss).toBeNull();
    randomiseWeights(block, 700, 0.3);
    const w = weightsByName(block);
    expect(Object.keys(w)).toEqual(['conv1/kernel', 'gn1/gamma', 'gn1/beta', 'conv2/kernel', 'gn2/gamma', 'gn2/beta']);
    expect(w['conv1/kernel'].shape).toEqual([3, 3, 2, 2]); // autonomous: no time channel
    const fRef = (z: tf.Tensor4D): tf.Tensor4D => {
      let h = z;
      for (const i of [1, 2])
        h = tf.relu(
          refGroupNorm(
            tf.conv2d(h, w[`conv${i}/kernel`] as tf.Tensor4D, 1, 'same'),
            1,
            w[`gn${i}/gamma`],
            w[`gn${i}/beta`],
          ),
        );
      return h;
    };
    // By hand: z(1) = z0 + 1·f(z0); then Euler with dt = 0.25 over [1, 1.5]: z(1.25) = z(1) + 0.25 f(z(1)).
    const [z1, expectedLoss] = tf.tidy(() => {
      const zT = tf.add(z0, fRef(z0)) as tf.Tensor4D;
      const fT = fRef(zT);
      const zNext = tf.add(zT, tf.mul(fT, 0.25)) as tf.Tensor4D;
      const loss = 0.25 * tf.mean(tf.abs(fT)).dataSync()[0] + 0.25 * tf.mean(tf.abs(fRef(zNext))).dataSync()[0];
      return [zT, tf.scalar(loss)];
    });
    const lossValue = expectedLoss.dataSync()[0];
    expect(lossValue).toBeGreaterThan(1e-3);

    const out = block.apply(z0, { training: true }) as tf.Tensor;
    expect(block.auxiliaryLoss).not.toBeNull();
    const aux = block.auxiliaryLoss!.dataSync()[0];
    expect(Math.abs(aux - lossValue)).toBeLessThan(1e-5 * Math.max(1, lossValue));
    expect(maxAbsDiff(out.dataSync(), z1.dataSync())).toBeLessThan(1e-5); // the output is z(T = 1), not z(1.5)
    expect(block.lastStats.evaluations).toBe(3); // 1 solver step + 2 continued steps

    // Releasing disposes it; inference leaves none; inference output is the same z(1).
    const held = block.auxiliaryLoss!;
    block.releaseAuxiliaryLoss();
    expect(block.auxiliaryLoss).toBeNull();
    expect(held.isDisposed).toBe(true);
    const inference = block.apply(z0, { training: false }) as tf.Tensor;
    expect(block.auxiliaryLoss).toBeNull();
    expect(maxAbsDiff(inference.dataSync(), z1.dataSync())).toBeLessThan(1e-5);

    // The auxiliary loss is differentiable in the weights (what the trainer relies on).
    const { value, grads } = tf.variableGrads(() => {
      block.apply(z0, { training: true });
      return block.auxiliaryLoss!;
    });
    expect(value.dataSync()[0]).toBeCloseTo(aux, 5);
    expect(Object.keys(grads)).toHaveLength(6);
    for (const g of Object.values(grads)) expect(maxAbs(g.dataSync())).toBeGreaterThan(0);
    block.releaseAuxiliaryLoss();
    tf.dispose([z0, z1, expectedLoss, out, inference, value, ...Object.values(grads)]);
    block.dispose();
  });

  for (const arch of ['yan-cnn', 'odenet', 'tisode'] as Architecture[]) {
    test(`${arch}: modelToFiles → classifierFromFiles gives identical predictions and block settings`, async () => {
      const built = buildModel(arch, { seed: 2, channels: 4, steps: 2 });
      randomiseWeights(built.model, 300, 0.1); // a re-initialised (not loaded) model would differ
      const files = await modelToFiles(built.model, built.meta);
      const clf = await classifierFromFiles(files);
      expect(clf.meta).toEqual(built.meta);
      expect(clf.model.countParams()).toBe(built.model.countParams());
      const [orig] = odeBlocksOf(built.model);
      const [loaded] = odeBlocksOf(clf.model);
      if (arch === 'yan-cnn') {
        expect(orig).toBeUndefined();
        expect(loaded).toBeUndefined();
      } else {
        expect(loaded).toBeInstanceOf(OdeBlock);
        expect(loaded.getConfig()).toEqual(orig.getConfig());
        expect(loaded.args.steadyState).toEqual(arch === 'tisode' ? YAN_SIZES.classroom.steadyState : null);
      }
      const ds = await mnistTestFirst(8);
      const { x, y } = batchTensors(ds, range(0, 8));
      const a = built.model.predict(x) as tf.Tensor;
      const b = clf.logits(x);
      expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
      tf.dispose([x, y, a, b]);
      built.model.dispose();
      clf.model.dispose();
    });
  }

  test('parameter counts at paper size: ≈ 141k each, exactly as the §2 architecture adds up', () => {
    const C = 64;
    const conv = (k: number, cin: number, cout: number, bias = true) => k * k * cin * cout + (bias ? cout : 0);
    const gn = 2 * C;
    const shared = conv(3, 1, C) + gn + conv(4, C, C) + gn + (C * 10 + 10);
    const expected: Record<string, number> = {
      'yan-cnn': shared + 2 * (conv(3, C, C) + gn),
      odenet: shared + 2 * (conv(3, C + 1, C) + gn),
      tisode: shared + 2 * (conv(3, C, C, false) + gn),
    };
    const counts: Record<string, number> = {};
    for (const arch of ['yan-cnn', 'odenet', 'tisode'] as Architecture[]) {
      const { model } = buildModel(arch, { seed: 1, size: 'paper' });
      counts[arch] = model.countParams();
      model.dispose();
    }
    console.log(`paper-size parameter counts: ${JSON.stringify(counts)} (expected ${JSON.stringify(expected)})`);
    expect(counts).toEqual(expected);
    for (const n of Object.values(counts)) expect(Math.abs(n - 141_000) / 141_000).toBeLessThan(0.1);
  });
});

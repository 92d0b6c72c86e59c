/**
 * Certified radii and certified accuracy (src/core/verify/certifiedRadius.ts, certifyDataset.ts): the bisected
 * L∞ radius of a linear model against its closed form min_j m_j/‖w_c − w_j‖₁, for IBP and CROWN; certified
 * accuracy over MNIST images for IBP, CROWN and smoothing against the per-image certificates and the model's
 * own accuracy; no certified image broken by PGD at its radius; progress, cancel, leaks, refusals.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, shippedModel, tinyStridedCnn as stridedCnn, useWasm } from './helpers/env';
import { normals } from './helpers/random';
import { batchTensors, range, takeFirst, type ImageDataset } from '../../src/core/data/dataset';
import { disposeAttackRun, runAttack } from '../../src/core/attacks/runAttack';
import type { Classifier } from '../../src/core/models/classifier';
import { certifiedAt, certifiedRadii } from '../../src/core/verify/certifiedRadius';
import { crownMarginLowerBounds } from '../../src/core/verify/crown';
import { certifiedByMargins } from '../../src/core/verify/specification';
import { certifyDataset, type BoundCertifyResult } from '../../src/core/verify/certifyDataset';
import { CancelledError, InvalidOptionError, UnsupportedLayerError } from '../../src/core/util/errors';

describe('certified radius by bisection', () => {
  beforeAll(useWasm);

  test('a linear model: IBP and CROWN find min_j m_j / ‖w_c − w_j‖₁ to the tolerance', async () => {
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 4 })],
    });
    const weights = [tf.tensor(normals(64, 3), [16, 4]), tf.tensor(normals(4, 4, 0.3))];
    model.setWeights(weights);
    // Pixels in [0.3, 0.7]: radii below 0.3 never meet the clipping at 0 or 1.
    const pixels = Float32Array.from(normals(16, 5), (v) => 0.5 + 0.2 * Math.tanh(v));
    const x = tf.tensor(pixels, [1, 4, 4, 1]);
    const [w, b] = await Promise.all(weights.map((t) => t.data()));
    const z = [0, 1, 2, 3].map((j) => pixels.reduce((s, p, i) => s + p * w[i * 4 + j], b[j]));
    const c = z.indexOf(Math.max(...z));
    let exact = Infinity;
    for (let j = 0; j < 4; j++) {
      if (j === c) continue;
      let l1 = 0;
      for (let i = 0; i < 16; i++) l1 += Math.abs(w[i * 4 + c] - w[i * 4 + j]);
      exact = Math.min(exact, (z[c] - z[j]) / l1);
    }
    expect(exact).toBeGreaterThan(0.002);
    expect(exact).toBeLessThan(0.3);
    const cls = tf.tensor1d([c], 'int32');
    for (const method of ['ibp', 'crown'] as const) {
      const [r] = await certifiedRadii(model, x, cls, method, { tolerance: 1e-4, max: 0.5 });
      expect(r).toBeLessThanOrEqual(exact + 1e-5);
      expect(r).toBeGreaterThanOrEqual(exact - 1.1e-4);
      expect(Array.from(await certifiedAt(model, x, cls, r, method))).toEqual([1]);
      expect(Array.from(await certifiedAt(model, x, cls, exact + 1e-3, method))).toEqual([0]);
    }
    tf.dispose([x, cls, ...weights]);
    model.dispose();
  });

  test('options are checked', async () => {
    const clf = stridedCnn();
    const x = tf.zeros([1, 28, 28, 1]);
    const cls = tf.tensor1d([0], 'int32');
    await expect(certifiedRadii(clf.model, x, cls, 'ibp', { max: 2 })).rejects.toThrow(InvalidOptionError);
    await expect(certifiedRadii(clf.model, x, cls, 'ibp', { tolerance: 0 })).rejects.toThrow(/tolerance/);
    tf.dispose([x, cls]);
    clf.model.dispose();
  });
});

describe('certified accuracy over a data set', () => {
  let shipped: Classifier;
  let ds: ImageDataset;
  beforeAll(async () => {
    await useWasm();
    shipped = await shippedModel();
    ds = await mnistTestFirst(32);
  });

  /** Certified accuracy at ε must agree with the bisected radii (IBP's bounds only widen with ε). */
  function expectConsistent(r: BoundCertifyResult, tolerance: number) {
    for (const { eps, certifiedAccuracy } of r.results) {
      const right = r.images.filter((im) => im.prediction === im.label);
      const surely = right.filter((im) => im.certifiedRadius! >= eps).length / r.n;
      const atMost = right.filter((im) => im.certifiedRadius! >= eps - tolerance).length / r.n;
      expect(certifiedAccuracy).toBeGreaterThanOrEqual(surely);
      expect(certifiedAccuracy).toBeLessThanOrEqual(atMost);
      expect(certifiedAccuracy).toBeLessThanOrEqual(r.cleanAccuracy);
    }
  }

  test('IBP on the shipped CNN: clean accuracy, certified accuracy and radii agree; PGD never breaks one', async () => {
    const r = (await certifyDataset(shipped, ds, {
      method: 'ibp',
      eps: [0, 0.002, 0.005, 0.02],
      batchSize: 20,
    })) as BoundCertifyResult;
    expect(r.n).toBe(32);
    expect(r.images.map((im) => im.index)).toEqual([...Array(32).keys()]);
    const { x, y } = batchTensors(ds, range(0, 32));
    const predicted = tf.tidy(() => tf.argMax(shipped.logits(x), 1));
    const [p, labels] = [await predicted.data(), await y.data()];
    expect(r.images.map((im) => im.prediction)).toEqual(Array.from(p));
    expect(r.images.map((im) => im.label)).toEqual(Array.from(labels));
    expect(r.cleanAccuracy).toBeCloseTo(p.filter((v, i) => v === labels[i]).length / 32, 10);
    expect(r.results[0].certifiedAccuracy).toBeCloseTo(r.cleanAccuracy, 10); // ε = 0: certified = correct
    for (let k = 1; k < r.results.length; k++) {
      expect(r.results[k].certifiedAccuracy).toBeLessThanOrEqual(r.results[k - 1].certifiedAccuracy);
    }
    expect(r.results[2].certifiedAccuracy).toBeGreaterThan(0.5); // measured 0.875 on the first 64
    expectConsistent(r, 1e-3);
    // Each certified image is attacked by PGD (20 steps, 2 restarts) at its own certified radius: none may flip.
    const certified = r.images.filter((im) => im.certifiedRadius! > 0);
    const epsilon = Math.min(...certified.map((im) => im.certifiedRadius!));
    const idx = certified.map((im) => im.index);
    const batch = batchTensors(ds, idx);
    const pred = tf.tensor1d(
      certified.map((im) => im.prediction!),
      'int32',
    );
    const run = await runAttack(shipped.logits, batch.x, pred, 10, {
      method: 'pgd',
      norm: 'linf',
      eps: epsilon,
      steps: 20,
      restarts: 2,
      target: { kind: 'untargeted' },
      seed: 1,
    });
    expect(Array.from(await run.success.data()).every((s) => s === 0)).toBe(true);
    disposeAttackRun(run);
    tf.dispose([x, y, predicted, batch.x, batch.y, pred]);
  });

  test('CROWN certifies at least what IBP certifies, and refuses max-pooling before any work', async () => {
    const clf = stridedCnn();
    const small = takeFirst(ds, 4);
    const eps = [0.002, 0.01];
    const ibp = (await certifyDataset(clf, small, { method: 'ibp', eps, radius: false })) as BoundCertifyResult;
    const crown = (await certifyDataset(clf, small, {
      method: 'crown',
      eps,
      radius: { tolerance: 0.01, max: 0.04 },
    })) as BoundCertifyResult;
    expect(ibp.images.every((im) => im.certifiedRadius === null)).toBe(true);
    // The IBP-first cascade certifies exactly what CROWN∩IBP's margins certify on the whole batch.
    const { x, y } = batchTensors(small, range(0, 4));
    const pred = tf.tidy(() => tf.argMax(clf.logits(x), 1)) as tf.Tensor1D;
    const margins = crownMarginLowerBounds(clf.model, x, pred, 0.01);
    const direct = certifiedByMargins(margins, pred);
    expect(Array.from(await certifiedAt(clf.model, x, pred, 0.01, 'crown'))).toEqual(Array.from(await direct.data()));
    tf.dispose([x, y, pred, margins, direct]);
    for (let k = 0; k < eps.length; k++) {
      expect(crown.results[k].certifiedAccuracy).toBeGreaterThanOrEqual(ibp.results[k].certifiedAccuracy);
    }
    expect(crown.cleanAccuracy).toBe(ibp.cleanAccuracy);
    expect(crown.images.every((im) => im.certifiedRadius !== null && im.certifiedRadius >= 0)).toBe(true);
    let progressed = false;
    await expect(
      certifyDataset(shipped, small, { method: 'crown', eps: [0.01] }, { onProgress: () => (progressed = true) }),
    ).rejects.toThrow(UnsupportedLayerError);
    expect(progressed).toBe(false);
    clf.model.dispose();
  });

  test('smoothing: certified accuracy per L2 radius from the CERTIFY radii; abstentions count as wrong', async () => {
    const small = takeFirst(ds, 4);
    const r = await certifyDataset(shipped, small, {
      method: 'smoothing',
      sigma: 0.25,
      n0: 20,
      n: 400,
      radii: [0, 0.25, 0.5, 1],
      seed: 2,
    });
    if (r.method !== 'smoothing') throw new Error('expected a smoothing result');
    expect(r.smoothing).toEqual({ sigma: 0.25, n0: 20, n: 400, alpha: 0.001, batchSize: 1000, seed: 2 });
    for (const { radius, certifiedAccuracy } of r.results) {
      const count = r.images.filter(
        (im) => im.prediction === im.label && im.certifiedRadius !== null && im.certifiedRadius >= radius,
      ).length;
      expect(certifiedAccuracy).toBeCloseTo(count / 4, 10);
    }
    // With n = 400 the largest possible radius is σ·Φ⁻¹(0.001^(1/400)) ≈ 0.25·2.45.
    for (const im of r.images) {
      if (im.prediction === null) expect(im.certifiedRadius).toBeNull();
      else expect(im.certifiedRadius!).toBeLessThanOrEqual(0.25 * 2.46);
    }
    expect(r.results[3].certifiedAccuracy).toBe(0);
  });

  test('progress reaches 1, cancel stops between batches, nothing leaks', async () => {
    const small = takeFirst(ds, 24);
    await certifyDataset(shipped, small, { method: 'ibp', eps: [0.01], batchSize: 8 }); // warm-up
    const before = tf.memory().numTensors;
    const fractions: number[] = [];
    await certifyDataset(
      shipped,
      small,
      { method: 'ibp', eps: [0.01], batchSize: 8 },
      {
        onProgress: (p) => fractions.push(p.fraction),
      },
    );
    expect(fractions).toEqual([8 / 24, 16 / 24, 1]);
    let calls = 0;
    await expect(
      certifyDataset(
        shipped,
        small,
        { method: 'ibp', eps: [0.01], batchSize: 8 },
        { onProgress: () => calls++, isCancelled: () => calls >= 1 },
      ),
    ).rejects.toThrow(CancelledError);
    await expect(
      certifyDataset(
        shipped,
        takeFirst(small, 2),
        { method: 'smoothing', sigma: 0.5, n0: 10, n: 5000, batchSize: 100, radii: [0.5] },
        { onProgress: () => calls++, isCancelled: () => calls >= 5 },
      ),
    ).rejects.toThrow(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('bad options are refused in one sentence', async () => {
    const small = takeFirst(ds, 2);
    const bad = [
      { method: 'ibp', eps: [] },
      { method: 'ibp', eps: [-0.1] },
      { method: 'ibp', eps: [1.5] },
      { method: 'ibp', eps: [Number.NaN] },
      { method: 'ibp', eps: [0.1], batchSize: 0 },
      { method: 'smoothing', sigma: 0.5, radii: [] },
      { method: 'smoothing', sigma: -1, radii: [0.5] },
      { method: 'milp', eps: [0.1] },
    ];
    for (const options of bad) {
      await expect(certifyDataset(shipped, small, options as never)).rejects.toThrow(InvalidOptionError);
    }
  });
});

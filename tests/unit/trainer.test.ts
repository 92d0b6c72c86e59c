/**
 * The Trainer (src/core/train/trainer.ts) with the augmentation and parameter statistics it uses:
 *  - every architecture lowers its loss on 512 MNIST training images;
 *  - a seed fixes the run (identical weights), a different seed changes it;
 *  - a run stopped after k batches and resumed ends with the weights of an uninterrupted run
 *    (mid-epoch, at an epoch boundary with a learning-rate milestone, and stopped at every batch);
 *  - NaN/Inf in the loss → DivergedError and finite, restored weights;
 *  - no tensors leak across runs;
 *  - the reported lazy ratio and ‖θ‖ equal what we compute from snapshots;
 *  - noiseAugment: about half the examples change, values stay in [0, 1], σ ∈ {50, 75, 100}/255, seeded.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import { uniforms } from './helpers/random';
import { loadMnist } from '../../src/cli/nodeFiles';
import { takeFirst, type ImageDataset } from '../../src/core/data/dataset';
import type { Architecture } from '../../src/core/models/architectures';
import { buildModel } from '../../src/core/models/registry';
import { NOISE_SIGMAS_255, noiseAugment } from '../../src/core/train/augment';
import { lazyRatioOfArrays, normOfArrays } from '../../src/core/metrics/parameterNorms';
import { Trainer } from '../../src/core/train/trainer';
import type { TrainerConfig, TrainReport } from '../../src/core/train/trainerConfig';
import { DivergedError, InvalidOptionError } from '../../src/core/util/errors';

let train512: ImageDataset;

function tinyModel(arch: Architecture, seed = 1): tf.LayersModel {
  return buildModel(arch, arch === 'cnn' ? { seed } : { seed, channels: 4, steps: 2 }).model;
}

function snapshot(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
}

function expectSameWeights(a: Float32Array[], b: Float32Array[], what: string): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    let differing = 0;
    for (let j = 0; j < a[i].length; j++) if (a[i][j] !== b[i][j]) differing++;
    expect(differing, `${what}: weight ${i} has ${differing} differing values`).toBe(0);
  }
}

function allFinite(ws: Float32Array[]): boolean {
  return ws.every((w) => w.every((v) => Number.isFinite(v)));
}

async function trainToEnd(
  arch: Architecture,
  config: TrainerConfig,
  data: ImageDataset,
  modelSeed = 1,
): Promise<Float32Array[]> {
  const model = tinyModel(arch, modelSeed);
  const trainer = new Trainer(model, data, config);
  expect(await trainer.run()).toBe('finished');
  const w = snapshot(model);
  trainer.dispose();
  model.dispose();
  return w;
}

describe('Trainer', () => {
  beforeAll(async () => {
    await useWasm();
    train512 = takeFirst(await loadMnist('train'), 512);
  });

  for (const arch of ['cnn', 'yan-cnn', 'odenet', 'tisode'] as Architecture[]) {
    test(`${arch}: 2 epochs on 512 MNIST images lower the loss (last report < first report)`, async () => {
      const model = tinyModel(arch);
      const trainer = new Trainer(model, train512, {
        epochs: 2,
        batchSize: 64,
        seed: 3,
        optimizer: { kind: 'adam', learningRate: 3e-3 },
        reportEvery: 4,
        auxiliaryLoss: arch === 'tisode' ? { weight: 0.01, startEpoch: 0 } : undefined,
      });
      const reports: TrainReport[] = [];
      expect(await trainer.run({ onReport: (r) => reports.push(r) })).toBe('finished');
      console.log(`${arch}: losses ${reports.map((r) => r.loss.toFixed(3)).join(' → ')}`);
      expect(reports).toHaveLength(4); // batches 4, 8 (end of epoch), 12, 16
      expect(reports.map((r) => [r.epoch, r.batch])).toEqual([
        [0, 4],
        [0, 8],
        [1, 4],
        [1, 8],
      ]);
      expect(reports[reports.length - 1].fraction).toBe(1);
      expect(reports[reports.length - 1].loss).toBeLessThan(reports[0].loss - 0.05);
      if (arch === 'tisode') {
        for (const r of reports) expect(r.auxiliaryLoss).toBeGreaterThan(0);
      } else {
        for (const r of reports) expect(r.auxiliaryLoss).toBeUndefined();
      }
      const summary = trainer.summary();
      expect(summary).toMatchObject({ epochs: 2, batches: 16, samples: 1024 });
      expect(summary.finalLoss).toBeGreaterThan(0);
      trainer.dispose();
      model.dispose();
    });
  }

  test(
    'the same seed gives identical weights; another data seed gives different ones (cnn, tisode + noise + ' + 'aux)',
    async () => {
      const data = takeFirst(train512, 128);
      for (const arch of ['cnn', 'tisode'] as Architecture[]) {
        const config = (seed: number): TrainerConfig => ({
          epochs: 1,
          batchSize: 32,
          seed,
          optimizer: { kind: 'adam', learningRate: 2e-3 },
          weightDecay: 5e-4,
          noiseAugmentation: true,
          auxiliaryLoss: { weight: 0.01, startEpoch: 0 },
        });
        const a = await trainToEnd(arch, config(5), data);
        const b = await trainToEnd(arch, config(5), data);
        const c = await trainToEnd(arch, config(6), data);
        expectSameWeights(a, b, `${arch} same seed`);
        expect(
          a.some((w, i) => w.some((v, j) => v !== c[i][j])),
          `${arch}: seed 6 should differ from seed 5`,
        ).toBe(true);
      }
    },
  );

  describe('stop and resume end with the weights of an uninterrupted run', () => {
    // 256 images / 64 = 4 batches an epoch, 3 epochs, noise augmentation on (its seed follows the
    // batch count). `withMilestones` also halves the learning rate at epochs 1 and 2.
    const data = () => takeFirst(train512, 256);
    const plain: TrainerConfig = {
      epochs: 3,
      batchSize: 64,
      seed: 11,
      optimizer: { kind: 'adam', learningRate: 2e-3 },
      noiseAugmentation: true,
      reportEvery: 3,
    };
    const withMilestones: TrainerConfig = { ...plain, lrMilestones: [1, 2], lrDecay: 0.5 };

    async function run(
      config: TrainerConfig,
      stopAfter: number[],
    ): Promise<{ weights: Float32Array[]; reports: TrainReport[] }> {
      const model = tinyModel('cnn');
      const trainer = new Trainer(model, data(), config);
      const reports: TrainReport[] = [];
      let batchesDone = 0;
      for (const k of stopAfter) {
        let calls = 0;
        // isCancelled is asked before each batch: true once k batches in all have run.
        const outcome = await trainer.run({
          onReport: (r) => reports.push(r),
          isCancelled: () => ++calls > k - batchesDone,
        });
        expect(outcome).toBe('stopped');
        batchesDone = k;
        expect(trainer.summary().batches).toBe(k);
      }
      expect(await trainer.run({ onReport: (r) => reports.push(r) })).toBe('finished');
      expect(trainer.finished).toBe(true);
      expect(trainer.summary().batches).toBe(12);
      const weights = snapshot(model);
      trainer.dispose();
      model.dispose();
      return { weights, reports };
    }

    test('stopped mid-epoch (after 2 and after 7 batches), with learning-rate milestones', async () => {
      const reference = await run(withMilestones, []);
      const { weights } = await run(withMilestones, [2, 7]);
      expectSameWeights(weights, reference.weights, 'stopped after 2, 7');
    });

    test('stopped before every batch (no milestones)', async () => {
      const reference = await run(plain, []);
      const { weights } = await run(
        plain,
        Array.from({ length: 11 }, (_, i) => i + 1),
      );
      expectSameWeights(weights, reference.weights, 'stopped after every batch');
    });

    test('stopped exactly at an epoch boundary before a learning-rate milestone (after 4 batches)', async () => {
      const reference = await run(withMilestones, []);
      const { weights, reports } = await run(withMilestones, [4]);
      // Halved once per milestone: 2e-3 · 0.5² at the end of both runs.
      expect(reference.reports[reference.reports.length - 1].learningRate).toBeCloseTo(2e-3 * 0.25, 12);
      expectSameWeights(weights, reference.weights, 'stopped after 4 (epoch boundary)');
      expect(reports[reports.length - 1].learningRate).toBeCloseTo(2e-3 * 0.25, 12);
    });
  });

  test('non-finite loss from the first batch → DivergedError; weights are the (finite) ones from before', async () => {
    const model = tinyModel('cnn');
    // Dense kernel at 1e38: the logits overflow to ±Inf, so the loss is not finite.
    const weights = model.getWeights();
    const last = weights.length - 2; // dense kernel (then bias)
    expect(weights[last].shape).toEqual([800, 10]);
    model.setWeights(weights.map((w, i) => (i === last ? tf.fill(w.shape, 1e38) : w)));
    const before = snapshot(model);
    const trainer = new Trainer(model, takeFirst(train512, 128), {
      epochs: 1,
      batchSize: 32,
      seed: 1,
      optimizer: { kind: 'adam', learningRate: 1e-3 },
      reportEvery: 1,
    });
    await expect(trainer.run()).rejects.toThrow(DivergedError);
    const after = snapshot(model);
    expect(allFinite(after)).toBe(true);
    expectSameWeights(after, before, 'restored after divergence');
    // A diverged run cannot be resumed.
    await expect(trainer.run()).rejects.toThrow(DivergedError);
    trainer.dispose();
    model.dispose();
  });

  test('a learning rate outside (0, 10), such as 1e6, is refused up front', () => {
    const model = tinyModel('cnn');
    expect(
      () =>
        new Trainer(model, train512, {
          epochs: 1,
          batchSize: 64,
          seed: 1,
          optimizer: { kind: 'adam', learningRate: 1e6 },
        }),
    ).toThrow(InvalidOptionError);
    model.dispose();
  });

  test('divergence after a report (batch 2) → DivergedError; the weights of the last report are restored', async () => {
    // First conv bias at 1e36: batch 1's loss (~1e36) is finite, SGD's step then makes batch 2's loss NaN.
    const model = tinyModel('cnn');
    const ws = model.getWeights();
    expect(ws[1].shape).toEqual([16]);
    model.setWeights(ws.map((w, i) => (i === 1 ? tf.fill(w.shape, 1e36) : w)));
    const initial = snapshot(model);
    const atReports: Float32Array[][] = [];
    const trainer = new Trainer(model, takeFirst(train512, 128), {
      epochs: 1,
      batchSize: 32,
      seed: 1,
      optimizer: { kind: 'sgd', learningRate: 9.9, momentum: 0 },
      reportEvery: 1,
    });
    const error = await trainer.run({ onReport: () => atReports.push(snapshot(model)) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DivergedError);
    expect((error as Error).message).toMatch(/batch 2/);
    // One sentence for the CLI's stderr line; the bare reason for the training lab's banner.
    expect((error as Error).message.match(/[.!?](\s|$)/g)).toHaveLength(1);
    expect((error as DivergedError).reason).toMatch(/^the loss became (NaN|-?Infinity) at epoch 1, batch 2$/);
    expect(atReports).toHaveLength(1);
    const after = snapshot(model);
    expect(allFinite(after)).toBe(true);
    expectSameWeights(after, atReports[0], 'restored = weights at the last report');
    expect(after.some((w, i) => w.some((v, j) => v !== initial[i][j]))).toBe(true);
    trainer.dispose();
    model.dispose();
  });

  test(
    'no tensors leak: numTensors is the same after a second run (odenet and tisode, held-out accuracy ' + 'on)',
    async () => {
      const data = takeFirst(train512, 96);
      const heldOut = takeFirst(train512, 64);
      const models = { odenet: tinyModel('odenet'), tisode: tinyModel('tisode') };
      const once = async () => {
        for (const [arch, model] of Object.entries(models)) {
          const trainer = new Trainer(model, data, {
            epochs: 1,
            batchSize: 32,
            seed: 2,
            optimizer: { kind: 'adam', learningRate: 1e-3 },
            weightDecay: 5e-4,
            noiseAugmentation: true,
            reportEvery: 2,
            heldOut,
            auxiliaryLoss: arch === 'tisode' ? { weight: 0.01, startEpoch: 0 } : undefined,
          });
          // A stop and a resume too.
          let calls = 0;
          expect(await trainer.run({ isCancelled: () => ++calls > 1 })).toBe('stopped');
          expect(await trainer.run()).toBe('finished');
          trainer.dispose();
        }
      };
      await once(); // warm-up (optimizer slots are created lazily, kernels compile)
      const afterWarmUp = tf.memory().numTensors;
      await once();
      const afterSecond = tf.memory().numTensors;
      expect(afterSecond).toBe(afterWarmUp);
      for (const b of Object.values(models)) {
        for (const block of b.layers) expect((block as { auxiliaryLoss?: unknown }).auxiliaryLoss ?? null).toBeNull();
      }
      Object.values(models).forEach((m) => {
        m.dispose();
      });
    },
  );

  test(
    'the first report’s lazy ratio is > 0 and small and equals ‖θ − θ₀‖/‖θ₀‖ from our snapshots; ‖θ‖ ' + 'too',
    async () => {
      const model = tinyModel('odenet');
      const theta0 = snapshot(model);
      const trainer = new Trainer(model, takeFirst(train512, 64), {
        epochs: 1,
        batchSize: 16,
        seed: 4,
        optimizer: { kind: 'adam', learningRate: 1e-3 },
        reportEvery: 1,
      });
      const seen: { report: TrainReport; weights: Float32Array[] }[] = [];
      await trainer.run({ onReport: (report) => seen.push({ report, weights: snapshot(model) }) });
      expect(seen).toHaveLength(4);
      const norm = (ws: Float32Array[]) => Math.sqrt(ws.reduce((s, w) => s + w.reduce((t, v) => t + v * v, 0), 0));
      const distance = (ws: Float32Array[]) =>
        Math.sqrt(ws.reduce((s, w, i) => s + w.reduce((t, v, j) => t + (v - theta0[i][j]) ** 2, 0), 0));
      const first = seen[0];
      const ratio = distance(first.weights) / norm(theta0);
      console.log(`lazy ratio after one Adam step: reported ${first.report.lazyRatio}, computed ${ratio}`);
      expect(first.report.lazyRatio).toBeGreaterThan(0);
      expect(first.report.lazyRatio).toBeLessThan(0.05);
      expect(first.report.lazyRatio).toBeCloseTo(ratio, 5);
      expect(Math.abs(first.report.lazyRatio - ratio) / ratio).toBeLessThan(1e-3);
      for (const { report, weights } of seen) {
        expect(Math.abs(report.lazyRatio - distance(weights) / norm(theta0)) / report.lazyRatio).toBeLessThan(1e-3);
        expect(Math.abs(report.parameterNorm - norm(weights)) / norm(weights)).toBeLessThan(1e-5);
      }
      // The ratio grows as the weights move away.
      expect(seen[3].report.lazyRatio).toBeGreaterThan(seen[0].report.lazyRatio);
      trainer.dispose();
      model.dispose();
    },
  );

  test('normOfArrays and lazyRatioOfArrays on known weights: ‖(3,4)‖ = 5, lazy ratio ‖(1,1)−(1,0)‖/‖(1,0)‖ = 1', () => {
    expect(normOfArrays([[3], [4]])).toBeCloseTo(5, 6);
    const cur = [[1, 1]];
    const init = [[1, 0]];
    expect(lazyRatioOfArrays(cur, init)).toBeCloseTo(1, 6);
    expect(lazyRatioOfArrays(init, init)).toBe(0);
  });

  test(
    'noiseAugment: about half the examples change, values in [0, 1], σ ∈ {50, 75, 100}/255, same seed → same ' +
      'output',
    () => {
      const n = 200;
      // Constant 0.5 images: noise is visible everywhere and the median |noise| (0.67σ ≤ 0.27) is never clipped.
      const flat = tf.fill([n, 28, 28, 1], 0.5) as tf.Tensor4D;
      const out = noiseAugment(flat, 123);
      const values = out.dataSync();
      expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
      // Per example σ̂ = median|noise| / 0.6745 (median |N(0, σ²)| = 0.6745σ) has ≈ 4 % sampling error
      // over 784 pixels, so examples are only assigned to the nearest σ; the pooled estimate per σ
      // (thousands of pixels) must then be within 3 %.
      let changed = 0;
      const pooled = new Map<number, number[]>();
      for (let i = 0; i < n; i++) {
        const dev = Array.from(values.subarray(i * 784, (i + 1) * 784), (v) => Math.abs(v - 0.5));
        if (dev.every((d) => d === 0)) continue;
        changed++;
        const sorted = [...dev].sort((p, q) => p - q);
        const sigma = (sorted[392] / 0.6745) * 255;
        const nearest = NOISE_SIGMAS_255.reduce((best, s) => (Math.abs(s - sigma) < Math.abs(best - sigma) ? s : best));
        expect(Math.abs(sigma - nearest) / nearest, `example ${i}: σ ≈ ${sigma.toFixed(1)}/255`).toBeLessThan(0.2);
        pooled.set(nearest, [...(pooled.get(nearest) ?? []), ...dev]);
      }
      const estimates = [...pooled].map(([nominal, devs]) => {
        devs.sort((p, q) => p - q);
        return { nominal, examples: devs.length / 784, estimate: (devs[Math.floor(devs.length / 2)] / 0.6745) * 255 };
      });
      console.log(`noiseAugment: ${changed}/${n} changed; ${JSON.stringify(estimates)}`);
      expect(changed).toBeGreaterThan(0.35 * n);
      expect(changed).toBeLessThan(0.65 * n);
      expect(estimates).toHaveLength(3); // all three σ are drawn
      for (const { nominal, estimate } of estimates) expect(Math.abs(estimate - nominal) / nominal).toBeLessThan(0.03);
      // Seeded.
      const again = noiseAugment(flat, 123);
      expect(Array.from(again.dataSync())).toEqual(Array.from(values));
      const other = noiseAugment(flat, 124);
      expect(Array.from(other.dataSync())).not.toEqual(Array.from(values));
      // Real images: stays in [0, 1] after clipping, shape unchanged.
      const x = tf.tensor4d(uniforms(8 * 784, 5), [8, 28, 28, 1]);
      const y = noiseAugment(x, 9);
      expect(y.shape).toEqual([8, 28, 28, 1]);
      const yv = y.dataSync();
      expect(yv.every((v) => v >= 0 && v <= 1)).toBe(true);
      tf.dispose([flat, out, again, other, x, y]);
    },
  );
});

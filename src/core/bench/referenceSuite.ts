/**
 * The side-by-side suite: the three architectures of the native PyTorch reference, timed with the
 * reference's own settings, so the figures can be divided one by the other.
 *
 *   cnn            the attack lab's small CNN (12,810 parameters)
 *   yan-cnn-paper  Yan et al. (2020)'s CNN with a residual block, paper size (64 channels, GroupNorm 32)
 *   odenet-paper   Yan et al.'s ODENet, paper size (Euler, 10 steps over [0, 1])
 *
 *   PGD-20: L∞, ε 0.3, step 0.01, uniform random start, batch 256, after a 2-step warm-up on 32
 *   training: Adam (learning rate 1e-3), batch 64, 3 warm-up steps, then 20 (cnn) or 5 timed steps
 *
 * Inputs are uniform in [0, 1] and labels uniform over the classes, as in the reference: timing
 * only, no accuracy. On a GPU backend so slow that one measurement would take more than
 * MAX_MEASUREMENT_SECONDS by the warm-up's pace (software WebGPU), PGD runs on the warm-up's 32
 * images and training takes fewer steps; the figures then say so (pgdBatch, trainSteps). Shared
 * by `npm run bench -- --suite reference` and the app's "Benchmark this device", so both run
 * exactly this.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { disposeAttackRun, runAttack } from '../attacks/runAttack';
import type { AttackOptions } from '../attacks/types';
import { asClassifier } from '../models/classifier';
import type { Architecture } from '../models/architectures';
import { buildModel, type BuildOptions } from '../models/registry';
import { InvalidOptionError } from '../util/errors';
import { REFERENCE_ARCHITECTURES, type ReferenceArchitecture } from './referenceArchitectures';

export { REFERENCE_ARCHITECTURES, type ReferenceArchitecture };

const BUILD: Record<ReferenceArchitecture, { arch: Architecture; options: Partial<BuildOptions> }> = {
  cnn: { arch: 'cnn', options: {} },
  'yan-cnn-paper': { arch: 'yan-cnn', options: { size: 'paper' } },
  'odenet-paper': { arch: 'odenet', options: { size: 'paper' } },
};

export const REFERENCE_SETTINGS = {
  pgdBatch: 256,
  pgdSteps: 20,
  eps: 0.3,
  alpha: 0.01,
  warmupBatch: 32,
  warmupSteps: 2,
  trainBatch: 64,
  learningRate: 1e-3,
  trainWarmupSteps: 3,
  trainSteps: (arch: ReferenceArchitecture) => (arch === 'cnn' ? 20 : 5),
} as const;

/** Longest a single measurement may take on a GPU backend, predicted from its warm-up. */
export const MAX_MEASUREMENT_SECONDS = 300;

/** Only the GPU backends (software adapters) are shortened; wasm and cpu always run the full suite. */
function mayShorten(): boolean {
  return tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl';
}

export interface ReferenceFigures {
  arch: ReferenceArchitecture;
  backend: string;
  /** Threads the wasm backend computes with (XNNPACK's pool; 1 unless the page is cross-origin isolated). */
  threads?: number;
  pgd20ImagesPerSecond: number;
  trainSamplesPerSecond: number;
  /** Present when PGD ran on fewer than 256 images (a slow backend). */
  pgdBatch?: number;
  /** Present when training took fewer timed steps than the reference (a slow backend). */
  trainSteps?: number;
}

/** "a,b" → the architectures named (all three when absent), checked. */
export function parseReferenceArchitectures(list: string | undefined): ReferenceArchitecture[] {
  if (list === undefined) return [...REFERENCE_ARCHITECTURES];
  const names = list.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(REFERENCE_ARCHITECTURES as readonly string[]).includes(name)) {
      throw new InvalidOptionError(
        `Unknown reference architecture "${name}". Choose from: ${REFERENCE_ARCHITECTURES.join(', ')}.`,
      );
    }
  }
  return names as ReferenceArchitecture[];
}

const NUM_CLASSES = 10;
const round1 = (v: number) => Math.round(v * 10) / 10;

function randomBatch(n: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', seed) as tf.Tensor4D,
    y: tf.randomUniform([n], 0, NUM_CLASSES, 'int32', seed + 1) as tf.Tensor1D,
  }));
}

function pgdOptions(steps: number): AttackOptions {
  const s = REFERENCE_SETTINGS;
  return {
    method: 'pgd',
    norm: 'linf',
    eps: s.eps,
    alpha: s.alpha,
    steps,
    restarts: 1,
    target: { kind: 'untargeted' },
    seed: 0,
  };
}

async function timePgd(
  model: tf.LayersModel,
  meta: Parameters<typeof asClassifier>[1],
): Promise<{ imagesPerSecond: number; batch: number }> {
  const s = REFERENCE_SETTINGS;
  const clf = asClassifier(model, meta);
  const attack = async (n: number, steps: number) => {
    const { x, y } = randomBatch(n, 11);
    try {
      const started = performance.now();
      const run = await runAttack(clf.logits, x, y, NUM_CLASSES, pgdOptions(steps));
      await run.adversarial.data(); // wait for the device (GPU backends run asynchronously)
      const ms = performance.now() - started;
      disposeAttackRun(run);
      return ms;
    } finally {
      x.dispose();
      y.dispose();
    }
  };
  const warmupMs = await attack(s.warmupBatch, s.warmupSteps);
  const predicted = (warmupMs / 1000) * (s.pgdBatch / s.warmupBatch) * (s.pgdSteps / s.warmupSteps);
  const batch = mayShorten() && predicted > MAX_MEASUREMENT_SECONDS ? s.warmupBatch : s.pgdBatch;
  return { imagesPerSecond: (batch / (await attack(batch, s.pgdSteps))) * 1000, batch };
}

async function timeTraining(
  model: tf.LayersModel,
  steps: number,
): Promise<{ samplesPerSecond: number; steps: number }> {
  const s = REFERENCE_SETTINGS;
  const optimizer = tf.train.adam(s.learningRate);
  const { x, y } = randomBatch(s.trainBatch, 23);
  const oneHot = tf.oneHot(y, NUM_CLASSES);
  const step = async () => {
    const loss = tf.tidy(
      () =>
        optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(oneHot, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
          true,
        ) as tf.Scalar,
    );
    await loss.data();
    loss.dispose();
  };
  try {
    const warmupStarted = performance.now();
    for (let k = 0; k < s.trainWarmupSteps; k++) await step();
    const stepSeconds = (performance.now() - warmupStarted) / 1000 / s.trainWarmupSteps;
    const n = mayShorten() ? Math.max(1, Math.min(steps, Math.floor(MAX_MEASUREMENT_SECONDS / stepSeconds))) : steps;
    const started = performance.now();
    for (let k = 0; k < n; k++) await step();
    return { samplesPerSecond: (n * s.trainBatch * 1000) / (performance.now() - started), steps: n };
  } finally {
    optimizer.dispose();
    x.dispose();
    y.dispose();
    oneHot.dispose();
  }
}

/** Times one architecture on the current backend. */
export async function benchmarkReferenceArchitecture(arch: ReferenceArchitecture): Promise<ReferenceFigures> {
  const { arch: id, options } = BUILD[arch];
  const { model, meta } = buildModel(id, { seed: 0, ...options });
  try {
    const steps = REFERENCE_SETTINGS.trainSteps(arch);
    const pgd = await timePgd(model, meta);
    const train = await timeTraining(model, steps);
    const backend = tf.getBackend();
    return {
      arch,
      backend,
      ...(backend === 'wasm' ? { threads: getThreadsCount() } : {}),
      pgd20ImagesPerSecond: round1(pgd.imagesPerSecond),
      trainSamplesPerSecond: round1(train.samplesPerSecond),
      ...(pgd.batch !== REFERENCE_SETTINGS.pgdBatch ? { pgdBatch: pgd.batch } : {}),
      ...(train.steps !== steps ? { trainSteps: train.steps } : {}),
    };
  } finally {
    model.dispose();
  }
}

export async function benchmarkReferenceSuite(
  archs: readonly ReferenceArchitecture[] = REFERENCE_ARCHITECTURES,
  onStart?: (arch: ReferenceArchitecture) => void,
): Promise<ReferenceFigures[]> {
  const out: ReferenceFigures[] = [];
  for (const arch of archs) {
    onStart?.(arch);
    out.push(await benchmarkReferenceArchitecture(arch));
  }
  return out;
}

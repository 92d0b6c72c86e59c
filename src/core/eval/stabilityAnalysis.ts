/**
 * Perturbation stability against the L2 radius ε (Zhu et al., NeurIPS 2022), the way the
 * `stability` command and the app's stability panel show it: one curve per model, and the MLP
 * width × depth × initialisation sweep flattened into rows of (configuration, ε). Each point
 * carries the Monte-Carlo estimate of the chosen form, its standard error and the closed form
 * ε²‖J‖_F²/(d+2) of the first-order squared form.
 */
import type * as tf from '@tensorflow/tfjs';
import { takeFirst, type ImageDataset } from '../data/dataset';
import type { LogitsFn } from '../models/classifier';
import { Trainer } from '../train/trainer';
import { perturbationStability } from '../metrics/stability';
import { DEFAULT_STABILITY_SAMPLES, STABILITY_FORM_LABELS, type StabilityForm } from '../metrics/stabilityForms';
import { CancelledError, InvalidOptionError } from '../util/errors';
import { partOf, type LongTask } from '../util/progress';
import { mlpStabilitySweep, type MlpSweepGrid, type MlpSweepHooks, type MlpSweepPoint } from './stabilitySweep';

export interface StabilityCurveOptions {
  /** L2 radii, in pixel units. */
  eps: number[];
  samples?: number;
  form?: StabilityForm;
  seed?: number;
}

export interface StabilityCurvePoint {
  eps: number;
  mean: number;
  standardError: number;
  analyticFirstOrderSquared: number;
}

export interface StabilityCurve {
  form: StabilityForm;
  label: string;
  norm: 'l2';
  samples: number;
  seed: number;
  /** Images measured. */
  n: number;
  /** Input dimension (the d of ε²‖J‖²/(d+2)). */
  d: number;
  points: StabilityCurvePoint[];
}

/** One configuration of the sweep at one ε (the `stability` command's row). */
export interface MlpSweepRow {
  width: number;
  depth: number;
  init: MlpSweepPoint['init'];
  parameters: number;
  eps: number;
  mean: number;
  standardError: number;
  analyticFirstOrderSquared: number;
  /** How the network was trained before it was measured (the trained sweep). */
  training?: MlpSweepPoint['training'];
}

function resolve(o: StabilityCurveOptions): Required<StabilityCurveOptions> {
  if (o.eps.length === 0) throw new InvalidOptionError('Give at least one ε.');
  return {
    eps: o.eps,
    samples: o.samples ?? DEFAULT_STABILITY_SAMPLES,
    form: o.form ?? 'first-order-squared',
    seed: o.seed ?? 0,
  };
}

/** Stability of one model at each ε, on the images x. */
export async function stabilityAgainstEps(
  logitsFn: LogitsFn,
  x: tf.Tensor4D,
  options: StabilityCurveOptions,
  task?: LongTask,
): Promise<StabilityCurve> {
  const o = resolve(options);
  const points: StabilityCurvePoint[] = [];
  for (const [k, eps] of o.eps.entries()) {
    const r = await perturbationStability(
      logitsFn,
      x,
      { eps, samples: o.samples, form: o.form, seed: o.seed },
      partOf(task, k, o.eps.length, `ε = ${eps}`),
    );
    points.push({
      eps,
      mean: r.mean,
      standardError: r.standardError,
      analyticFirstOrderSquared: r.analyticFirstOrderSquared,
    });
  }
  const [, h, w, c] = x.shape;
  return {
    form: o.form,
    label: STABILITY_FORM_LABELS[o.form],
    norm: 'l2',
    samples: o.samples,
    seed: o.seed,
    n: x.shape[0],
    d: h * w * c,
    points,
  };
}

/** A sweep point as one row per ε. */
export function sweepRows(p: MlpSweepPoint): MlpSweepRow[] {
  return p.byEps.map((s) => ({
    width: p.width,
    depth: p.depth,
    init: p.init,
    parameters: p.parameters,
    eps: s.eps,
    mean: s.mean,
    standardError: s.standardError,
    analyticFirstOrderSquared: s.analyticFirstOrderSquared,
    ...(p.training ? { training: p.training } : {}),
  }));
}

/**
 * The MLP sweep at each ε: every network is built (and prepared) once and measured at all ε.
 * Rows come ε-major (all configurations at the first ε, then the next), the command's order.
 */
export async function mlpStabilityAgainstEps(
  grid: MlpSweepGrid,
  x: tf.Tensor4D,
  options: StabilityCurveOptions,
  hooks: MlpSweepHooks = {},
): Promise<MlpSweepRow[]> {
  const o = resolve(options);
  const points = await mlpStabilitySweep(
    grid,
    x,
    o.eps.map((eps) => ({ eps, samples: o.samples, form: o.form, seed: o.seed })),
    hooks,
  );
  const rows = points.map(sweepRows);
  return o.eps.flatMap((_, k) => rows.map((r) => r[k]));
}

/**
 * A short training run that moves a network away from its initialisation, so the sweep can report
 * the lazy-training ratio ‖θ − θ₀‖/‖θ₀‖ (Zhu et al.): plain SGD, the same for every configuration.
 * Small on purpose: it only has to show which configurations stay near θ₀, not to train them.
 */
export const LAZY_PROBE_TRAINING = {
  examples: 512,
  epochs: 1,
  batchSize: 64,
  learningRate: 0.05,
  optimizer: 'sgd',
} as const;

export interface ProbeTraining {
  examples: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: 'sgd';
}

/**
 * The `prepare` hook of the sweep: `training` of plain SGD on `data`, seeded; throws CancelledError when asked to stop.
 */
export function probeTraining(
  data: ImageDataset,
  training: ProbeTraining,
  seed: number,
  task?: LongTask,
): NonNullable<MlpSweepHooks['prepare']> {
  return async (model) => {
    const trainer = new Trainer(model, takeFirst(data, training.examples), {
      epochs: training.epochs,
      batchSize: training.batchSize,
      seed,
      optimizer: { kind: 'sgd', learningRate: training.learningRate, momentum: 0 },
      reportEvery: 1_000_000,
    });
    try {
      if ((await trainer.run({ isCancelled: task?.isCancelled })) === 'stopped') throw new CancelledError();
    } finally {
      trainer.dispose();
    }
    return undefined;
  };
}

/**
 * Perturbation stability across MLP width × depth × initialisation (Zhu et al., NeurIPS
 * 2022): build each configuration, optionally train it (the caller's `prepare` hook), measure its
 * stability on the given inputs, and hand the point to `onConfiguration` at once so a chart can
 * draw each curve as it fills in. Models are disposed after use; the order is init → depth → width,
 * so one curve (a fixed init and depth, along width) completes before the next begins. Given
 * several stability settings (one per ε), each network is built and prepared once and measured
 * at every one of them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Initialisation } from '../models/layers/initialisations';
import { buildMlp, type MlpConfig } from '../models/mlp';
import { lazyTrainingRatio, snapshotParameters } from '../metrics/parameterNorms';
import { perturbationStability, type StabilityEstimate, type StabilityOptions } from '../metrics/stability';
import { InvalidOptionError } from '../util/errors';
import { partOf, throwIfCancelled, type LongTask } from '../util/progress';

export interface MlpSweepGrid {
  widths: number[];
  depths: number[];
  inits: Initialisation[];
  useBias?: boolean;
  /** Seed of every network's initialisation (the same seed for each configuration). */
  seed?: number;
  classes?: number;
}

export interface MlpSweepPoint {
  width: number;
  depth: number;
  init: Initialisation;
  parameters: number;
  stability: StabilityEstimate;
  /** One estimate per stability setting, in the order given (the first is `stability`). */
  byEps: StabilityEstimate[];
  /** ‖θ − θ₀‖₂/‖θ₀‖₂ after `prepare`; null when nothing trained the network. */
  lazyTrainingRatio: number | null;
  /** What `prepare` reports of its training (the ratio after each epoch, accuracy), if it trained. */
  training?: PreparedTraining;
  seconds: number;
}

/** A training run's record, as the trained sweep keeps it (trainedStability.ts). */
export interface PreparedTraining {
  epochs: number;
  /** ‖θ_t − θ₀‖/‖θ₀‖ at the end of each epoch t = 1 … E. */
  lazyRatioByEpoch: number[];
  /** Mean training loss of the last epoch. */
  finalLoss: number;
  /** Accuracy on the held-out images after training, when there were any. */
  heldOutAccuracy?: number;
}

export interface MlpSweepHooks extends LongTask {
  /** Trains (or otherwise changes) the freshly built network before it is measured; may say how it trained. */
  prepare?: (model: tf.LayersModel, config: MlpConfig) => Promise<PreparedTraining | undefined>;
  /** Called as each configuration finishes, with its position in the sweep. */
  onConfiguration?: (point: MlpSweepPoint, index: number, total: number) => void;
}

export async function mlpStabilitySweep(
  grid: MlpSweepGrid,
  x: tf.Tensor4D,
  stability: StabilityOptions | readonly StabilityOptions[],
  hooks: MlpSweepHooks = {},
): Promise<MlpSweepPoint[]> {
  const settings: readonly StabilityOptions[] = Array.isArray(stability) ? stability : [stability as StabilityOptions];
  if (settings.length === 0) throw new InvalidOptionError('The sweep needs at least one ε.');
  if (grid.widths.length === 0 || grid.depths.length === 0 || grid.inits.length === 0) {
    throw new InvalidOptionError('The sweep needs at least one width, one depth and one initialisation.');
  }
  const configs: MlpConfig[] = [];
  for (const init of grid.inits) {
    for (const depth of grid.depths) {
      for (const width of grid.widths) {
        configs.push({
          width,
          depth,
          init,
          useBias: grid.useBias ?? false,
          seed: grid.seed ?? 0,
          inputShape: [x.shape[1], x.shape[2], x.shape[3]],
          classes: grid.classes ?? 10,
        });
      }
    }
  }
  const points: MlpSweepPoint[] = [];
  for (const [index, config] of configs.entries()) {
    throwIfCancelled(hooks);
    const started = performance.now();
    const model = buildMlp(config);
    try {
      let ratio: number | null = null;
      let training: PreparedTraining | undefined;
      if (hooks.prepare) {
        const initial = await snapshotParameters(model);
        training = (await hooks.prepare(model, config)) ?? undefined;
        ratio = (await lazyTrainingRatio(initial, model)).total;
      }
      const logits = (input: tf.Tensor4D) => model.apply(input, { training: false }) as tf.Tensor2D;
      const byEps: StabilityEstimate[] = [];
      for (const [k, setting] of settings.entries()) {
        byEps.push(
          await perturbationStability(
            logits,
            x,
            setting,
            partOf(
              partOf(hooks, index, configs.length),
              k,
              settings.length,
              `width ${config.width}, depth ${config.depth}, ${config.init}, ε = ${setting.eps}`,
            ),
          ),
        );
      }
      const point: MlpSweepPoint = {
        width: config.width,
        depth: config.depth,
        init: config.init,
        parameters: model.countParams(),
        stability: byEps[0],
        byEps,
        lazyTrainingRatio: ratio,
        ...(training ? { training } : {}),
        seconds: (performance.now() - started) / 1000,
      };
      points.push(point);
      hooks.onConfiguration?.(point, index, configs.length);
    } finally {
      model.dispose();
    }
  }
  return points;
}

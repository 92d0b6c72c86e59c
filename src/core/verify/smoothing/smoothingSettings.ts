/**
 * Randomized smoothing's settings as an experiment states them (Cohen, Rosenfeld & Kolter 2019, §3.2: n₀ selection
 * draws, n estimation draws, α), the σ it runs at, and how many noisy copies one forward pass may take.
 */
import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../../models/classifier';
import { trainingNoiseSigma } from '../../models/trainingNoise';
import { chunkSizeFor } from '../../util/memoryBudget';

/** Noisy copies per forward pass at most; lowered to fit the memory budget. */
const SMOOTHING_BATCH = 1000;

export interface SmoothingSettings {
  /** σ in pixel units; null: the σ the model was trained with (its metadata), else `fallbackSigma`. */
  sigma: number | null;
  fallbackSigma: number;
  n0: number;
  n: number;
  alpha: number;
}

/**
 * The σ smoothing runs at: the chosen one, else the model's training σ (smoothing certifies the classifier that
 * was trained under that noise, Cohen et al. §4), else the fallback.
 */
export function smoothingSigma(
  clf: Classifier,
  s: SmoothingSettings,
): { sigma: number; sigmaFrom: 'model' | 'chosen' } {
  if (s.sigma !== null) return { sigma: s.sigma, sigmaFrom: 'chosen' };
  const trained = trainingNoiseSigma(clf.meta);
  return trained !== null ? { sigma: trained, sigmaFrom: 'model' } : { sigma: s.fallbackSigma, sigmaFrom: 'chosen' };
}

/** Noisy copies per forward pass within the memory budget (measured once per model). */
export async function smoothingBatch(clf: Classifier): Promise<number> {
  const [h, w, c] = clf.meta.inputShape;
  return chunkSizeFor(SMOOTHING_BATCH, (m) => tf.tidy(() => clf.logits(tf.zeros([m, h, w, c]) as tf.Tensor4D)), {
    cache: { key: clf.model, kind: 'forward' },
  });
}

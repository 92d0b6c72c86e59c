/**
 * The Gaussian-noise σ a model was trained with, read from its metadata (no TensorFlow.js here, so the UI can
 * use it). Randomized smoothing certifies best at the σ the base classifier saw in training (Cohen, Rosenfeld &
 * Kolter 2019, §4: a model trained at σ is smoothed at the same σ), so the app proposes that σ.
 *
 * The command line records `--noise-sigma S` in the training command; the training lab records the objective's
 * description ("Gaussian data augmentation σ = S …") in the model's description. Either is read; nothing else is
 * guessed.
 */
import type { ModelMeta } from './modelMeta';

const COMMAND_SIGMA = /--noise-sigma[ =]([0-9]*\.?[0-9]+(?:e-?[0-9]+)?)/;
const DESCRIPTION_SIGMA = /Gaussian data augmentation σ = ([0-9]*\.?[0-9]+(?:e-?[0-9]+)?)/;

/** σ (pixel units) of the model's Gaussian-noise training, or null when its metadata records none. */
export function trainingNoiseSigma(meta: Pick<ModelMeta, 'description' | 'training'>): number | null {
  const match = meta.training?.command.match(COMMAND_SIGMA) ?? meta.description.match(DESCRIPTION_SIGMA);
  if (!match) return null;
  const sigma = Number(match[1]);
  return Number.isFinite(sigma) && sigma > 0 ? sigma : null;
}

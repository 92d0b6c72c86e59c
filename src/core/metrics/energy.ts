/**
 * JEM energy score and AUROC (Grathwohl et al., ICLR 2020, "Your Classifier is Secretly an Energy Based Model", §3).
 *
 * The classifier's logits define an energy E(x) = −logsumexp_y z_y(x); the score used for
 * out-of-distribution detection is −E(x) = logsumexp_y z_y(x): higher means more in-distribution.
 * Detection quality is the AUROC of that score with in-distribution examples labelled positive.
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';
import { logSumExpRow, type LogitTable } from './logitTable';

/** −E(x) = logsumexp(z) per example, on tensors: [n, k] → [n]. */
export function energyScoreTensor(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.logSumExp(logits, 1) as tf.Tensor1D);
}

/** −E(x) = logsumexp(z) per row of a logit table, in double precision. */
export function energyScores(t: LogitTable): Float64Array {
  const out = new Float64Array(t.n);
  for (let i = 0; i < t.n; i++) out[i] = logSumExpRow(t.logits, i * t.numClasses, t.numClasses);
  return out;
}

/**
 * Area under the ROC curve in its Mann–Whitney form: the probability that a random positive
 * scores above a random negative, ties counting one half. Computed from mid-ranks of the pooled
 * scores, AUROC = (R₊ − n₊(n₊+1)/2) / (n₊·n₋), in O(n log n); exact with ties.
 */
export function auroc(positive: ArrayLike<number>, negative: ArrayLike<number>): number {
  const np = positive.length;
  const nn = negative.length;
  if (np === 0 || nn === 0) throw new InvalidOptionError('AUROC needs at least one positive and one negative score.');
  const pooled: { v: number; pos: boolean }[] = [];
  for (let i = 0; i < np; i++) pooled.push({ v: positive[i], pos: true });
  for (let i = 0; i < nn; i++) pooled.push({ v: negative[i], pos: false });
  for (const p of pooled) if (Number.isNaN(p.v)) throw new InvalidOptionError('AUROC scores must not be NaN.');
  pooled.sort((a, b) => a.v - b.v);
  let rankSumPositive = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1].v === pooled[i].v) j++;
    // Ranks i+1 … j+1 are tied: each gets their mean.
    const midRank = (i + 1 + (j + 1)) / 2;
    for (let k = i; k <= j; k++) if (pooled[k].pos) rankSumPositive += midRank;
    i = j + 1;
  }
  return (rankSumPositive - (np * (np + 1)) / 2) / (np * nn);
}

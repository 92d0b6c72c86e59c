/**
 * JEM's energy score as an out-of-distribution detector (Grathwohl et al., ICLR 2020, §3).
 *
 * The score logsumexp_y z_y(x) = −E(x) of the in-distribution test images is compared with that of
 * inputs the model was never meant to see: uniform noise, the same digits inverted (white on
 * black becomes black on white), PGD adversarial examples of the test images, and any images the
 * user supplies. For each set we report the AUROC of in-distribution (positive) against it, for
 * the energy score and, as the usual baseline, for the maximum softmax probability.
 * An AUROC near 1 means the score separates the sets; 0.5 is chance; below 0.5 means the
 * outsiders look *more* in-distribution than the real images — typical of adversarial examples,
 * which PGD pushes to high confidence.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, imageSize, range, type ImageDataset } from '../data/dataset';
import { runAttack, disposeAttackRun } from '../attacks/runAttack';
import type { Classifier } from '../models/classifier';
import { auroc, energyScores } from '../metrics/energy';
import { approximateMassScores } from '../metrics/energyGradient';
import { histogram, type Histogram } from '../metrics/histogram';
import {
  confidenceAndCorrectness,
  datasetBatches,
  logitsOfBatches,
  makeLogitTable,
  type BatchMaker,
  type LogitTable,
} from '../metrics/logitTable';
import { InvalidOptionError } from '../util/errors';
import { partOf, type LongTask } from '../util/progress';
import { OOD_DESCRIPTIONS, type EnergySource, type OodSource } from './oodSources';

export interface EnergyOptions {
  /** Which out-of-distribution sets to build ('user' needs userImages). */
  sources: readonly OodSource[];
  /** ε of the PGD-10 L∞ adversarial set. */
  adversarialEps: number;
  seed: number;
  /** Images the user supplied, already in the model's input format, n × h × w × c in [0,1]. */
  userImages?: Float32Array;
  numBins?: number;
  batchSize?: number;
  /** Also JEM's approximate-mass score −‖∂E(x)/∂x‖ (§5.2): one input gradient per image. */
  gradientNorm?: boolean;
}

export interface EnergySet {
  source: EnergySource;
  description: string;
  n: number;
  scores: number[];
  /** In-distribution against this set (null for the in-distribution set itself). */
  aurocEnergy: number | null;
  aurocMaxSoftmax: number | null;
  /** AUROC of the approximate-mass score −‖∂E/∂x‖, when asked for. */
  aurocGradientNorm?: number | null;
}

export interface EnergyAnalysisResult {
  sets: EnergySet[];
  /** One shared range of bins, so that the histograms overlay. */
  histograms: { source: EnergySet['source']; histogram: Histogram }[];
}

export const DEFAULT_ENERGY_BINS = 30;

function batchMaker(
  source: EnergySource,
  clf: Classifier,
  data: ImageDataset,
  o: EnergyOptions,
): { count: number; make: BatchMaker } {
  const [h, w, c] = clf.meta.inputShape;
  const testBatch = (start: number, end: number) => batchTensors(data, range(start, end));
  switch (source) {
    case 'in-distribution':
      return { count: data.count, make: datasetBatches(data) };
    case 'uniform':
      return {
        count: data.count,
        make: async (s, e) => tf.randomUniform([e - s, h, w, c], 0, 1, 'float32', o.seed + 1 + s) as tf.Tensor4D,
      };
    case 'inverted':
      return {
        count: data.count,
        make: async (s, e) => {
          const { x, y } = testBatch(s, e);
          const inv = tf.tidy(() => tf.sub(1, x) as tf.Tensor4D);
          tf.dispose([x, y]);
          return inv;
        },
      };
    case 'adversarial':
      return {
        count: data.count,
        make: async (s, e) => {
          const { x, y } = testBatch(s, e);
          try {
            const run = await runAttack(clf.logits, x, y, clf.meta.classNames.length, {
              method: 'pgd',
              norm: 'linf',
              eps: o.adversarialEps,
              steps: 10,
              restarts: 1,
              target: { kind: 'untargeted' },
              seed: o.seed + s,
            });
            const adv = run.adversarial.clone();
            disposeAttackRun(run);
            return adv;
          } finally {
            tf.dispose([x, y]);
          }
        },
      };
    case 'user': {
      const per = h * w * c;
      const images = o.userImages;
      if (!images || images.length === 0 || images.length % per !== 0) {
        throw new InvalidOptionError(
          `Your images must come as whole ${h}×${w}×${c} images; got ${images?.length ?? 0} values.`,
        );
      }
      return {
        count: images.length / per,
        make: async (s, e) => tf.tensor4d(images.subarray(s * per, e * per), [e - s, h, w, c]),
      };
    }
  }
}

/** In-distribution scores and one set per requested source, with AUROCs and shared-range histograms. */
export async function energyAnalysis(
  clf: Classifier,
  data: ImageDataset,
  o: EnergyOptions,
  task?: LongTask,
): Promise<EnergyAnalysisResult> {
  if (data.count < 1) throw new InvalidOptionError('The energy analysis needs at least one test image.');
  if (imageSize(data) !== clf.meta.inputShape.reduce((a, b) => a * b, 1))
    throw new InvalidOptionError('The test images do not fit the model input.');
  if (!(o.adversarialEps > 0 && o.adversarialEps <= 1))
    throw new InvalidOptionError(`The adversarial ε must be in (0, 1], got ${o.adversarialEps}.`);
  const batchSize = o.batchSize ?? 256;
  const sources: EnergySource[] = ['in-distribution', ...o.sources];

  const k = clf.meta.classNames.length;
  const tables: LogitTable[] = [];
  const gradientScores: Float32Array[] = [];
  for (const [i, source] of sources.entries()) {
    const maker = batchMaker(source, clf, data, o);
    const { count } = maker;
    let make = maker.make;
    if (o.gradientNorm) {
      // The same batches, scored on the way through (an adversarial batch is crafted once).
      const scores = new Float32Array(count);
      gradientScores.push(scores);
      make = async (s, e) => {
        const x = await maker.make(s, e);
        scores.set(await approximateMassScores(clf.logits, x), s);
        return x;
      };
    }
    const logits = await logitsOfBatches(clf.logits, count, make, k, {
      ...partOf(task, i, sources.length),
      batchSize,
      label: OOD_DESCRIPTIONS[source],
    });
    // Labels play no part in energy or max-softmax scores.
    tables.push(makeLogitTable(logits, new Int32Array(count), k));
  }

  const energy = tables.map(energyScores);
  const maxSoftmax = tables.map((t) => confidenceAndCorrectness(t).confidence);
  const sets: EnergySet[] = sources.map((source, i) => ({
    source,
    description: OOD_DESCRIPTIONS[source],
    n: tables[i].n,
    scores: Array.from(energy[i]),
    aurocEnergy: i === 0 ? null : auroc(energy[0], energy[i]),
    aurocMaxSoftmax: i === 0 ? null : auroc(maxSoftmax[0], maxSoftmax[i]),
    ...(o.gradientNorm ? { aurocGradientNorm: i === 0 ? null : auroc(gradientScores[0], gradientScores[i]) } : {}),
  }));

  let lo = Infinity;
  let hi = -Infinity;
  for (const e of energy) {
    for (const v of e) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const numBins = o.numBins ?? DEFAULT_ENERGY_BINS;
  return {
    sets,
    histograms: sets.map((s, i) => ({ source: s.source, histogram: histogram(energy[i], lo, hi, numBins) })),
  };
}

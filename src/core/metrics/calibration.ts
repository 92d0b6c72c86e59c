/**
 * Reliability diagram, expected and maximum calibration error (Guo et al., ICML 2017, §2).
 *
 * Confidence = the largest softmax probability. M equal-width bins on [0, 1] with (lo, hi] edges,
 * the first bin closed, [0, 1/M], so a confidence of exactly 0 is counted (it cannot occur with a
 * softmax, but hand-built inputs can have it). Every returned diagram states M and this convention.
 *
 *   ECE = Σ_m (|B_m|/n)·|acc(B_m) − conf(B_m)|
 *   MCE = max over non-empty bins of |acc(B_m) − conf(B_m)|
 *
 * Empty bins are skipped: they carry no weight in the ECE and have no gap to take a maximum of.
 */
import { ANALYSIS_FIELDS } from '../options/analysisOptions';
import { InvalidOptionError } from '../util/errors';
import { BIN_EDGE_CONVENTION, binEdges, binIndex, checkBinCount, histogram, type Histogram } from './histogram';
import { confidenceAndCorrectness, type LogitTable } from './logitTable';

/** Guo et al. 2017's choice (netcal defaults to 10). */
export const DEFAULT_CALIBRATION_BINS: number = ANALYSIS_FIELDS.bins.default;

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  /** Fraction correct in the bin; null when empty. */
  accuracy: number | null;
  /** Mean confidence in the bin; null when empty. */
  confidence: number | null;
}

export interface ReliabilityDiagram {
  numBins: number;
  edgeConvention: typeof BIN_EDGE_CONVENTION;
  n: number;
  bins: ReliabilityBin[];
  /** Expected calibration error over the non-empty bins. */
  ece: number;
  /** Maximum calibration error over the non-empty bins (0 when every bin is empty). */
  mce: number;
  accuracy: number;
  meanConfidence: number;
}

export function reliabilityDiagram(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  numBins = DEFAULT_CALIBRATION_BINS,
): ReliabilityDiagram {
  checkBinCount(numBins);
  const n = confidence.length;
  if (correct.length !== n) throw new InvalidOptionError(`${n} confidences but ${correct.length} correctness values.`);
  const edges = binEdges(0, 1, numBins);
  const count = new Array<number>(numBins).fill(0);
  const hits = new Array<number>(numBins).fill(0);
  const confSum = new Array<number>(numBins).fill(0);
  let totalHits = 0;
  let totalConf = 0;
  for (let i = 0; i < n; i++) {
    const c = confidence[i];
    if (!(c >= 0 && c <= 1)) throw new InvalidOptionError(`Confidence ${c} at index ${i} is outside [0, 1].`);
    const m = binIndex(c, edges);
    const hit = correct[i] ? 1 : 0;
    count[m]++;
    hits[m] += hit;
    confSum[m] += c;
    totalHits += hit;
    totalConf += c;
  }
  let ece = 0;
  let mce = 0;
  const bins: ReliabilityBin[] = count.map((k, m) => {
    if (k === 0) return { lo: edges[m], hi: edges[m + 1], count: 0, accuracy: null, confidence: null };
    const acc = hits[m] / k;
    const conf = confSum[m] / k;
    const gap = Math.abs(acc - conf);
    ece += (k / n) * gap;
    mce = Math.max(mce, gap);
    return { lo: edges[m], hi: edges[m + 1], count: k, accuracy: acc, confidence: conf };
  });
  return {
    numBins,
    edgeConvention: BIN_EDGE_CONVENTION,
    n,
    bins,
    ece,
    mce,
    accuracy: n ? totalHits / n : NaN,
    meanConfidence: n ? totalConf / n : NaN,
  };
}

export function expectedCalibrationError(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  numBins = DEFAULT_CALIBRATION_BINS,
): number {
  return reliabilityDiagram(confidence, correct, numBins).ece;
}

export function maxCalibrationError(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  numBins = DEFAULT_CALIBRATION_BINS,
): number {
  return reliabilityDiagram(confidence, correct, numBins).mce;
}

/** How many predictions fall at each confidence level, with the same bins as the diagram. */
export function confidenceHistogram(confidence: ArrayLike<number>, numBins = DEFAULT_CALIBRATION_BINS): Histogram {
  return histogram(confidence, 0, 1, numBins);
}

/** The reliability diagram of softmax(z/T) for a table of logits. */
export function reliabilityOfLogits(
  t: LogitTable,
  temperature = 1,
  numBins = DEFAULT_CALIBRATION_BINS,
): ReliabilityDiagram {
  const { confidence, correct } = confidenceAndCorrectness(t, temperature);
  return reliabilityDiagram(confidence, correct, numBins);
}

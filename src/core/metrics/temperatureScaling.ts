/**
 * Temperature scaling (Guo et al., ICML 2017, §4.2): one scalar T > 0, logits divided by T,
 * fitted by minimising the NLL on a held-out split — never on the split the ECE is reported on.
 * Accuracy is unchanged (argmax is invariant to T > 0).
 *
 * The search is golden-section on s = log T. Why that is enough: with β = 1/T the NLL is
 * Σ_i logsumexp(β·z_i) − β·z_{i,y_i}, convex in β; s ↦ β = e^{−s} is monotone, so the NLL is
 * unimodal in s and golden-section finds its minimum without derivatives, with a fixed,
 * deterministic sequence of evaluations. Parameterising by log T keeps T > 0 (as the spec asks).
 */
import { ANALYSIS_FIELDS } from '../options/analysisOptions';
import { seededPermutation } from '../util/random';
import { InvalidOptionError } from '../util/errors';
import { DEFAULT_CALIBRATION_BINS, reliabilityOfLogits, type ReliabilityDiagram } from './calibration';
import { meanNll, selectRows, type LogitTable } from './logitTable';

/** The search bracket for T: wide enough for any sane network, narrow enough to stay finite. */
export const MIN_TEMPERATURE = 0.01;
export const MAX_TEMPERATURE = 100;
/** Stop when the bracket on log T is this narrow (T known to about 1e-7 relative). */
export const LOG_T_TOLERANCE = 1e-7;
/** Half for fitting T, half for reporting, unless told otherwise. */
export const DEFAULT_FIT_FRACTION: number = ANALYSIS_FIELDS.fitFraction.default;

const GOLDEN = (Math.sqrt(5) - 1) / 2;

export interface TemperatureFit {
  temperature: number;
  /** NLL on the fitting split at T = 1 and at the fitted T. */
  nllBefore: number;
  nllAfter: number;
  fitN: number;
  /** Evaluations of the NLL the search used. */
  evaluations: number;
  /** True when the optimum lies at the edge of [MIN_TEMPERATURE, MAX_TEMPERATURE]. */
  atBoundary: boolean;
}

/** Fits T on the whole table given (which must be the held-out split). */
export function fitTemperature(fit: LogitTable): TemperatureFit {
  if (fit.n === 0) throw new InvalidOptionError('Temperature scaling needs at least one held-out example.');
  let a = Math.log(MIN_TEMPERATURE);
  let b = Math.log(MAX_TEMPERATURE);
  const f = (s: number) => meanNll(fit, Math.exp(s));
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = f(c);
  let fd = f(d);
  let evaluations = 2;
  while (b - a > LOG_T_TOLERANCE) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = f(d);
    }
    evaluations++;
  }
  const s = (a + b) / 2;
  const temperature = Math.exp(s);
  const edge = 1e-4;
  return {
    temperature,
    nllBefore: meanNll(fit, 1),
    nllAfter: meanNll(fit, temperature),
    fitN: fit.n,
    evaluations,
    atBoundary: s - Math.log(MIN_TEMPERATURE) < edge || Math.log(MAX_TEMPERATURE) - s < edge,
  };
}

/** A seeded split of 0…n−1 into a fitting part and a disjoint reporting part. */
export function heldOutSplit(n: number, fitFraction: number, seed: number): { fit: Int32Array; report: Int32Array } {
  if (!(fitFraction > 0 && fitFraction < 1))
    throw new InvalidOptionError(`The fitting fraction must be strictly between 0 and 1, got ${fitFraction}.`);
  const nFit = Math.round(n * fitFraction);
  if (nFit < 1 || nFit > n - 1)
    throw new InvalidOptionError(`${n} examples cannot be split into a fitting and a reporting part.`);
  const p = seededPermutation(n, seed);
  return { fit: p.slice(0, nFit), report: p.slice(nFit) };
}

export interface CalibrationReport {
  fit: TemperatureFit;
  reportN: number;
  /** On the reporting split, at T = 1 and at the fitted T. */
  before: ReliabilityDiagram & { nll: number };
  after: ReliabilityDiagram & { nll: number };
}

/** Splits the table, fits T on one part, and reports calibration before and after on the other. */
export function temperatureScalingReport(
  t: LogitTable,
  o: { fitFraction?: number; seed?: number; numBins?: number } = {},
): CalibrationReport {
  const { fit, report } = heldOutSplit(t.n, o.fitFraction ?? DEFAULT_FIT_FRACTION, o.seed ?? 0);
  const fitted = fitTemperature(selectRows(t, fit));
  const rep = selectRows(t, report);
  const bins = o.numBins ?? DEFAULT_CALIBRATION_BINS;
  return {
    fit: fitted,
    reportN: rep.n,
    before: { ...reliabilityOfLogits(rep, 1, bins), nll: meanNll(rep, 1) },
    after: { ...reliabilityOfLogits(rep, fitted.temperature, bins), nll: meanNll(rep, fitted.temperature) },
  };
}

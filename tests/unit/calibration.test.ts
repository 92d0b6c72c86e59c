/**
 * Calibration (Guo et al. 2017; Grathwohl et al. 2020): ECE and MCE on hand-built cases, the (lo, hi] bin convention,
 * temperature scaling recovering a known T, the energy score and AUROC.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { mnistTestFirst, smallClassifier, useWasm } from './helpers/env';
import { normals, uniforms } from './helpers/random';
import {
  confidenceHistogram,
  expectedCalibrationError,
  maxCalibrationError,
  reliabilityDiagram,
  reliabilityOfLogits,
} from '../../src/core/metrics/calibration';
import { auroc, energyScores, energyScoreTensor } from '../../src/core/metrics/energy';
import { binIndex, binEdges, BIN_EDGE_CONVENTION } from '../../src/core/metrics/histogram';
import {
  collectLogits,
  confidenceAndCorrectness,
  makeLogitTable,
  meanNll,
  type LogitTable,
} from '../../src/core/metrics/logitTable';
import { batchTensors, range } from '../../src/core/data/dataset';
import { fitTemperature, heldOutSplit, temperatureScalingReport } from '../../src/core/metrics/temperatureScaling';
import { mulberry32 } from '../../src/core/util/random';
import { InvalidOptionError } from '../../src/core/util/errors';

beforeAll(useWasm);

describe('reliability bins, ECE, MCE', () => {
  test('hand-built case with an empty bin, 4 bins', () => {
    // Bins [0, .25], (.25, .5], (.5, .75], (.75, 1]; 0.25 sits on an edge and belongs to the first bin.
    const conf = [0.2, 0.25, 0.6, 0.7, 0.9, 1.0];
    const correct = [0, 1, 1, 0, 1, 1];
    const d = reliabilityDiagram(conf, correct, 4);
    expect(d.edgeConvention).toBe(BIN_EDGE_CONVENTION);
    expect(d.bins.map((b) => b.count)).toEqual([2, 0, 2, 2]);
    expect(d.bins[1]).toMatchObject({ count: 0, accuracy: null, confidence: null });
    expect(d.bins[0].accuracy).toBeCloseTo(0.5, 12);
    expect(d.bins[0].confidence).toBeCloseTo(0.225, 12);
    // ECE = (2/6)(|0.5 − 0.225| + |0.5 − 0.65| + |1 − 0.95|); the empty bin adds nothing.
    expect(d.ece).toBeCloseTo((0.275 + 0.15 + 0.05) / 3, 12);
    // MCE over non-empty bins only (an empty bin would otherwise count as a gap of 0 or NaN).
    expect(d.mce).toBeCloseTo(0.275, 12);
    expect(d.accuracy).toBeCloseTo(4 / 6, 12);
    expect(expectedCalibrationError(conf, correct, 4)).toBe(d.ece);
    expect(maxCalibrationError(conf, correct, 4)).toBe(d.mce);
  });

  test('perfect calibration gives 0; everything in one bin gives ECE = MCE = that gap', () => {
    expect(expectedCalibrationError([0.8, 0.8, 0.8, 0.8, 0.8], [1, 1, 1, 1, 0])).toBeCloseTo(0, 12);
    const d = reliabilityDiagram([0.95, 0.97, 0.99], [1, 0, 1]);
    expect(d.bins.filter((b) => b.count > 0)).toHaveLength(1);
    expect(d.ece).toBeCloseTo(Math.abs(2 / 3 - 0.97), 12);
    expect(d.mce).toBeCloseTo(d.ece, 12);
  });

  test(
    'edge convention with the default 15 bins: m/15 falls in bin m−1, just above it in bin m; 0 in the ' + 'first',
    () => {
      const edges = binEdges(0, 1, 15);
      for (let m = 1; m <= 15; m++) {
        expect(binIndex(m / 15, edges)).toBe(m - 1);
        if (m < 15) expect(binIndex(m / 15 + 1e-12, edges)).toBe(m);
      }
      expect(binIndex(0, edges)).toBe(0);
      // 0.2 = 3/15 exactly in decimal but not in binary: it still belongs to the bin (0.1333…, 0.2].
      expect(binIndex(0.2, edges)).toBe(2);
      const d = reliabilityDiagram([0, 1 / 15, 1], [1, 1, 1]);
      expect(d.numBins).toBe(15);
      expect(d.bins[0].count).toBe(2);
      expect(d.bins[14].count).toBe(1);
    },
  );

  test('matches a brute-force ECE/MCE on random data', () => {
    const conf = Array.from(uniforms(5000, 3, 0.1, 1));
    const rand = mulberry32(4);
    const correct = conf.map((c) => (rand() < c * c ? 1 : 0));
    for (const M of [1, 7, 15]) {
      let ece = 0;
      let mce = 0;
      for (let m = 0; m < M; m++) {
        const inBin = conf
          .map((_c, i) => i)
          .filter((i) => (m === 0 ? conf[i] >= 0 : conf[i] > m / M) && conf[i] <= (m + 1) / M);
        if (inBin.length === 0) continue;
        const acc = inBin.reduce((s, i) => s + correct[i], 0) / inBin.length;
        const cf = inBin.reduce((s, i) => s + conf[i], 0) / inBin.length;
        ece += (inBin.length / conf.length) * Math.abs(acc - cf);
        mce = Math.max(mce, Math.abs(acc - cf));
      }
      const d = reliabilityDiagram(conf, correct, M);
      expect(d.ece).toBeCloseTo(ece, 10);
      expect(d.mce).toBeCloseTo(mce, 10);
      expect(d.bins.reduce((s, b) => s + b.count, 0)).toBe(5000);
    }
  });

  test('confidence histogram uses the same bins; bad inputs are refused', () => {
    const h = confidenceHistogram([0, 0.5, 0.51, 1], 2);
    expect(h.counts).toEqual([2, 2]);
    expect(h.edges).toEqual([0, 0.5, 1]);
    expect(() => reliabilityDiagram([1.2], [1])).toThrow(InvalidOptionError);
    expect(() => reliabilityDiagram([0.5], [1], 0)).toThrow(InvalidOptionError);
    expect(() => reliabilityDiagram([0.5, 0.6], [1])).toThrow(InvalidOptionError);
  });

  test('collectLogits reads a data set back in batches, equal to one forward pass, without leaks', async () => {
    const clf = smallClassifier(5);
    const ds = await mnistTestFirst(10);
    const before = tf.memory().numTensors;
    const t = await collectLogits(clf.logits, ds, 10, { batchSize: 4 });
    expect(tf.memory().numTensors).toBe(before);
    const { x, y } = batchTensors(ds, range(0, 10));
    const z = clf.logits(x);
    const direct = z.dataSync();
    for (let i = 0; i < direct.length; i++) expect(t.logits[i]).toBeCloseTo(direct[i], 5);
    expect(Array.from(t.labels)).toEqual(Array.from(ds.labels));
    tf.dispose([x, y, z]);
    clf.model.dispose();
  });

  test('confidence from logits is the max softmax; correctness is argmax = label', () => {
    const logits = [2, 1, 0, -1, 3, 0.5];
    const t = makeLogitTable(logits, [0, 0], 3);
    const { confidence, correct } = confidenceAndCorrectness(t);
    const soft = tf.tidy(() => tf.max(tf.softmax(tf.tensor2d(logits, [2, 3])), 1).arraySync() as number[]);
    expect(confidence[0]).toBeCloseTo(soft[0], 6);
    expect(confidence[1]).toBeCloseTo(soft[1], 6);
    expect(Array.from(correct)).toEqual([1, 0]);
    expect(reliabilityOfLogits(t).n).toBe(2);
  });
});

/** n rows of k logits ~ N(0, scale²); labels drawn from softmax(z / T). */
function syntheticLogits(n: number, k: number, scale: number, trueT: number, seed: number): LogitTable {
  const z = normals(n * k, seed, scale);
  const rand = mulberry32(seed + 1);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = Array.from(z.subarray(i * k, (i + 1) * k), (v) => v / trueT);
    const m = Math.max(...row);
    const p = row.map((v) => Math.exp(v - m));
    const total = p.reduce((a, b) => a + b, 0);
    let u = rand() * total;
    let y = 0;
    while (y < k - 1 && u > p[y]) u -= p[y++];
    labels[i] = y;
  }
  return makeLogitTable(z, labels, k);
}

describe('temperature scaling', () => {
  test.each([2.5, 0.5])('recovers T = %s from labels sampled from softmax(z/T)', (trueT) => {
    const t = syntheticLogits(20000, 10, 3, trueT, 17);
    const fit = fitTemperature(t);
    expect(Math.abs(fit.temperature - trueT) / trueT).toBeLessThan(0.05);
    expect(fit.atBoundary).toBe(false);
    expect(fit.nllAfter).toBeLessThanOrEqual(fit.nllBefore);
  });

  test('the golden-section optimum is the minimum of a fine scan, and the search is deterministic', () => {
    const t = syntheticLogits(3000, 5, 2, 1.7, 5);
    const fit = fitTemperature(t);
    let best = { T: 0, nll: Infinity };
    for (let s = Math.log(0.5); s <= Math.log(5); s += 0.001) {
      const nll = meanNll(t, Math.exp(s));
      if (nll < best.nll) best = { T: Math.exp(s), nll };
    }
    expect(Math.abs(fit.temperature - best.T) / best.T).toBeLessThan(2e-3);
    expect(fit.nllAfter).toBeLessThanOrEqual(best.nll + 1e-12);
    expect(fitTemperature(t)).toEqual(fit);
  });

  test('report: T is fitted on one split, ECE improves on the other, accuracy is unchanged', () => {
    const t = syntheticLogits(8000, 10, 3, 2.5, 23);
    const r = temperatureScalingReport(t, { seed: 1 });
    expect(r.fit.fitN + r.reportN).toBe(8000);
    expect(r.after.ece).toBeLessThan(r.before.ece);
    expect(r.after.nll).toBeLessThan(r.before.nll);
    expect(r.after.accuracy).toBe(r.before.accuracy);
    const { fit, report } = heldOutSplit(10, 0.3, 2);
    expect(fit.length).toBe(3);
    expect(new Set([...fit, ...report]).size).toBe(10);
    expect(() => heldOutSplit(10, 1, 0)).toThrow(InvalidOptionError);
  });
});

describe('energy score and AUROC', () => {
  test('−E(x) = logsumexp(z), on tensors and on tables, without leaking tensors', () => {
    const z = [1, 2, 3, -1, 0, 1000];
    const t = makeLogitTable(z, [0, 0], 3);
    const s = energyScores(t);
    expect(s[0]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 12);
    expect(s[1]).toBeCloseTo(1000, 9);
    const before = tf.memory().numTensors;
    const logits = tf.tensor2d(z, [2, 3]);
    const e = energyScoreTensor(logits);
    const ev = e.dataSync();
    expect(ev[0]).toBeCloseTo(s[0], 4);
    expect(ev[1]).toBeCloseTo(1000, 2);
    tf.dispose([logits, e]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('AUROC hand cases: separation, reversal, all ties, partial ties', () => {
    expect(auroc([3, 4, 5], [0, 1, 2])).toBe(1);
    expect(auroc([0, 1], [2, 3, 4])).toBe(0);
    expect(auroc([1, 1, 1], [1, 1])).toBe(0.5);
    // Pairs (pos, neg): (1,2) 0, (1,0) 1, (2,2) ½, (2,0) 1, (3,2) 1, (3,0) 1 → 4.5/6.
    expect(auroc([1, 2, 3], [2, 0])).toBeCloseTo(0.75, 12);
    // Equal to the pairwise definition on random scores with many ties.
    const pos = Array.from(uniforms(300, 8), (v) => Math.round(v * 10));
    const neg = Array.from(uniforms(200, 9), (v) => Math.round(v * 8));
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    expect(auroc(pos, neg)).toBeCloseTo(wins / (pos.length * neg.length), 12);
    expect(() => auroc([], [1])).toThrow(InvalidOptionError);
  });
});

/**
 * The shared axes of the accuracy-against-ε charts (src/ui/common/chartAxes.ts), against cases worked out by hand:
 * the accuracy axis snaps to round numbers just outside the data, the ε ticks are the measured values when they can be
 * labelled and round numbers otherwise; the value axis of a histogram or a scatter snaps outwards to round ticks, and
 * the log axis spans whole decades.
 */
import { describe, expect, test } from 'vitest';
import {
  FULL_ACCURACY_AXIS,
  accuracyAxis,
  epsAxis,
  formatTick,
  logAxis,
  roundStep,
  valueAxis,
} from '../../src/ui/common/chartAxes';

describe('roundStep', () => {
  test('picks the smallest of 1, 2, 2.5, 5 × 10^k that covers the range in at most five steps', () => {
    // 0.90–0.97: 0.01 needs 7 steps, 0.02 needs 0.90→0.98 = 4.
    expect(roundStep(0.9, 0.97)).toEqual({ step: 0.02, lo: 0.9, hi: 0.98 });
    // 0–0.3: 0.05 needs 6, 0.1 needs 3.
    expect(roundStep(0, 0.3)).toEqual({ step: 0.1, lo: 0, hi: 0.3 });
    // 0–0.99: 0.1 needs 10, 0.2 needs 0→1 = 5.
    expect(roundStep(0, 0.99)).toEqual({ step: 0.2, lo: 0, hi: 1 });
    // 0.61–0.73: 0.02 gives 0.60→0.74 = 7, 0.025 gives 0.600→0.750 = 6, 0.05 gives 0.60→0.75 = 3.
    expect(roundStep(0.61, 0.73)).toEqual({ step: 0.05, lo: 0.6, hi: 0.75 });
    // 0–2.4 (an L2 radius): 0.5 needs 5.
    expect(roundStep(0, 2.4)).toEqual({ step: 0.5, lo: 0, hi: 2.5 });
  });

  test('respects a smallest step', () => {
    expect(roundStep(0.951, 0.953, 5, 0.01)).toEqual({ step: 0.01, lo: 0.95, hi: 0.96 });
  });
});

describe('accuracyAxis', () => {
  test('curves between 90 and 97 % get 90–98 % in steps of 2 points, not a strip of 0–100 %', () => {
    expect(accuracyAxis([0.93, 0.9, 0.97, 0.955])).toEqual({
      domain: [0.9, 0.98],
      ticks: [0.9, 0.92, 0.94, 0.96, 0.98],
    });
  });

  test('a curve that falls to 0 keeps the whole axis, in fifths', () => {
    expect(accuracyAxis([0.99, 0.5, 0.01, 0])).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  });

  test('the full axis on request, or when there is nothing to fit', () => {
    expect(accuracyAxis([0.93, 0.97], true)).toEqual(FULL_ACCURACY_AXIS);
    expect(accuracyAxis([])).toEqual(FULL_ACCURACY_AXIS);
    expect(accuracyAxis([null, undefined, Number.NaN])).toEqual(FULL_ACCURACY_AXIS);
    expect(FULL_ACCURACY_AXIS).toEqual({ domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] });
  });

  test('one value on a tick gets a step above it, or below it at 100 %', () => {
    expect(accuracyAxis([0.95, 0.95])).toEqual({ domain: [0.95, 0.96], ticks: [0.95, 0.96] });
    expect(accuracyAxis([1])).toEqual({ domain: [0.99, 1], ticks: [0.99, 1] });
  });

  test('ignores missing points (a certified curve with no value at some ε)', () => {
    expect(accuracyAxis([0.5, null, 1])).toEqual({ domain: [0.5, 1], ticks: [0.5, 0.6, 0.7, 0.8, 0.9, 1] });
  });
});

describe('epsAxis', () => {
  test('a few measured ε values are the ticks, with 0', () => {
    expect(epsAxis([0, 0.02, 0.05, 0.1])).toEqual({ domain: [0, 0.1], ticks: [0, 0.02, 0.05, 0.1] });
    // Yan et al.'s FGSM budgets; 0 was not measured but is where the axis starts.
    expect(epsAxis([0.15, 0.3, 0.5])).toEqual({ domain: [0, 0.5], ticks: [0, 0.15, 0.3, 0.5] });
    // Duplicates (one per model) count once.
    expect(epsAxis([0.3, 0.1, 0.2, 0.1, 0.3])).toEqual({ domain: [0, 0.3], ticks: [0, 0.1, 0.2, 0.3] });
  });

  test('values too close to label apart give round numbers instead', () => {
    // Gaps of 0.01 on an axis of 0.3 (less than a twelfth, 0.025): 0, 0.1, 0.2, 0.3.
    expect(epsAxis([0, 0.01, 0.02, 0.03, 0.3])).toEqual({ domain: [0, 0.3], ticks: [0, 0.1, 0.2, 0.3] });
  });

  test('too many values give round numbers; the last tick may stop short of the largest ε', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => (i * 0.3) / 10);
    expect(epsAxis(eleven)).toEqual({ domain: [0, 0.3], ticks: [0, 0.1, 0.2, 0.3] });
    // Ten values 0–0.45: round step 0.1 (0.05 would need 9 intervals), ticks up to 0.4.
    const ten = Array.from({ length: 10 }, (_, i) => i * 0.05);
    expect(epsAxis(ten)).toEqual({ domain: [0, 0.45], ticks: [0, 0.1, 0.2, 0.3, 0.4] });
  });

  test('never the fifths of the largest ε that match no measurement', () => {
    const { ticks } = epsAxis([0, 0.1, 0.2, 0.3]);
    for (const t of [0.075, 0.15, 0.225]) expect(ticks).not.toContain(t);
  });

  test('nothing measured above 0', () => {
    expect(epsAxis([])).toEqual({ domain: [0, 1], ticks: [0, 1] });
    expect(epsAxis([0])).toEqual({ domain: [0, 1], ticks: [0, 1] });
  });
});

test('formatTick: three significant digits, no trailing zeros', () => {
  expect(formatTick(50 / 255)).toBe('0.196');
  expect(formatTick(0.05)).toBe('0.05');
  expect(formatTick(0.30000000000000004)).toBe('0.3');
  expect(formatTick(0)).toBe('0');
});

describe('valueAxis', () => {
  test('snaps outwards to round ticks, at most five intervals', () => {
    // −3.2 to 7.9: a span of 11.1; 2 needs −4→8 = 6 steps, 2.5 needs −5→10 = 6, 5 needs −5→10 = 3.
    expect(valueAxis([-3.2, 0.4, 7.9])).toEqual({ domain: [-5, 10], ticks: [-5, 0, 5, 10] });
    // 11.3 to 12.7: 0.25 needs 11.25→12.75 = 6, 0.5 needs 11→13 = 4.
    expect(valueAxis([12.7, 11.3])).toEqual({ domain: [11, 13], ticks: [11, 11.5, 12, 12.5, 13] });
  });

  test('counts: from 0 in whole steps', () => {
    // 0–37 images: 5 needs 8 steps, 10 needs 0→40 = 4.
    expect(valueAxis([3, 37, 12], { from0: true, integer: true })).toEqual({
      domain: [0, 40],
      ticks: [0, 10, 20, 30, 40],
    });
    // 0–3 images: never a step of half an image (0.5 would fit six… and 1 fits three).
    expect(valueAxis([1, 3], { from0: true, integer: true })).toEqual({ domain: [0, 3], ticks: [0, 1, 2, 3] });
    // Nothing counted: 0 to 1, not an empty range.
    expect(valueAxis([0, 0], { from0: true, integer: true })).toEqual({ domain: [0, 1], ticks: [0, 1] });
  });
});

describe('logAxis', () => {
  test('spans whole decades, ticked at the powers of ten', () => {
    // 0.003 to 45: from 10^−3 to 10^2.
    expect(logAxis([0.003, 0.5, 45])).toEqual({ domain: [0.001, 100], ticks: [0.001, 0.01, 0.1, 1, 10, 100] });
    // Zeros and negatives have no place on a log axis: ignored.
    expect(logAxis([0, -1, 0.02, 0.7]).domain).toEqual([0.01, 1]);
  });

  test('within one decade, 2 and 5 times its start are ticks too', () => {
    expect(logAxis([0.12, 0.8])).toEqual({ domain: [0.1, 1], ticks: [0.1, 0.2, 0.5, 1] });
    // A value that is itself a power of ten: the decade above it.
    expect(logAxis([10])).toEqual({ domain: [10, 100], ticks: [10, 20, 50, 100] });
  });
});

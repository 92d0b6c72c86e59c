/**
 * thinSeries (src/ui/common/thinSeries.ts) against hand-counted cases: short series untouched, long ones cut to at
 * most the limit with the first and last points kept, and points already drawn staying put as the series grows.
 */
import { describe, expect, test } from 'vitest';
import { thinSeries } from '../../src/ui/common/thinSeries';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('thinSeries', () => {
  test('a series within the limit is returned as it is', () => {
    expect(thinSeries(range(5), 5)).toEqual([0, 1, 2, 3, 4]);
  });

  test('11 points with a limit of 5: every 4th (0, 4, 8) and the last (10)', () => {
    // stride 2 would keep 0,2,…,10 (6 points) > 5; stride 4 keeps 0,4,8 and adds 10: 4 points.
    expect(thinSeries(range(11), 5)).toEqual([0, 4, 8, 10]);
  });

  test('the last point is not repeated when the stride lands on it', () => {
    expect(thinSeries(range(9), 5)).toEqual([0, 4, 8]);
  });

  test('at every length up to 5,000 the limit holds and the first and last points are kept', () => {
    for (let n = 1; n <= 5000; n += 7) {
      const kept = thinSeries(range(n), 200);
      expect(kept.length).toBeLessThanOrEqual(200);
      expect(kept[0]).toBe(0);
      expect(kept.at(-1)).toBe(n - 1);
      for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1]);
    }
  });

  test('growing by one point keeps every drawn point but the old last, until the stride doubles', () => {
    const before = thinSeries(range(1000), 200).slice(0, -1);
    const after = thinSeries(range(1001), 200);
    expect(after.slice(0, before.length)).toEqual(before);
  });
});

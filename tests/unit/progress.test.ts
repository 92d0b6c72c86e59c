/**
 * The progress splitters of src/core/util/progress.ts against hand-computed fractions: a sub-task's
 * 0…1 maps linearly onto its share of the parent's bar, nested parts multiply, named phases take
 * shares proportional to their weights (a zero weight takes none), and cancel passes through.
 */
import { describe, expect, test } from 'vitest';
import { partOf, phases, subTask, throttleProgress, type LongTask, type Progress } from '../../src/core/util/progress';

function recorder(): { task: LongTask; seen: Progress[] } {
  const seen: Progress[] = [];
  return { task: { onProgress: (p) => seen.push(p) }, seen };
}

describe('progress splitters', () => {
  test('subTask maps 0, ½ and 1 onto [from, to] and prefixes the label', () => {
    const { task, seen } = recorder();
    const sub = subTask(task, 0.2, 0.6, 'phase');
    for (const fraction of [0, 0.5, 1]) sub.onProgress?.({ fraction, message: 'm' });
    for (const [i, want] of [0.2, 0.4, 0.6].entries()) expect(seen[i].fraction).toBeCloseTo(want, 15);
    expect(seen[0].message).toBe('phase: m');
    subTask(task, 0, 1).onProgress?.({ fraction: 0.3, message: 'bare' });
    expect(seen[3]).toEqual({ fraction: 0.3, message: 'bare' });
  });

  test('partOf: part 2 of 4 covers [0.5, 0.75]; nested parts multiply', () => {
    const { task, seen } = recorder();
    partOf(task, 2, 4).onProgress?.({ fraction: 0.5, message: '' });
    expect(seen[0].fraction).toBeCloseTo(0.625, 15);
    // Part 1 of 2 of part 2 of 5: [0.4, 0.6] halved → [0.5, 0.6]; at ¼ of it: 0.525.
    partOf(partOf(task, 2, 5, 'outer'), 1, 2, 'inner').onProgress?.({ fraction: 0.25, message: 'x' });
    expect(seen[1].fraction).toBeCloseTo(0.525, 15);
    expect(seen[1].message).toBe('outer: inner: x');
  });

  test('phases: shares proportional to the weights, in order; a zero weight takes no share', () => {
    const { task, seen } = recorder();
    const phase = phases(task, { a: 1, skipped: 0, b: 3 });
    phase('a').onProgress?.({ fraction: 1, message: 'done' });
    phase('skipped').onProgress?.({ fraction: 0.7, message: 'n/a' });
    phase('b', 'B at ε = 0.1').onProgress?.({ fraction: 0, message: 'start' });
    phase('b').onProgress?.({ fraction: 0.5, message: 'half' });
    for (const [i, want] of [0.25, 0.25, 0.25, 0.625].entries()) expect(seen[i].fraction).toBeCloseTo(want, 15);
    expect(seen.map((p) => p.message)).toEqual(['a: done', 'skipped: n/a', 'B at ε = 0.1: start', 'b: half']);
  });

  test('all weights zero: no division by zero', () => {
    const { task, seen } = recorder();
    phases(task, { only: 0 })('only').onProgress?.({ fraction: 1, message: '' });
    expect(seen[0].fraction).toBe(0);
  });

  test('cancellation passes through every level; no parent, no error', () => {
    let cancelled = false;
    const parent: LongTask = { isCancelled: () => cancelled };
    const leaf = partOf(phases(parent, { x: 1 })('x'), 0, 3);
    expect(leaf.isCancelled?.()).toBe(false);
    cancelled = true;
    expect(leaf.isCancelled?.()).toBe(true);
    expect(() => subTask(undefined, 0, 1, 'l').onProgress?.({ fraction: 1, message: '' })).not.toThrow();
  });
});

describe('throttleProgress: at most one report per interval, the latest, and the last always', () => {
  /** A fake clock and timer queue: time moves only when the test says. */
  function fakeTime() {
    let t = 0;
    const timers: { at: number; run: () => void }[] = [];
    return {
      now: () => t,
      schedule: (run: () => void, ms: number) => {
        timers.push({ at: t + ms, run });
      },
      advance(ms: number) {
        t += ms;
        for (const timer of timers.filter((x) => x.at <= t)) {
          timers.splice(timers.indexOf(timer), 1);
          timer.run();
        }
      },
    };
  }
  const report = (fraction: number) => ({ fraction, message: `at ${fraction}` });

  test('a burst within one interval sends the first at once and the latest when the interval ends', () => {
    const time = fakeTime();
    const sent: number[] = [];
    const throttled = throttleProgress((p) => sent.push(p.fraction), 100, time.now, time.schedule);
    for (let k = 1; k <= 10; k++) {
      throttled(report(k / 100));
      time.advance(5);
    }
    // 50 ms in: only the first went.
    expect(sent).toEqual([0.01]);
    time.advance(50);
    // The interval has ended: the latest of the burst (0.1), not the ones in between.
    expect(sent).toEqual([0.01, 0.1]);
    time.advance(1000);
    expect(sent).toEqual([0.01, 0.1]);
  });

  test('reports 1,000 per second for a second arrive as about ten, in order, the last included', () => {
    const time = fakeTime();
    const sent: number[] = [];
    const throttled = throttleProgress((p) => sent.push(p.fraction), 100, time.now, time.schedule);
    for (let k = 1; k <= 1000; k++) {
      throttled(report(k / 1001));
      time.advance(1);
    }
    time.advance(200);
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent.length).toBeLessThanOrEqual(12);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
    expect(sent.at(-1)).toBe(1000 / 1001);
  });

  test('the finished report goes at once, even inside an interval', () => {
    const time = fakeTime();
    const sent: number[] = [];
    const throttled = throttleProgress((p) => sent.push(p.fraction), 100, time.now, time.schedule);
    throttled(report(0.5));
    time.advance(10);
    throttled(report(1));
    expect(sent).toEqual([0.5, 1]);
  });
});

/**
 * The drawing pad's live prediction never queues: one request in flight, requests at least 150 ms apart, each about
 * the newest drawing, and nothing reported about a drawing that was cleared meanwhile.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { LIVE_INTERVAL_MS, LivePredictor, type LiveState } from '../../src/ui/attack-lab/livePredictor';

let clock = 0;
beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
});
afterEach(() => vi.useRealTimers());

/** Advances the fake clock and timers together. */
async function advance(ms: number): Promise<void> {
  for (let t = 0; t < ms; t++) {
    clock += 1;
    await vi.advanceTimersByTimeAsync(1);
  }
}

/** A predictor over a drawing that is just a number; the "model" answers `drawing × 10` after `latency` ms. */
function setup(latency: number) {
  let drawing: number | null = null;
  const sent: { drawing: number; at: number }[] = [];
  const reports: LiveState<number>[] = [];
  const predictor = new LivePredictor<number, number>({
    read: () => drawing,
    predict: (d) => {
      sent.push({ drawing: d, at: clock });
      return new Promise((resolve) => setTimeout(() => resolve(d * 10), latency));
    },
    report: (s) => reports.push(s),
    now: () => clock,
  });
  const draw = (d: number | null, cleared = false) => {
    drawing = d;
    predictor.changed(cleared);
  };
  return { predictor, sent, reports, draw };
}

test('a burst of changes sends the first at once, then only the newest, 150 ms later', async () => {
  const { sent, reports, draw } = setup(20);
  draw(1);
  await advance(1);
  for (let d = 2; d <= 30; d++) {
    draw(d); // a pointer move every 5 ms
    await advance(5);
  }
  await advance(400);
  // Drawing 1 goes at t = 1 (answered at 21). Drawings 2…30 arrive at t = 1…141; the next request may leave at
  // 1 + 150 = 151, when the newest is 30: 2…29 are never sent.
  expect(sent).toEqual([
    { drawing: 1, at: 1 },
    { drawing: 30, at: 1 + LIVE_INTERVAL_MS },
  ]);
  expect(reports.at(-1)).toEqual({ kind: 'ready', result: 300 });
});

test('a slow model: never two requests at once, and the next one is about the newest drawing', async () => {
  const { sent, draw } = setup(500);
  draw(1);
  await advance(1);
  draw(2);
  await advance(100);
  draw(3);
  await advance(100);
  expect(sent.map((s) => s.drawing)).toEqual([1]); // 2 and 3 wait for the answer about 1
  await advance(400);
  expect(sent.map((s) => s.drawing)).toEqual([1, 3]); // 2 was never sent
  expect(sent[1].at).toBe(501);
});

test('an answer about a drawing that was cleared meanwhile is dropped; a blank pad reports idle', async () => {
  const { sent, reports, draw } = setup(50);
  draw(4);
  await advance(10);
  draw(null, true); // cleared while the model works on 4
  await advance(300);
  expect(sent.map((s) => s.drawing)).toEqual([4]);
  expect(reports.every((r) => r.kind === 'idle')).toBe(true);
});

test('a failing model reports its message; disposing stops pending requests', async () => {
  const reports: LiveState<number>[] = [];
  const predictor = new LivePredictor<number, number>({
    read: () => 1,
    predict: () => Promise.reject(new Error('No model is loaded.')),
    report: (s) => reports.push(s),
    now: () => clock,
  });
  predictor.changed();
  await advance(5);
  expect(reports).toEqual([{ kind: 'failed', message: 'No model is loaded.' }]);
  predictor.changed();
  predictor.dispose();
  await advance(300);
  expect(reports).toHaveLength(1);
});

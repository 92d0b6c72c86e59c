/**
 * How long-running core functions talk to their caller: a progress callback, and a way to ask
 * them to stop. Both are plain functions so they cross a worker boundary (via the RPC proxy)
 * and work in Node unchanged.
 */
import { CancelledError } from './errors';

export interface Progress {
  /** 0…1 */
  fraction: number;
  message: string;
}

export interface LongTask {
  onProgress?: (p: Progress) => void;
  /** Polled between batches; returning true makes the function throw CancelledError. */
  isCancelled?: () => boolean;
}

export function throwIfCancelled(task: LongTask | undefined): void {
  if (task?.isCancelled?.()) throw new CancelledError();
}

/** Lets the event loop run (cancel messages, progress delivery) between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The share [from, to] of `task`'s progress bar, given to a sub-task that reports its own 0…1:
 * the parent sees from + fraction·(to − from), and the message prefixed with `label: ` when a
 * label is given. Cancellation passes straight through.
 */
export function subTask(task: LongTask | undefined, from: number, to: number, label?: string): LongTask {
  return {
    isCancelled: task?.isCancelled,
    onProgress: (p) =>
      task?.onProgress?.({
        fraction: from + p.fraction * (to - from),
        message: label === undefined ? p.message : `${label}: ${p.message}`,
      }),
  };
}

/** Part k (0-based) of n equal, consecutive parts of `task`: models of a comparison, ε of a curve, … */
export function partOf(task: LongTask | undefined, k: number, n: number, label?: string): LongTask {
  return subTask(task, k / n, (k + 1) / n, label);
}

/**
 * Consecutive named phases of `task` with relative weights (their rough costs), in the order
 * given: `phase(name)` is the sub-task that fills that phase's share of the bar, its messages
 * prefixed with `label` (the phase's name unless given). A phase of weight 0 takes no share.
 */
export function phases<Name extends string>(
  task: LongTask | undefined,
  weights: Record<Name, number>,
): (name: Name, label?: string) => LongTask {
  const names = Object.keys(weights) as Name[];
  const total = names.reduce((sum, n) => sum + weights[n], 0) || 1;
  const start = {} as Record<Name, number>;
  let before = 0;
  for (const n of names) {
    start[n] = before / total;
    before += weights[n];
  }
  return (name, label = name) => subTask(task, start[name], start[name] + weights[name] / total, label);
}

/**
 * Progress for a caller on the other side of a worker boundary: every report is a message, and every message a task on
 * the page's main thread, so a tight loop reporting per step would keep it busy. Forwards at most one report per
 * `intervalMs`: the first at once, then the latest of each interval when it ends (so the last one always arrives); a
 * report of the finished work (fraction ≥ 1) goes at once. `now` and `schedule` are the clock and the timer (tests
 * pass fakes).
 */
export function throttleProgress(
  onProgress: (p: Progress) => void,
  intervalMs = PROGRESS_INTERVAL_MS,
  now: () => number = () => performance.now(),
  schedule: (callback: () => void, ms: number) => void = (callback, ms) => setTimeout(callback, ms),
): (p: Progress) => void {
  let lastSent = Number.NEGATIVE_INFINITY;
  let pending: Progress | null = null;
  let timerSet = false;
  const send = (p: Progress) => {
    lastSent = now();
    pending = null;
    onProgress(p);
  };
  const flushLater = () => {
    if (pending) send(pending);
    timerSet = false;
  };
  return (p) => {
    if (p.fraction >= 1 || now() - lastSent >= intervalMs) {
      send(p);
      return;
    }
    pending = p;
    if (!timerSet) {
      timerSet = true;
      schedule(flushLater, Math.max(0, lastSent + intervalMs - now()));
    }
  };
}

/** The least time between two progress messages from the worker (ms). */
export const PROGRESS_INTERVAL_MS = 100;

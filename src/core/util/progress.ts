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

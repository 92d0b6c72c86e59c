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

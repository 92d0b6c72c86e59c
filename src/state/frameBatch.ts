/**
 * Worker reports (progress, curve points, streamed results) can arrive many times a frame, and every
 * store update re-renders its readers at once, synchronously. These batches hold reports until the
 * next animation frame and hand them over together: one store update, so React renders at most once
 * a frame for them. A hidden page gets no frames; the reports wait until it is shown again, or until
 * `flush()` (call it before a final result replaces what the reports built up).
 */

function onNextFrame(callback: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(callback);
  else setTimeout(callback, 16);
}

export interface FrameBatch<T> {
  push(item: T): void;
  /** Delivers what is pending now (if anything). */
  flush(): void;
  /** Drops what is pending. */
  discard(): void;
}

/** Delivers every item pushed since the last frame, in order, in one call. */
export function batchPerFrame<T>(deliver: (items: T[]) => void): FrameBatch<T> {
  let pending: T[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    deliver(items);
  };
  return {
    push(item) {
      pending.push(item);
      if (!scheduled) {
        scheduled = true;
        onNextFrame(flush);
      }
    },
    flush,
    discard() {
      pending = [];
    },
  };
}

/** Delivers only the latest value pushed since the last frame (progress: the earlier ones are stale). */
export function latestPerFrame<T>(deliver: (value: T) => void): FrameBatch<T> {
  return batchPerFrame<T>((items) => deliver(items[items.length - 1]));
}

/**
 * A prediction that follows a drawing as it changes, without ever holding up the pen: at most one request in flight,
 * requests at least `intervalMs` apart, always about the newest drawing (the ones in between are skipped, not
 * queued), and an answer that arrives after the pad was cleared is dropped.
 */

export const LIVE_INTERVAL_MS = 150;

export type LiveState<R> = { kind: 'idle' } | { kind: 'ready'; result: R } | { kind: 'failed'; message: string };

export interface LivePredictorOptions<P, R> {
  /** The drawing now, or null when it is blank; called only when a request is sent (a burst of moves costs one). */
  read: () => P | null;
  predict: (drawing: P) => Promise<R>;
  report: (state: LiveState<R>) => void;
  intervalMs?: number;
  /** Milliseconds, for the spacing of requests. */
  now?: () => number;
}

export class LivePredictor<P, R> {
  private dirty = false;
  private busy = false;
  private lastSent = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped when the pad is cleared, so an answer about the old drawing is ignored. */
  private generation = 0;
  private disposed = false;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: LivePredictorOptions<P, R>) {
    this.intervalMs = options.intervalMs ?? LIVE_INTERVAL_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** Call after every change of the drawing; `cleared` when it was wiped. */
  readonly changed = (cleared = false): void => {
    if (cleared) {
      this.generation += 1;
      this.options.report({ kind: 'idle' });
    }
    this.dirty = true;
    this.schedule();
  };

  /** Mounted (again, under React's StrictMode). */
  attach(): void {
    this.disposed = false;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.disposed || this.busy || this.timer !== null) return;
    const wait = Math.max(0, this.lastSent + this.intervalMs - this.now());
    this.timer = setTimeout(() => void this.send(), wait);
  }

  private async send(): Promise<void> {
    this.timer = null;
    if (!this.dirty || this.disposed) return;
    this.dirty = false;
    const drawing = this.options.read();
    if (drawing === null) {
      this.options.report({ kind: 'idle' });
      return;
    }
    const generation = this.generation;
    const current = () => !this.disposed && generation === this.generation;
    this.busy = true;
    this.lastSent = this.now();
    try {
      const result = await this.options.predict(drawing);
      if (current()) this.options.report({ kind: 'ready', result });
    } catch (err) {
      if (current()) this.options.report({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      this.busy = false;
    }
    if (this.dirty) this.schedule();
  }
}

/**
 * A prediction that follows a drawing as it changes, without ever holding up the pen: at most one request in the
 * worker at a time, at most one every LIVE_INTERVAL_MS, always of the newest drawing (the ones in between are
 * skipped, not queued). A result that arrives after the pad was cleared is dropped.
 */
import { useEffect, useState } from 'react';
import { type LiveDrawingPrediction, predictDrawing } from '../../state/drawingActions';
import { errorMessage } from '../../state/workerSession';

export const LIVE_INTERVAL_MS = 150;

export type LiveState =
  | { kind: 'idle' }
  | { kind: 'ready'; result: LiveDrawingPrediction }
  | { kind: 'failed'; message: string };

class LivePredictor {
  private dirty = false;
  private busy = false;
  private lastSent = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped when the pad is cleared, so an answer about the old drawing is ignored. */
  private generation = 0;
  private disposed = false;

  /**
   * @param read the drawing's current pixels (RGBA, side × side), or null when the pad is blank; called only when a
   *   request is sent, so a burst of pointer moves costs one conversion.
   */
  constructor(
    private readonly read: () => Uint8ClampedArray | null,
    private readonly side: number,
    private readonly report: (state: LiveState) => void,
  ) {}

  /** Call after every change of the drawing; `cleared` when it was wiped. */
  readonly changed = (cleared = false): void => {
    if (cleared) {
      this.generation += 1;
      this.report({ kind: 'idle' });
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
    const wait = Math.max(0, this.lastSent + LIVE_INTERVAL_MS - performance.now());
    this.timer = setTimeout(() => void this.send(), wait);
  }

  private async send(): Promise<void> {
    this.timer = null;
    if (!this.dirty || this.disposed) return;
    this.dirty = false;
    const rgba = this.read();
    if (!rgba) {
      this.report({ kind: 'idle' });
      return;
    }
    const generation = this.generation;
    const current = () => !this.disposed && generation === this.generation;
    this.busy = true;
    this.lastSent = performance.now();
    try {
      const result = await predictDrawing(rgba, this.side);
      if (current()) this.report({ kind: 'ready', result });
    } catch (err) {
      if (current()) this.report({ kind: 'failed', message: errorMessage(err) });
    } finally {
      this.busy = false;
    }
    if (this.dirty) this.schedule();
  }
}

/** The live prediction of a drawing whose pixels `read` returns; call `changed` after each change. */
export function useLivePrediction(read: () => Uint8ClampedArray | null, side: number) {
  const [live, setLive] = useState<LiveState>({ kind: 'idle' });
  const [predictor] = useState(() => new LivePredictor(read, side, setLive));
  useEffect(() => {
    predictor.attach();
    return () => predictor.dispose();
  }, [predictor]);
  return { live, changed: predictor.changed };
}

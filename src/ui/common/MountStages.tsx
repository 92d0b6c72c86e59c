/**
 * Mounts the page in stages, one frame apart: committed at once, the whole attack
 * lab made one main-thread task of 90–220 ms on a 2-core machine (issue 18: none over 50 ms), nearly all of it the
 * browser's first style and layout — and a third of that the first use of each font size and weight (a font lookup
 * and a render-style query to the browser process apiece, seen in a trace of Chromium with no inspector attached).
 * Each stage's style and layout now falls in a frame of its own. The stages finish within a few frames, long before
 * the first prediction, so nothing waits on them.
 */
import { type ReactNode, useEffect, useSyncExternalStore } from 'react';

/** 0: header and status line; 1: the picture and its prediction; 2: the attack's settings; 3: results, certificate,
 * dream, lessons, dialogs, footer. */
export type MountStage = 0 | 1 | 2 | 3;
const LAST_STAGE: MountStage = 3;
/** A hidden tab draws no frames; the stages then advance on this timer instead of waiting for it to be shown. */
const HIDDEN_TAB_FALLBACK_MS = 100;

let stage: MountStage = 0;
let started = false;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Runs `step` in a task after the next frame is drawn (so its style and layout is the frame after), or after the
 * fallback timer when no frame comes. */
function afterNextFrame(step: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    step();
  };
  const fallback = setTimeout(once, HIDDEN_TAB_FALLBACK_MS);
  requestAnimationFrame(() => {
    clearTimeout(fallback);
    setTimeout(once, 0);
  });
}

function advance(): void {
  stage = Math.min(LAST_STAGE, stage + 1) as MountStage;
  for (const listener of listeners) listener();
  if (stage < LAST_STAGE) afterNextFrame(advance);
}

/** Starts the stages once the first one is committed (call from the page's root component). */
export function useMountStages(): void {
  useEffect(() => {
    if (started) return;
    started = true;
    afterNextFrame(advance);
  }, []);
}

/** Renders its children from stage `at` on. */
export function AtStage({ at, children }: { at: MountStage; children: ReactNode }) {
  const current = useSyncExternalStore(
    subscribe,
    () => stage,
    () => LAST_STAGE,
  );
  return current >= at ? children : null;
}

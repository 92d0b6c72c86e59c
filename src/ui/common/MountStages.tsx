/**
 * Mounts the page in stages, one frame apart: committed at once, the whole attack
 * lab made one main-thread task of 90–220 ms on a 2-core machine (issue 18: none over 50 ms), nearly all of it the
 * browser's first style and layout — and a third of that the first use of each font size and weight (a font lookup
 * and a render-style query to the browser process apiece, seen in a trace of Chromium with no inspector attached).
 * Each stage's style and layout now falls in a frame of its own. The stages finish within a few frames, long before
 * the first prediction, so nothing waits on them.
 */
import { createContext, type ReactNode, startTransition, useContext, useEffect, useState } from 'react';

/** 0: header and status line; 1: the picture and its prediction; 2: the attack's settings; 3: results, certificate,
 * dream, lessons, dialogs, footer. */
export type MountStage = 0 | 1 | 2 | 3;
const LAST_STAGE: MountStage = 3;
/** A hidden tab draws no frames; the stages then advance on this timer instead of waiting for it to be shown. */
const HIDDEN_TAB_FALLBACK_MS = 100;

const StageContext = createContext<MountStage>(LAST_STAGE);

/** Runs `step` in a task after the next frame is drawn (so its style and layout is the frame after), or after the
 * fallback timer when no frame comes. */
function afterNextFrame(step: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    step();
  };
  const fallback = setTimeout(once, HIDDEN_TAB_FALLBACK_MS);
  const frame = requestAnimationFrame(() => {
    clearTimeout(fallback);
    setTimeout(once, 0);
  });
  return () => {
    done = true;
    clearTimeout(fallback);
    cancelAnimationFrame(frame);
  };
}

/**
 * Holds the page's stage and advances it a frame after each commit. Each advance is a transition, so React renders
 * the new stage's components in slices of a few ms (their first render compiles their code: 40–80 ms in one piece
 * otherwise) and only the commit and the browser's style and layout are one task.
 */
export function MountStages({ children }: { children: ReactNode }) {
  const [stage, setStage] = useState<MountStage>(0);
  useEffect(() => {
    if (stage >= LAST_STAGE) return;
    return afterNextFrame(() => startTransition(() => setStage((s) => Math.min(LAST_STAGE, s + 1) as MountStage)));
  }, [stage]);
  return <StageContext.Provider value={stage}>{children}</StageContext.Provider>;
}

/** Renders its children from stage `at` on (everything, outside MountStages). */
export function AtStage({ at, children }: { at: MountStage; children: ReactNode }) {
  return useContext(StageContext) >= at ? children : null;
}

/**
 * Charts draw one per task. A chart library renders a chart in one piece, and several charts that change together
 * (the Yan et al. curves as a model finishes, the training lab's nine charts at each report) would render in one
 * task of hundreds of milliseconds, during which the page cannot answer a click (issue 18: no main-thread task over
 * 50 ms). Here each chart's update waits in a queue and is rendered alone in a task of its own (flushSync), so a
 * task costs one chart. A chart with an update already waiting only swaps in the newer content: a chart behind the
 * queue skips to the latest, and no chart draws more than once a task.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

type Job = { run: () => void };
const queue: Job[] = [];
let scheduled = false;

function runNext(): void {
  scheduled = false;
  const job = queue.shift();
  if (queue.length > 0) schedule();
  job?.run();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // A macrotask each: the browser paints and handles input between two charts.
  setTimeout(runNext, 0);
}

/**
 * `content` as last rendered by the queue: null until its first turn. Each new `content` (a new element each time
 * its parent renders) takes the chart's one place in the queue.
 */
export function usePacedContent(content: ReactNode): ReactNode | null {
  const [shown, setShown] = useState<ReactNode | null>(null);
  const latest = useRef(content);
  latest.current = content;
  const job = useRef<Job | null>(null);
  /** The content `shown` was rendered from: a render caused by the queue itself changes nothing to redraw. */
  const drawn = useRef<ReactNode | undefined>(undefined);
  useEffect(() => {
    if (job.current || latest.current === drawn.current) return; // waiting already (it takes the latest), or drawn
    const mine: Job = {
      run: () => {
        job.current = null;
        drawn.current = latest.current;
        flushSync(() => setShown(latest.current));
      },
    };
    job.current = mine;
    queue.push(mine);
    schedule();
  });
  useEffect(
    () => () => {
      // Unmounted while waiting: the queue skips it.
      const waiting = job.current;
      if (waiting) waiting.run = () => {};
      job.current = null;
    },
    [],
  );
  return shown;
}

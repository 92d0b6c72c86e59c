/**
 * Points at the control a lesson step names: its `data-control` element, or the panel whose heading has that id. The
 * control may appear later (the ε scrubber after an attack), so the mark is re-applied while the step is on screen.
 */
import { useEffect } from 'react';

const MARK = 'lesson-highlight';
/** Room left between the sticky status bar and the control scrolled to (px). */
const GAP_BELOW_BAR = 8;

/**
 * Scrolls `el` into view below the sticky status bar, which would otherwise cover a control scrolled to the top
 * (scroll-margin-top is how far short of the viewport's top scrollIntoView stops).
 */
function scrollBelowStickyBar(el: Element): void {
  const bar = document.querySelector('.sticky-top');
  const covered = bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
  (el as HTMLElement).style.scrollMarginTop = `${Math.ceil(covered) + GAP_BELOW_BAR}px`;
  el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

function find(name: string): Element | null {
  const control = document.querySelector(`[data-control="${CSS.escape(name)}"]`);
  if (control) return control;
  const heading = document.getElementById(name);
  return heading ? (heading.closest('section') ?? heading) : null;
}

export function useHighlight(name: string | undefined): void {
  useEffect(() => {
    if (!name) return;
    let marked: Element | null = null;
    const mark = () => {
      const el = find(name);
      if (el === marked) return;
      marked?.classList.remove(MARK);
      el?.classList.add(MARK);
      if (el && !marked) scrollBelowStickyBar(el);
      marked = el;
    };
    mark();
    const timer = window.setInterval(mark, 500);
    return () => {
      window.clearInterval(timer);
      marked?.classList.remove(MARK);
    };
  }, [name]);
}

/**
 * The page's keyboard shortcuts (shortcuts.ts lists them). Keys typed into a field, a select or a slider are theirs,
 * never shortcuts: ← → move the ε scrubber when it has focus, and a lesson's steps only otherwise.
 */
import { useEffect } from 'react';
import { attackCurrentImage } from '../../state/attackActions';
import { nextStep, previousStep } from '../../state/lessonActions';
import { useLessons } from '../../state/lessonStore';
import { currentView } from '../../state/lessonSnapshot';
import { showView } from '../../state/setupActions';
import { setLessonsMenuOpen, setShortcutsOpen, togglePresenter, usePresentation } from '../../state/presentationStore';
import type { ViewId } from '../../state/urlState';

const VIEW_KEYS: Record<string, ViewId> = { '1': 'attack-lab', '2': 'training-lab', '3': 'analysis' };

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || target.isContentEditable;
}

function onKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  if (e.key === 'Escape') {
    setShortcutsOpen(false);
    setLessonsMenuOpen(false);
    return;
  }
  if (typingInto(e.target)) return;
  const { shortcutsOpen } = usePresentation.getState();
  const lessonOpen = useLessons.getState().lessonId !== null;
  let handled = true;
  if (e.key === '?') setShortcutsOpen(!shortcutsOpen);
  else if (shortcutsOpen) handled = false;
  else if (e.key === 'p' || e.key === 'P') togglePresenter();
  else if (e.key === 'l' || e.key === 'L') setLessonsMenuOpen(true);
  else if (e.key === 'ArrowRight' && lessonOpen) nextStep();
  else if (e.key === 'ArrowLeft' && lessonOpen) previousStep();
  else if (VIEW_KEYS[e.key]) showView(VIEW_KEYS[e.key]);
  else if ((e.key === 'a' || e.key === 'A') && currentView() === 'attack-lab') {
    void attackCurrentImage(); // it does nothing while an attack is queued or running
  } else handled = false;
  if (handled) e.preventDefault();
}

export function useShortcuts(): void {
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

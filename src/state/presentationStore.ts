/**
 * How the page presents itself, whatever the lab: the presenter view (large type, high contrast, only what a lesson
 * needs), the shortcuts list and the lessons menu. Written by the keyboard shortcuts and the header's buttons.
 */
import { create } from 'zustand';

interface PresentationState {
  presenter: boolean;
  shortcutsOpen: boolean;
  lessonsMenuOpen: boolean;
}

export const usePresentation = create<PresentationState>()(() => ({
  presenter: false,
  shortcutsOpen: false,
  lessonsMenuOpen: false,
}));

export function togglePresenter(): void {
  usePresentation.setState((s) => ({ presenter: !s.presenter }));
}

export function setShortcutsOpen(open: boolean): void {
  usePresentation.setState({ shortcutsOpen: open });
}

export function setLessonsMenuOpen(open: boolean): void {
  usePresentation.setState({ lessonsMenuOpen: open });
}

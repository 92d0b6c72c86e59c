/** The lesson on screen, its step, and which steps' tasks the learner has done. Written by lessonActions.ts. */
import { create } from 'zustand';

interface LessonState {
  lessonId: string | null;
  /** 0-based. */
  step: number;
  /** done[i]: step i's task was completed (latched: undoing the setup does not undo it). */
  done: boolean[];
}

export const useLessons = create<LessonState>()(() => ({ lessonId: null, step: 0, done: [] }));

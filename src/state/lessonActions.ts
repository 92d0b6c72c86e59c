/**
 * Opening a lesson, moving through its steps, and noticing when a step's task is done: every change of the app's state
 * re-runs the current step's check against a snapshot (lessonSnapshot.ts); a step once done stays done.
 */
import { applySetup } from './setupActions';
import { LESSONS, lessonById } from './teaching/lessons';
import { useLessons } from './lessonStore';
import { onSnapshotChange, takeSnapshot } from './lessonSnapshot';

let unwatch: (() => void) | null = null;
/** While a step sets the app up, what is on screen is the previous step's: it must not count for this one. */
let applying = 0;

function checkCurrentStep(): void {
  if (applying > 0) return;
  const { lessonId, step, done } = useLessons.getState();
  const task = lessonById(lessonId)?.steps[step]?.task;
  if (!task || done[step]) return;
  if (task.done(takeSnapshot())) {
    const next = [...done];
    next[step] = true;
    useLessons.setState({ done: next });
  }
}

/**
 * Shows step `step` of a lesson and applies its setup (every time the step is shown: by Next, Back or a link), so that
 * its task can be done however the learner got there. Resolves once the setup is in place.
 */
export async function openLesson(id: string, step = 0): Promise<void> {
  const lesson = lessonById(id);
  if (!lesson) return;
  const clamped = Math.min(Math.max(0, step), lesson.steps.length - 1);
  const sameLesson = useLessons.getState().lessonId === id;
  useLessons.setState({ lessonId: id, step: clamped, done: sameLesson ? useLessons.getState().done : [] });
  unwatch ??= onSnapshotChange(checkCurrentStep);
  const setup = lesson.steps[clamped].setup;
  if (!setup) {
    checkCurrentStep();
    return;
  }
  applying += 1;
  try {
    await applySetup(setup);
  } finally {
    applying -= 1;
    checkCurrentStep();
  }
}

export function goToStep(step: number): void {
  const { lessonId } = useLessons.getState();
  if (lessonId !== null) void openLesson(lessonId, step);
}

export function nextStep(): void {
  const { lessonId, step } = useLessons.getState();
  const lesson = lessonById(lessonId);
  if (lesson && step < lesson.steps.length - 1) goToStep(step + 1);
}

export function previousStep(): void {
  const { step } = useLessons.getState();
  if (step > 0) goToStep(step - 1);
}

export function restartLesson(): void {
  const { lessonId } = useLessons.getState();
  if (lessonId === null) return;
  useLessons.setState({ done: [] });
  void openLesson(lessonId, 0);
}

/** Leaves the lesson; the app stays as the lesson left it, fully usable. */
export function closeLesson(): void {
  unwatch?.();
  unwatch = null;
  useLessons.setState({ lessonId: null, step: 0, done: [] });
}

export { LESSONS };

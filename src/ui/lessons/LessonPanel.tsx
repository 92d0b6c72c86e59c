/** The open lesson: the step's text and task, progress, back / next (or ← →), restart and close. */
import { closeLesson, nextStep, previousStep, restartLesson } from '../../state/lessonActions';
import { lessonById } from '../../state/teaching/lessons';
import { useLessons } from '../../state/lessonStore';
import { useHighlight } from './useHighlight';

export function LessonPanel() {
  const lessonId = useLessons((s) => s.lessonId);
  const step = useLessons((s) => s.step);
  const done = useLessons((s) => s.done);
  const lesson = lessonById(lessonId);
  const current = lesson?.steps[step];
  useHighlight(current?.highlight);
  if (!lesson || !current) return null;
  const last = step === lesson.steps.length - 1;
  const stepDone = done[step] === true;
  const finished = last && (current.task === undefined || stepDone);
  return (
    <aside className="lesson-panel" aria-labelledby="lesson-heading" data-testid="lesson-panel">
      <div className="lesson-top">
        <h2 id="lesson-heading">{lesson.title}</h2>
        <button type="button" className="link-button" onClick={closeLesson} aria-label="Close the lesson">
          ✕
        </button>
      </div>
      <p className="lesson-progress" data-testid="lesson-progress">
        Step {step + 1} of {lesson.steps.length}: {current.title}
      </p>
      <progress max={lesson.steps.length} value={step + (stepDone || !current.task ? 1 : 0)} aria-hidden="true" />
      {current.text.map((p) => (
        <p key={p}>{p}</p>
      ))}
      {current.task ? (
        <p className={stepDone ? 'lesson-task done' : 'lesson-task'} data-testid="lesson-task" data-done={stepDone}>
          {stepDone ? '✔ Done: ' : '→ '}
          {current.task.says}
        </p>
      ) : (
        <p className="lesson-task none" data-testid="lesson-task" data-done="none">
          Nothing to do in this step: read it, look around, then press Next.
        </p>
      )}
      {finished && <p className="lesson-finished">That was the last step. Close the lesson or restart it.</p>}
      <div className="lesson-nav">
        <button type="button" className="secondary" onClick={previousStep} disabled={step === 0}>
          Back
        </button>
        <button type="button" onClick={nextStep} disabled={last}>
          Next
        </button>
        <button type="button" className="link-button" onClick={restartLesson}>
          Restart
        </button>
      </div>
    </aside>
  );
}

/** The header's "Lessons" button and the list it opens; choosing one starts it at its first step. */
import { useEffect, useRef } from 'react';
import { LESSONS, openLesson } from '../../state/lessonActions';
import { setLessonsMenuOpen, usePresentation } from '../../state/presentationStore';

export function LessonsMenu() {
  const open = usePresentation((s) => s.lessonsMenuOpen);
  const first = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    first.current?.focus();
    // A press anywhere else closes the menu, as menus do.
    const outside = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node)) setLessonsMenuOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  return (
    <div className="lessons-menu" data-control="lessons" ref={menu}>
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls="lessons-list"
        onClick={() => setLessonsMenuOpen(!open)}
      >
        Lessons
      </button>
      {open && (
        <ul id="lessons-list" className="lessons-list" aria-label="Lessons">
          {LESSONS.map((lesson, i) => (
            <li key={lesson.id}>
              <button
                ref={i === 0 ? first : undefined}
                type="button"
                className="lesson-choice"
                onClick={() => {
                  setLessonsMenuOpen(false);
                  void openLesson(lesson.id);
                }}
              >
                <strong>{lesson.title}</strong>
                <span>{lesson.summary}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Every lesson, in the order the menu lists them. */
import { adversarialExamples } from './adversarialExamples';
import { adversarialTraining } from './adversarialTraining';
import { calibrationEnergy } from './calibrationEnergy';
import { certificates } from './certificates';
import { fgsmVsPgd } from './fgsmVsPgd';
import { jemGenerative } from './jemGenerative';
import { marginsStability } from './marginsStability';
import { normsAndTargets } from './normsAndTargets';
import { odenetVsCnn } from './odenetVsCnn';
import type { Lesson } from './types';

export const LESSONS: readonly Lesson[] = [
  adversarialExamples,
  normsAndTargets,
  fgsmVsPgd,
  odenetVsCnn,
  calibrationEnergy,
  marginsStability,
  adversarialTraining,
  certificates,
  jemGenerative,
];

export const LESSON_IDS: readonly string[] = LESSONS.map((l) => l.id);

export function lessonById(id: string | null): Lesson | null {
  return LESSONS.find((l) => l.id === id) ?? null;
}

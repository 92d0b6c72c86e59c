/**
 * The attack lab's Dream panel: what the user chose (class, steps, start) and the last dream, with the model and the
 * picture it was dreamed for. Written by dreamActions.ts; components read it.
 */
import { create } from 'zustand';
import { fieldDefault } from '../core/options/field';
import { DREAM_FIELDS, type DreamStart } from '../core/options/dreamOptions';
import type { DreamOutcome } from '../worker/api';

export interface DreamState {
  classIndex: number;
  steps: number;
  start: DreamStart;
  running: boolean;
  /** The last dream, with what it was asked for and the model that dreamed it (its name and ModelSummary.source). */
  result:
    | (DreamOutcome & { classIndex: number; steps: number; start: DreamStart; model: string; modelSource: string })
    | null;
}

export const useDream = create<DreamState>()(() => ({
  classIndex: fieldDefault(DREAM_FIELDS.classIndex) as number,
  steps: fieldDefault(DREAM_FIELDS.steps) as number,
  start: fieldDefault(DREAM_FIELDS.start) as DreamStart,
  running: false,
  result: null,
}));

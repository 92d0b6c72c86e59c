/**
 * What the whole app shares, whatever view is on screen: the worker's backend and model, the MNIST
 * test set, the one running task (the worker does one job at a time), the tensor count, and the last
 * error or notice. Written only by the session actions (workerSession, *Actions.ts); components read
 * it. The attack lab's own state (picture, outcome, ε sweep) is in attackLabStore.ts.
 */
import { create } from 'zustand';
import type { Progress } from '../core/util/progress';
import type { BackendReport, ModelSummary } from '../worker/api';

export type TaskKind =
  | 'startup'
  | 'image'
  | 'attack'
  | 'sweep'
  | 'model'
  | 'backend'
  | 'benchmark'
  | 'training'
  | 'analysis'
  | 'dataset'
  | 'certify'
  | 'dream';

export interface Task {
  /** Tells a task from the one that replaced it, so a late progress report or ending touches only its own. */
  id: number;
  kind: TaskKind;
  label: string;
  progress: Progress | null;
}

interface AppState {
  backend: BackendReport | null;
  model: ModelSummary | null;
  numTensors: number | null;
  testSet: { count: number; fromCache: boolean } | null;
  testSetProgress: Progress | null;
  task: Task | null;
  /** Shown in the alert banner until the next action. */
  error: string | null;
  /** A calm message that is not an error (a cancelled attack). */
  notice: string | null;
}

export const useAppStore = create<AppState>()(() => ({
  backend: null,
  model: null,
  numTensors: null,
  testSet: null,
  testSetProgress: null,
  task: null,
  error: null,
  notice: null,
}));

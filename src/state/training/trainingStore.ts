/**
 * The training lab's state: the comparison being edited, the curves as they arrive, each run's
 * status, and the models saved in the browser. Written by trainingActions.ts; components read it.
 */
import { create } from 'zustand';
import type { TrainReport } from '../../core/train/trainerConfig';
import type { SavedModelInfo, TrainingRunStatus, TrainingSampleGrid, TrainingSpec } from '../../worker/api';
import { TRAINING_PRESETS } from '../teaching/presets';

/** One point of a run's curves; x is in epochs (epoch + batch / batches per epoch). */
export interface CurvePoint extends TrainReport {
  x: number;
}

export type TrainingPhase = 'idle' | 'loading-data' | 'training' | 'stopped' | 'finished';

interface TrainingState {
  presetId: string;
  spec: TrainingSpec;
  phase: TrainingPhase;
  /** Curves by run id. */
  curves: Record<string, CurvePoint[]>;
  /** The latest replay-buffer grid of each JEM run, by run id. */
  sampleGrids: Record<string, TrainingSampleGrid>;
  /** Runs that diverged during this comparison: the label and the reason, as the worker reported them. */
  divergences: Record<string, { label: string; message: string }>;
  runs: TrainingRunStatus[];
  /** Wall-clock ms and progress fraction when the current stretch of training began (for the ETA). */
  stretch: { startedMs: number; startFraction: number } | null;
  progress: { fraction: number; message: string } | null;
  saved: SavedModelInfo[];
  /** The runs of this comparison saved in the browser: the name and the samples seen when they were saved. */
  savedRuns: Record<string, { name: string; samples: number }>;
}

export const useTraining = create<TrainingState>()(() => ({
  presetId: TRAINING_PRESETS[0].id,
  spec: TRAINING_PRESETS[0].spec,
  phase: 'idle',
  curves: {},
  sampleGrids: {},
  divergences: {},
  runs: [],
  stretch: null,
  progress: null,
  saved: [],
  savedRuns: {},
}));

/** Seconds left, from the pace of the current stretch; null until there is a pace to go by. */
export function estimateSecondsLeft(s: Pick<TrainingState, 'stretch' | 'progress'>, nowMs: number): number | null {
  if (!s.stretch || !s.progress) return null;
  const done = s.progress.fraction - s.stretch.startFraction;
  const elapsed = (nowMs - s.stretch.startedMs) / 1000;
  if (done <= 0.005 || elapsed < 2) return null;
  return (elapsed / done) * (1 - s.progress.fraction);
}

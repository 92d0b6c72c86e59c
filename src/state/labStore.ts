/**
 * What came back from the worker: backend and model status, the image under attack, the attack
 * outcome and ε sweep, the running task and the last error. Written only by the session actions
 * (workerSession, *Actions.ts); components read it.
 */
import { create } from 'zustand';
import type { PreprocessResult } from '../core/image/mnistPreprocess';
import type { ColourPreprocessResult } from '../core/image/colourPreprocess';
import type { Progress } from '../core/util/progress';
import type { AttackOutcome, BackendReport, GalleryItem, ModelSummary, Prediction } from '../worker/api';

export type ImageSource =
  | { kind: 'test'; index: number }
  | {
      kind: 'file';
      name: string;
      /** The picture's own size, and the size it was decoded at (long side ≤ MAX_DECODE_SIDE). */
      original: { width: number; height: number };
      decoded: { width: number; height: number };
      preprocess: PreprocessResult;
    }
  | {
      /** A colour photo made into a colour model's input (short side scaled, centre crop). */
      kind: 'colour-file';
      name: string;
      original: { width: number; height: number };
      decoded: { width: number; height: number };
      preprocess: ColourPreprocessResult;
    };

export interface CurrentImage {
  /** height × width × channels values in [0,1]: exactly what the model receives. */
  pixels: Float32Array;
  height: number;
  width: number;
  channels: number;
  /** Known for a test image; a photo's label is whatever the model predicts. */
  trueLabel: number | null;
  source: ImageSource;
  prediction: Prediction;
}

export interface SweepPoint {
  eps: number;
  outcome: AttackOutcome;
}

export interface Sweep {
  points: SweepPoint[];
  /** Index of the point the ε scrubber is on. */
  selected: number;
}

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
  | 'dataset';

export interface Task {
  /** Tells a task from the one that replaced it, so a late progress report or ending touches only its own. */
  id: number;
  kind: TaskKind;
  label: string;
  progress: Progress | null;
}

export interface GalleryPage {
  classFilter: number | null;
  offset: number;
  items: GalleryItem[];
  hasMore: boolean;
}

interface LabState {
  backend: BackendReport | null;
  model: ModelSummary | null;
  numTensors: number | null;
  testSet: { count: number; fromCache: boolean } | null;
  testSetProgress: Progress | null;
  gallery: GalleryPage;
  image: CurrentImage | null;
  outcome: AttackOutcome | null;
  sweep: Sweep | null;
  task: Task | null;
  /** Shown in the alert banner until the next action. */
  error: string | null;
  /** A calm message that is not an error (a cancelled attack). */
  notice: string | null;
}

export const useLab = create<LabState>()(() => ({
  backend: null,
  model: null,
  numTensors: null,
  testSet: null,
  testSetProgress: null,
  gallery: { classFilter: null, offset: 0, items: [], hasMore: false },
  image: null,
  outcome: null,
  sweep: null,
  task: null,
  error: null,
  notice: null,
}));

/** The outcome the results panel shows: the scrubbed sweep point, else the last attack. */
export function selectShownOutcome(s: LabState): AttackOutcome | null {
  return s.sweep ? s.sweep.points[s.sweep.selected].outcome : s.outcome;
}

export const isAttackRunning = (s: LabState) => s.task?.kind === 'attack' || s.task?.kind === 'sweep';

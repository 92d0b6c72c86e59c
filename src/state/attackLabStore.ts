/**
 * The attack lab's state: the gallery page on show, the picture under attack with the model's
 * prediction for it, the attack's outcome and the ε sweep behind the scrubber. Written by
 * imageActions.ts and attackActions.ts; components read it.
 */
import { create } from 'zustand';
import type { PreprocessResult } from '../core/image/mnistPreprocess';
import type { ColourPreprocessResult } from '../core/image/colourPreprocess';
import type { AttackOutcome, GalleryItem, Prediction } from '../worker/api';

export type ImageSource =
  | { kind: 'test'; index: number }
  | {
      /** A photo the user chose, dropped or snapped with the camera; or a digit drawn on the pad. */
      kind: 'file' | 'drawing';
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

export interface GalleryPage {
  classFilter: number | null;
  offset: number;
  items: GalleryItem[];
  hasMore: boolean;
}

interface AttackLabState {
  gallery: GalleryPage;
  image: CurrentImage | null;
  outcome: AttackOutcome | null;
  sweep: Sweep | null;
}

export const useAttackLab = create<AttackLabState>()(() => ({
  gallery: { classFilter: null, offset: 0, items: [], hasMore: false },
  image: null,
  outcome: null,
  sweep: null,
}));

/** The outcome the results panel shows: the scrubbed sweep point, else the last attack. */
export function selectShownOutcome(s: AttackLabState): AttackOutcome | null {
  return s.sweep ? s.sweep.points[s.sweep.selected].outcome : s.outcome;
}

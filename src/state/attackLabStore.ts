/**
 * The attack lab's state: the gallery page on show, the picture under attack with the model's
 * prediction for it, a picture still being classified, the attack's outcome and the ε sweep behind
 * the scrubber, and the attack job pending or running. Every picture gets a number of its own, and
 * the outcome and sweep carry the number of the picture they were computed for, so that a result
 * is never shown beside another picture. Written by imageActions.ts and attackActions.ts;
 * components read it.
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
      /** A picture the model dreamed (the Dream panel: class-conditional SGLD toward `classIndex`). */
      kind: 'dream';
      classIndex: number;
      steps: number;
      start: 'noise' | 'picture';
      /** The model that dreamed it. */
      model: string;
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
  /** This picture's identity: a new number each time a picture is chosen (even the same test image again). */
  id: number;
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

/** A picture chosen but not classified yet (on a slow backend that takes seconds). */
export type PendingImage = Omit<CurrentImage, 'prediction'>;

/** An attack the user asked for: waiting for its turn (the picture still being classified), or running. */
export interface AttackJob {
  /** Tells this job from one that replaced it. */
  id: number;
  phase: 'queued' | 'attack' | 'sweep';
  /** What the lab shows for it, e.g. "Queued: PGD waits for the new picture to be classified". */
  label: string;
}

export interface SweepPoint {
  eps: number;
  outcome: AttackOutcome;
}

export interface Sweep {
  /** The picture (CurrentImage.id) the sweep attacked. */
  imageId: number;
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

/** An attack's outcome with the picture (CurrentImage.id) it was computed for. */
export interface TaggedOutcome {
  imageId: number;
  outcome: AttackOutcome;
}

interface AttackLabState {
  gallery: GalleryPage;
  image: CurrentImage | null;
  /** The picture chosen last, while the model classifies it; `image` still holds the one before. */
  pendingImage: PendingImage | null;
  outcome: TaggedOutcome | null;
  sweep: Sweep | null;
  job: AttackJob | null;
}

export const useAttackLab = create<AttackLabState>()(() => ({
  gallery: { classFilter: null, offset: 0, items: [], hasMore: false },
  image: null,
  pendingImage: null,
  outcome: null,
  sweep: null,
  job: null,
}));

/**
 * The outcome the results panel shows: the scrubbed sweep point, else the last attack — only if it was computed for
 * the picture on screen, and no other picture is being classified in its place.
 */
export function selectShownOutcome(s: AttackLabState): AttackOutcome | null {
  const id = s.image?.id;
  if (id === undefined || s.pendingImage) return null;
  if (s.sweep?.imageId === id) return s.sweep.points[s.sweep.selected].outcome;
  return s.outcome?.imageId === id ? s.outcome.outcome : null;
}

/** The attack's own outcome (at the chosen ε, whatever the scrubber shows), if it belongs to the picture on screen. */
export function selectAttackOutcome(s: AttackLabState): AttackOutcome | null {
  return s.outcome && !s.pendingImage && s.outcome.imageId === s.image?.id ? s.outcome.outcome : null;
}

/** The sweep behind the scrubber, if it belongs to the picture on screen. */
export function selectShownSweep(s: AttackLabState): Sweep | null {
  return s.sweep && !s.pendingImage && s.sweep.imageId === s.image?.id ? s.sweep : null;
}

/** The picture the model input panel shows: the one being classified, else the current one. */
export function selectShownPicture(s: AttackLabState): PendingImage | null {
  return s.pendingImage ?? s.image;
}

let lastImageId = 0;
/** A fresh identity for a newly chosen picture. */
export function nextImageId(): number {
  lastImageId += 1;
  return lastImageId;
}

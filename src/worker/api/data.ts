/** The data sets the worker holds: MNIST's splits, CIFAR-10 stored in the browser, and the gallery over them. */
import type { DatasetName, Split } from '../../core/data/dataset';
import type { Progress } from '../../core/util/progress';

export interface GalleryItem {
  /** Index in the test split. */
  index: number;
  label: number;
  pixels: Float32Array;
  /** The shape of `pixels` (28×28×1 for MNIST, 32×32×3 for CIFAR-10). */
  height: number;
  width: number;
  channels: number;
}

/** A page of the gallery: test images, optionally of one class only, `limit` from `offset` within that selection. */
export interface GalleryQuery {
  classFilter?: number;
  offset: number;
  limit: number;
  dataset?: DatasetName;
}

/**
 * Where CIFAR-10 comes from: files the user chose (the archive, or its .bin files), or an address serving the archive.
 */
export type Cifar10Source = { kind: 'files'; files: { name: string; data: Blob }[] } | { kind: 'url'; url: string };

/** What this browser holds of CIFAR-10 (IndexedDB), known without reading the images. */
export interface Cifar10Stored {
  classNames: string[];
  counts: Partial<Record<Split, number>>;
  /** Bytes of images and labels stored. */
  bytes: number;
  /** The file names or the address it was read from. */
  source: string;
  savedAt: string;
  /** False when the browser refused to store it (full, private mode): it works for this visit only. */
  persisted: boolean;
  notPersistedBecause?: string;
}

export interface DataApi {
  /** Fetches (or reads from the browser cache) the MNIST test split. */
  loadTestSet(baseUrl: string, onProgress?: (p: Progress) => void): Promise<{ count: number; fromCache: boolean }>;
  /**
   * The page's first prediction is on screen: the worker may now do what it held back so as not to delay it (storing
   * the downloaded test split in the browser).
   */
  afterFirstPrediction(): Promise<void>;
  /** Fetches (or reads from the browser cache) the MNIST training split: 47 MB the first time. */
  loadTrainingSet(baseUrl: string, onProgress?: (p: Progress) => void): Promise<{ count: number; fromCache: boolean }>;
  /** Test images, optionally of one class only, `limit` from `offset` within that selection. */
  gallery(query: GalleryQuery): Promise<GalleryItem[]>;
  /** What CIFAR-10 data this browser has stored, or null; reads no images. */
  cifar10Stored(): Promise<Cifar10Stored | null>;
  /** Makes the stored CIFAR-10 test split the one `gallery({ dataset: 'cifar10' })` shows; null when none is stored. */
  loadCifar10(): Promise<Cifar10Stored | null>;
  /**
   * Reads CIFAR-10 (archive streamed, or .bin files, or an address), stores it in the browser and loads its test split;
   * cancellable.
   */
  importCifar10(source: Cifar10Source, onProgress?: (p: Progress) => void): Promise<Cifar10Stored>;
  /** Deletes the stored CIFAR-10 data and drops it from memory. */
  forgetCifar10(): Promise<void>;
}

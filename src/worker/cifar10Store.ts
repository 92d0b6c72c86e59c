/**
 * CIFAR-10 in the browser: the user brings the official binary archive (or its .bin files, or an
 * address that serves the archive); the worker parses it once (src/core/data/cifar10.ts) and keeps
 * the parsed splits (NHWC bytes + labels + class names) in IndexedDB, so the next visit reads them
 * from there without asking again. Each split is its own entry: the attack lab reads only the test
 * split (30 MB), never the 150 MB training split. A small info entry says what is stored without
 * reading it. Cached data are checked like fresh ones before use.
 */
import { clear, createStore, del, get, set } from 'idb-keyval';
import {
  CIFAR10_ARCHIVE_NAME,
  CIFAR10_CHANNELS,
  CIFAR10_FILES,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_META_FILE,
  CIFAR10_SIDE,
  cifar10FromFiles,
  readCifar10Archive,
  type ArchiveProgress,
  type Cifar10Splits,
} from '../core/data/cifar10';
import type { ImageDataset, Split } from '../core/data/dataset';
import { CancelledError, DataFormatError, PlaygroundError } from '../core/util/errors';
import type { Progress } from '../core/util/progress';
import type { Cifar10Source, Cifar10Stored } from './api';

const INFO_KEY = 'info-v1';
const SPLIT_KEY: Record<Split, string> = { train: 'train-v1', test: 'test-v1' };
const CLASS_COUNT = 10;

let store: ReturnType<typeof createStore> | undefined;
const cifarStore = () => (store ??= createStore('robustness-playground-cifar10', 'splits'));

interface StoredSplit {
  count: number;
  images: Uint8Array;
  labels: Uint8Array;
  classNames: string[];
}

/** What is stored, without reading the images; null when nothing is. */
export async function storedCifar10(): Promise<Cifar10Stored | null> {
  return (await get<Cifar10Stored>(INFO_KEY, cifarStore()).catch(() => undefined)) ?? null;
}

function asDataset(split: Split, s: StoredSplit): ImageDataset {
  const ok =
    Number.isInteger(s.count) &&
    s.images instanceof Uint8Array &&
    s.labels instanceof Uint8Array &&
    s.images.length === s.count * CIFAR10_IMAGE_BYTES &&
    s.labels.length === s.count &&
    Array.isArray(s.classNames) &&
    s.classNames.length === CLASS_COUNT &&
    s.labels.every((l) => l < CLASS_COUNT);
  if (!ok) throw new DataFormatError(`The CIFAR-10 ${split} split stored in this browser is damaged; it has been forgotten. Load the data again.`);
  return {
    name: 'cifar10',
    split,
    count: s.count,
    height: CIFAR10_SIDE,
    width: CIFAR10_SIDE,
    channels: CIFAR10_CHANNELS,
    images: s.images,
    labels: s.labels,
    classNames: s.classNames,
  };
}

/** One stored split, or undefined when it was never stored. A damaged one is forgotten and reported. */
export async function loadStoredSplit(split: Split): Promise<ImageDataset | undefined> {
  const s = await get<StoredSplit>(SPLIT_KEY[split], cifarStore()).catch(() => undefined);
  if (!s) return undefined;
  try {
    return asDataset(split, s);
  } catch (err) {
    await forgetCifar10();
    throw err;
  }
}

export async function forgetCifar10(): Promise<void> {
  await clear(cifarStore());
}

async function saveSplits(splits: Cifar10Splits, source: string): Promise<Cifar10Stored> {
  const info: Cifar10Stored = { classNames: splits.classNames, counts: {}, bytes: 0, source, savedAt: new Date().toISOString(), persisted: false };
  // A new import replaces whatever was there (a test-only import must not keep an old training split).
  await forgetCifar10().catch(() => undefined);
  try {
    for (const split of ['test', 'train'] as const) {
      const ds = splits[split];
      if (!ds) continue;
      const entry: StoredSplit = { count: ds.count, images: ds.images, labels: ds.labels, classNames: [...ds.classNames] };
      await set(SPLIT_KEY[split], entry, cifarStore());
      info.counts[split] = ds.count;
      info.bytes += ds.images.byteLength + ds.labels.byteLength;
    }
    info.persisted = true;
    await set(INFO_KEY, info, cifarStore());
  } catch (err) {
    // Storage full or private mode: the data still work for this visit.
    await del(SPLIT_KEY.train, cifarStore()).catch(() => undefined);
    await del(SPLIT_KEY.test, cifarStore()).catch(() => undefined);
    info.persisted = false;
    info.notPersistedBecause = (err as Error).message || String(err);
  }
  return info;
}

const isBinFile = (name: string) => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return /\.bin$/i.test(base) || base === CIFAR10_META_FILE;
};

interface ImportTask {
  onProgress?: (p: Progress) => void;
  isCancelled: () => boolean;
}

const archiveProgress = (onProgress: ImportTask['onProgress'], what: string) => (p: ArchiveProgress) =>
  onProgress?.({ fraction: p.fraction * 0.95, message: `Reading ${what}: ${p.message}` });

async function readFiles(files: { name: string; data: Blob }[], task: ImportTask): Promise<Cifar10Splits> {
  // The archive itself (one file that is not a .bin): streamed, never held whole.
  if (files.length === 1 && !isBinFile(files[0].name)) {
    const { name, data } = files[0];
    return readCifar10Archive(data, { what: name, onProgress: archiveProgress(task.onProgress, name), isCancelled: task.isCancelled });
  }
  const named: { name: string; bytes: Uint8Array }[] = [];
  const total = files.reduce((a, f) => a + f.data.size, 0);
  let read = 0;
  for (const f of files) {
    if (task.isCancelled()) throw new CancelledError();
    named.push({ name: f.name, bytes: new Uint8Array(await f.data.arrayBuffer()) });
    read += f.data.size;
    task.onProgress?.({ fraction: total > 0 ? (0.9 * read) / total : 0, message: `Reading ${f.name} (${(read / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB)` });
  }
  return cifar10FromFiles(named);
}

async function fetchArchive(url: string, task: ImportTask): Promise<Cifar10Splits> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new PlaygroundError(
      `Could not fetch ${url}: ${(err as Error).message}. The server must be reachable and allow this page to read the file (CORS); ` +
        `otherwise download ${CIFAR10_ARCHIVE_NAME} and drop it here.`,
    );
  }
  if (!response.ok) throw new PlaygroundError(`Could not fetch ${url}: HTTP ${response.status}.`);
  if (!response.body) throw new PlaygroundError(`Could not fetch ${url}: the response has no body.`);
  // A server that compresses on the fly reports the compressed length; then the bar is approximate.
  const length = Number(response.headers.get('Content-Length') ?? 0);
  const name = url.slice(url.lastIndexOf('/') + 1) || url;
  return readCifar10Archive(response.body, {
    what: name,
    totalBytes: length > 0 ? length : undefined,
    onProgress: archiveProgress(task.onProgress, name),
    isCancelled: task.isCancelled,
  });
}

/**
 * Parses CIFAR-10 from what the user gave, stores it, and returns the test split (which the
 * attack lab needs) and what was stored. The training split goes to storage only.
 */
export async function importCifar10(source: Cifar10Source, task: ImportTask): Promise<{ test: ImageDataset; stored: Cifar10Stored }> {
  if (source.kind === 'files' && source.files.length === 0) throw new DataFormatError('No files were given.');
  const splits = source.kind === 'url' ? await fetchArchive(source.url, task) : await readFiles(source.files, task);
  if (!splits.test) {
    throw new DataFormatError(`The attack lab needs CIFAR-10's test split: add ${CIFAR10_FILES.test[0]} (the training batches alone are not enough).`);
  }
  if (task.isCancelled()) throw new CancelledError();
  task.onProgress?.({ fraction: 0.96, message: 'Storing CIFAR-10 in this browser' });
  const what = source.kind === 'url' ? source.url : source.files.map((f) => f.name).join(', ');
  const stored = await saveSplits(splits, what);
  task.onProgress?.({ fraction: 1, message: 'CIFAR-10 ready' });
  return { test: splits.test, stored };
}

/**
 * CIFAR-10 in the browser: the user brings the official binary archive (or its .bin files, or an
 * address that serves the archive); the worker parses it once (src/core/data/cifar10.ts) and keeps
 * the parsed splits (NHWC bytes + labels + class names) in IndexedDB, so the next visit reads them
 * from there without asking again. Each split is its own entry: the attack lab reads only the test
 * split (30 MB), never the 150 MB training split. IndexedDB refuses a value over about 133 MB
 * (Chromium), so a split is stored in chunks of CHUNK_IMAGES images. A small info entry says what
 * is stored without reading it. Cached data are checked like fresh ones before use.
 */
import { clear, createStore, get, set } from 'idb-keyval';
import {
  CIFAR10_ARCHIVE_NAME,
  CIFAR10_FILES,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_META_FILE,
} from '../core/data/cifar10Constants';
import { cifar10Dataset, cifar10FromFiles, type Cifar10Splits } from '../core/data/cifar10';
import { readCifar10Archive } from '../core/data/cifar10Archive';
import type { ImageDataset, Split } from '../core/data/dataset';
import { CancelledError, DataFormatError, PlaygroundError } from '../core/util/errors';
import { subTask, yieldToEventLoop, type Progress } from '../core/util/progress';
import type { Cifar10Source, Cifar10Stored } from './api';

const INFO_KEY = 'info-v1';
const chunkKey = (split: Split, k: number) => `${split}-v1-${k}`;
/** One official batch per entry: 30.7 MB, well under IndexedDB's per-value limit. */
const CHUNK_IMAGES = 10_000;
const CLASS_COUNT = 10;
/**
 * A Blob's or a response's buffered chunks resolve as microtasks, so a read loop over them never
 * lets the worker take a message, and Cancel would wait for the whole archive. Yield this often.
 */
const YIELD_EVERY_BYTES = 2 << 20;

let store: ReturnType<typeof createStore> | undefined;
const cifarStore = () => (store ??= createStore('robustness-playground-cifar10', 'splits'));

/** Images first … first + count − 1 of a split. */
interface StoredChunk {
  first: number;
  count: number;
  images: Uint8Array;
  labels: Uint8Array;
  classNames: string[];
}

/** What is stored, without reading the images; null when nothing is. */
export async function storedCifar10(): Promise<Cifar10Stored | null> {
  return (await get<Cifar10Stored>(INFO_KEY, cifarStore()).catch(() => undefined)) ?? null;
}

function chunkIsSound(c: StoredChunk | undefined, first: number, count: number): c is StoredChunk {
  return (
    c !== undefined &&
    c.first === first &&
    c.count === count &&
    c.images instanceof Uint8Array &&
    c.labels instanceof Uint8Array &&
    c.images.length === count * CIFAR10_IMAGE_BYTES &&
    c.labels.length === count &&
    Array.isArray(c.classNames) &&
    c.classNames.length === CLASS_COUNT &&
    c.labels.every((l) => l < CLASS_COUNT)
  );
}

/** One stored split, or undefined when it was never stored. A damaged one is forgotten and reported. */
export async function loadStoredSplit(split: Split): Promise<ImageDataset | undefined> {
  const count = (await storedCifar10())?.counts[split];
  if (count === undefined) return undefined;
  const images = new Uint8Array(count * CIFAR10_IMAGE_BYTES);
  const labels = new Uint8Array(count);
  let classNames: string[] = [];
  for (let k = 0, first = 0; first < count; k++, first += CHUNK_IMAGES) {
    const n = Math.min(CHUNK_IMAGES, count - first);
    const chunk = await get<StoredChunk>(chunkKey(split, k), cifarStore()).catch(() => undefined);
    if (!chunkIsSound(chunk, first, n)) {
      await forgetCifar10();
      throw new DataFormatError(
        `The CIFAR-10 ${split} split stored in this browser is damaged; it has been forgotten. Load the data again.`,
      );
    }
    images.set(chunk.images, first * CIFAR10_IMAGE_BYTES);
    labels.set(chunk.labels, first);
    classNames = chunk.classNames;
  }
  return cifar10Dataset(split, images, labels, classNames);
}

export async function forgetCifar10(): Promise<void> {
  await clear(cifarStore());
}

async function saveSplits(splits: Cifar10Splits, source: string): Promise<Cifar10Stored> {
  const info: Cifar10Stored = {
    classNames: splits.classNames,
    counts: {},
    bytes: 0,
    source,
    savedAt: new Date().toISOString(),
    persisted: false,
  };
  // A new import replaces whatever was there (a test-only import must not keep an old training split).
  await forgetCifar10().catch(() => undefined);
  try {
    for (const split of ['test', 'train'] as const) {
      const ds = splits[split];
      if (!ds) continue;
      for (let k = 0, first = 0; first < ds.count; k++, first += CHUNK_IMAGES) {
        const n = Math.min(CHUNK_IMAGES, ds.count - first);
        const chunk: StoredChunk = {
          first,
          count: n,
          // slice, not subarray: a view would make IndexedDB serialise the whole split's buffer
          images: ds.images.slice(first * CIFAR10_IMAGE_BYTES, (first + n) * CIFAR10_IMAGE_BYTES),
          labels: ds.labels.slice(first, first + n),
          classNames: [...ds.classNames],
        };
        await set(chunkKey(split, k), chunk, cifarStore());
      }
      info.counts[split] = ds.count;
      info.bytes += ds.images.byteLength + ds.labels.byteLength;
    }
    info.persisted = true;
    await set(INFO_KEY, info, cifarStore()); // last: the info entry vouches for complete splits
  } catch (err) {
    // Storage full or private mode: the data still work for this visit.
    await forgetCifar10().catch(() => undefined);
    info.counts = { test: splits.test?.count, train: splits.train?.count };
    info.persisted = false;
    info.notPersistedBecause = (err as Error).message || String(err);
  }
  return info;
}

/** The stream's chunks, with a pause for the event loop every YIELD_EVERY_BYTES (see there). */
async function* withPauses(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  let sincePause = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
      sincePause += value.length;
      if (sincePause >= YIELD_EVERY_BYTES) {
        sincePause = 0;
        await yieldToEventLoop();
      }
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

const isBinFile = (name: string) => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return /\.bin$/i.test(base) || base === CIFAR10_META_FILE;
};

interface ImportTask {
  onProgress?: (p: Progress) => void;
  isCancelled: () => boolean;
}

async function readFiles(files: { name: string; data: Blob }[], task: ImportTask): Promise<Cifar10Splits> {
  // The archive itself (one file that is not a .bin): streamed, never held whole.
  if (files.length === 1 && !isBinFile(files[0].name)) {
    const { name, data } = files[0];
    return readCifar10Archive(withPauses(data.stream() as ReadableStream<Uint8Array>), {
      what: name,
      totalBytes: data.size,
      // Reading takes the bar to 95 %; storing the rest.
      ...subTask(task, 0, 0.95, `Reading ${name}`),
    });
  }
  const named: { name: string; bytes: Uint8Array }[] = [];
  const total = files.reduce((a, f) => a + f.data.size, 0);
  let read = 0;
  for (const f of files) {
    if (task.isCancelled()) throw new CancelledError();
    named.push({ name: f.name, bytes: new Uint8Array(await f.data.arrayBuffer()) });
    read += f.data.size;
    task.onProgress?.({
      fraction: total > 0 ? (0.9 * read) / total : 0,
      message: `Reading ${f.name} (${(read / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB)`,
    });
  }
  return cifar10FromFiles(named);
}

async function fetchArchive(url: string, task: ImportTask): Promise<Cifar10Splits> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new PlaygroundError(
      `Could not fetch ${url}: ${(err as Error).message}. The server must be reachable and allow this page to read ` +
        `the file (CORS); ` +
        `otherwise download ${CIFAR10_ARCHIVE_NAME} and drop it here.`,
    );
  }
  if (!response.ok) throw new PlaygroundError(`Could not fetch ${url}: HTTP ${response.status}.`);
  if (!response.body) throw new PlaygroundError(`Could not fetch ${url}: the response has no body.`);
  // A server that compresses on the fly reports the compressed length; then the bar is approximate.
  const length = Number(response.headers.get('Content-Length') ?? 0);
  const name = url.slice(url.lastIndexOf('/') + 1) || url;
  return readCifar10Archive(withPauses(response.body), {
    what: name,
    totalBytes: length > 0 ? length : undefined,
    ...subTask(task, 0, 0.95, `Reading ${name}`),
  });
}

/**
 * Parses CIFAR-10 from what the user gave, stores it, and returns the test split (which the
 * attack lab needs) and what was stored. The training split goes to storage only.
 */
export async function importCifar10(
  source: Cifar10Source,
  task: ImportTask,
): Promise<{ test: ImageDataset; stored: Cifar10Stored }> {
  if (source.kind === 'files' && source.files.length === 0) throw new DataFormatError('No files were given.');
  const splits = source.kind === 'url' ? await fetchArchive(source.url, task) : await readFiles(source.files, task);
  if (!splits.test) {
    throw new DataFormatError(
      `The attack lab needs CIFAR-10's test split: add ${CIFAR10_FILES.test[0]} (the training batches alone are ` +
        `not enough).`,
    );
  }
  if (task.isCancelled()) throw new CancelledError();
  task.onProgress?.({ fraction: 0.96, message: 'Storing CIFAR-10 in this browser' });
  const what = source.kind === 'url' ? source.url : source.files.map((f) => f.name).join(', ');
  const stored = await saveSplits(splits, what);
  task.onProgress?.({ fraction: 1, message: 'CIFAR-10 ready' });
  return { test: splits.test, stored };
}

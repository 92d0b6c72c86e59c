/**
 * The MNIST splits in the browser: each fetched once (test 7.8 MB; train 47 MB, only when the
 * training lab needs it) with progress, then kept in IndexedDB so a reload reads it from there.
 * Cached bytes are validated like fresh ones.
 */
import { del, get, set } from 'idb-keyval';
import type { ImageDataset, Split } from '../core/data/dataset';
import { MNIST_FILES, mnistFirstExamples, mnistFromIdx, mnistImagePrefixLength } from '../core/data/mnist';
import type { Progress } from '../core/util/progress';
import { PlaygroundError } from '../core/util/errors';
import { type BytePrefix, fetchBytes, UnreachableError } from './fetchWithProgress';
import { afterStartup } from './startupGate';

const CACHE_KEYS: Record<Split, string> = { test: 'mnist-test-idx-v1', train: 'mnist-train-idx-v1' };

/**
 * Why training cannot start without a network: the offline copy (the service worker's precache) leaves out the 47 MB
 * training split, which is fetched the first time the training lab needs it and kept in IndexedDB from then on.
 */
export const TRAINING_SET_UNREACHABLE =
  'The MNIST training images are not in the offline copy: connect to the internet once to fetch them (47 MB); ' +
  'this browser keeps them afterwards.';

interface CachedIdx {
  images: Uint8Array;
  labels: Uint8Array;
}

/** The first examples of a split, handed over while the rest downloads (the first gallery page needs no more). */
export interface FirstExamples {
  count: number;
  onArrived: (dataset: ImageDataset) => void;
}

export async function loadMnistSplit(
  split: Split,
  baseUrl: string,
  onProgress?: (p: Progress) => void,
  first?: FirstExamples,
): Promise<{ dataset: ImageDataset; fromCache: boolean }> {
  const key = CACHE_KEYS[split];
  const cached = await get<CachedIdx>(key).catch(() => undefined);
  if (cached) {
    try {
      const dataset = mnistFromIdx(split, cached.images, cached.labels);
      onProgress?.({ fraction: 1, message: `MNIST ${split} set read from the browser cache` });
      return { dataset, fromCache: true };
    } catch {
      await del(key).catch(() => undefined); // a damaged cache entry: fetch again
    }
  }
  const files = MNIST_FILES[split];
  const { labels, images } = await fetchSplit(baseUrl, files, split, onProgress, first).catch((err: unknown) => {
    if (split === 'train' && err instanceof UnreachableError) throw new PlaygroundError(TRAINING_SET_UNREACHABLE);
    throw err;
  });
  const dataset = mnistFromIdx(split, images, labels);
  // Stored in the background: the caller need not wait for the write (private mode: no cache, and it still works).
  // Copying the test split's 7.8 MB into IndexedDB holds this thread for up to a second: it waits until the first
  // prediction is on screen.
  const store = () => void set(key, { images, labels } satisfies CachedIdx).catch(() => undefined);
  if (split === 'test') afterStartup(store);
  else store();
  onProgress?.({ fraction: 1, message: `MNIST ${split} set ready` });
  return { dataset, fromCache: false };
}

async function fetchSplit(
  baseUrl: string,
  files: { images: string; labels: string },
  split: Split,
  onProgress?: (p: Progress) => void,
  first?: FirstExamples,
): Promise<CachedIdx> {
  // Both at once: the labels (10–60 kB) arrive long before the images' first page.
  const labelsLoaded = fetchBytes(baseUrl + files.labels);
  labelsLoaded.catch(() => undefined); // awaited below
  const prefix: BytePrefix | undefined = first && {
    length: mnistImagePrefixLength(first.count),
    onPrefix: (bytes) => {
      // A bad prefix is left to the whole file's checks, which name the problem.
      labelsLoaded
        .then((labels) => first.onArrived(mnistFirstExamples(split, bytes, labels, first.count)))
        .catch(() => undefined);
    },
  };
  const images = await fetchBytes(
    baseUrl + files.images,
    (loaded, total) =>
      onProgress?.({
        fraction: total > 0 ? loaded / total : 0,
        message:
          `Downloading MNIST ${split} images: ` +
          `${(loaded / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`,
      }),
    prefix,
  );
  return { labels: await labelsLoaded, images };
}

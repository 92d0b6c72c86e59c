/**
 * The MNIST test split in the browser: fetched once (7.8 MB) with progress, then kept in
 * IndexedDB so a reload reads it from there. The cached bytes are validated like fresh ones.
 */
import { del, get, set } from 'idb-keyval';
import type { ImageDataset } from '../core/data/dataset';
import { MNIST_FILES, mnistFromIdx } from '../core/data/mnist';
import type { Progress } from '../core/util/progress';
import { fetchBytes } from './fetchWithProgress';

const CACHE_KEY = 'mnist-test-idx-v1';

interface CachedIdx {
  images: Uint8Array;
  labels: Uint8Array;
}

export async function loadMnistTestSet(
  baseUrl: string,
  onProgress?: (p: Progress) => void,
): Promise<{ dataset: ImageDataset; fromCache: boolean }> {
  const cached = await get<CachedIdx>(CACHE_KEY).catch(() => undefined);
  if (cached) {
    try {
      const dataset = mnistFromIdx('test', cached.images, cached.labels);
      onProgress?.({ fraction: 1, message: 'MNIST test set read from the browser cache' });
      return { dataset, fromCache: true };
    } catch {
      await del(CACHE_KEY).catch(() => undefined); // a damaged cache entry: fetch again
    }
  }
  const files = MNIST_FILES.test;
  const labels = await fetchBytes(baseUrl + files.labels);
  const images = await fetchBytes(baseUrl + files.images, (loaded, total) =>
    onProgress?.({
      fraction: total > 0 ? loaded / total : 0,
      message: `Downloading MNIST test images: ${(loaded / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`,
    }),
  );
  const dataset = mnistFromIdx('test', images, labels);
  await set(CACHE_KEY, { images, labels } satisfies CachedIdx).catch(() => undefined); // private mode: no cache, still works
  onProgress?.({ fraction: 1, message: 'MNIST test set ready' });
  return { dataset, fromCache: false };
}

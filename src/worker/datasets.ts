/** The data sets' methods: MNIST's splits, CIFAR-10 in the browser's storage, and the gallery's pages. */
import { exampleAsFloat, type ImageDataset } from '../core/data/dataset';
import type { DataApi, GalleryItem, GalleryQuery } from './api';
import * as cifar10Store from './cifar10Store';
import { throttleProgress } from '../core/util/progress';
import { loadMnistSplit } from './mnistSplits';
import { openStartupGate } from './startupGate';
import type { WorkerState } from './workerState';

export function dataApi(state: WorkerState): DataApi {
  return {
    async loadTestSet(baseUrl, onProgress) {
      let arrived = () => {};
      const firstArrived = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const first = {
        count: FIRST_EXAMPLES,
        onArrived: (d: ImageDataset) => {
          state.mnistTestFirst = d;
          arrived();
        },
      };
      const loading = loadMnistSplit('test', baseUrl, onProgress && throttleProgress(onProgress), first);
      state.mnistTestLoading = loading.then((r) => r.dataset);
      state.mnistTestLoading.catch(() => undefined); // the page hears of a failure from this call
      state.mnistTestFirstArrived = Promise.race([firstArrived, state.mnistTestLoading.catch(() => undefined)]);
      const { dataset, fromCache } = await loading;
      state.mnistTest = dataset;
      state.mnistTestFirst = undefined;
      return { count: dataset.count, fromCache };
    },

    async afterFirstPrediction() {
      openStartupGate();
    },

    async loadTrainingSet(baseUrl, onProgress) {
      if (state.mnistTrain) return { count: state.mnistTrain.count, fromCache: true };
      const { dataset, fromCache } = await loadMnistSplit('train', baseUrl, onProgress && throttleProgress(onProgress));
      state.mnistTrain = dataset;
      return { count: dataset.count, fromCache };
    },

    async gallery(query) {
      const dataset = query.dataset ?? 'mnist';
      // The first page, while the rest of the test split downloads: the first prediction need not wait for it.
      if (dataset === 'mnist' && !state.mnistTest && withinFirst(query, FIRST_EXAMPLES)) {
        await state.mnistTestFirstArrived;
      }
      const first = state.mnistTestFirst;
      if (dataset === 'mnist' && !state.mnistTest && first && withinFirst(query, first.count)) {
        return galleryPage(first, query);
      }
      return galleryPage(await state.testSetOf(dataset), query);
    },

    cifar10Stored() {
      return cifar10Store.storedCifar10();
    },

    async loadCifar10() {
      const stored = await cifar10Store.storedCifar10();
      if (!stored) return null;
      if (!state.cifar10Test) {
        const test = await cifar10Store.loadStoredSplit('test');
        if (!test) {
          await cifar10Store.forgetCifar10();
          return null;
        }
        state.cifar10Test = test;
      }
      return stored;
    },

    async importCifar10(source, onProgress) {
      const { test, stored } = await cifar10Store.importCifar10(source, state.startTask(onProgress));
      state.cifar10Test = test;
      state.cifar10Train = undefined; // new files: read the new training split when it is needed
      return stored;
    },

    async forgetCifar10() {
      state.cifar10Test = undefined;
      state.cifar10Train = undefined;
      await cifar10Store.forgetCifar10();
    },
  };
}

/** Test examples the page gets before the rest of the split (78 kB of 7.8 MB): a few gallery pages. */
const FIRST_EXAMPLES = 100;

/** Whether a gallery query is answered by the first `count` examples alone (no class filter: those skip ahead). */
function withinFirst(query: GalleryQuery, count: number): boolean {
  return query.classFilter === undefined && query.offset + query.limit <= count;
}

/** The examples of `ds` that pass the class filter, `limit` of them from the `offset`-th on. */

export function galleryPage(ds: ImageDataset, query: GalleryQuery): GalleryItem[] {
  const items: GalleryItem[] = [];
  let seen = 0;
  for (let i = 0; i < ds.count && items.length < query.limit; i++) {
    if (query.classFilter !== undefined && ds.labels[i] !== query.classFilter) continue;
    if (seen++ < query.offset) continue;
    items.push({
      index: i,
      label: ds.labels[i],
      pixels: exampleAsFloat(ds, i),
      height: ds.height,
      width: ds.width,
      channels: ds.channels,
    });
  }
  return items;
}

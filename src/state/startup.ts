/**
 * What happens when the page opens: start tfjs on the chosen backend, load the MNIST test split
 * (with progress), load the shipped model, show the first gallery page and classify its first digit.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../core/util/progress';
import type { BackendReport } from '../worker/api';
import { restoreDataset } from './datasetActions';
import { latestPerFrame } from './frameBatch';
import { fetchGalleryPage, showTestImage } from './imageActions';
import { useAppStore } from './appStore';
import { useAttackLab } from './attackLabStore';
import { DEFAULT_MODEL_URL } from './shippedModels';
import { requestedWasmThreads } from './readiness';
import { useSettings } from './settingsStore';
import { errorMessage, playground, runTask, setTaskLabel, showError } from './workerSession';

/** Where vite.config.ts serves the tfjs wasm binaries and the MNIST test files. */
export const WASM_BASE = '/tfjs-wasm/';
export const MNIST_BASE = '/data/mnist/';

let started = false;

export async function loadInitial(): Promise<void> {
  // React's StrictMode runs effects twice in development; the worker must start once.
  if (started) return;
  started = true;
  const api = playground();
  let testSetLoaded: Promise<{ count: number; fromCache: boolean }> | undefined;
  await runTask('startup', 'Starting TensorFlow.js', async () => {
    // A lost WebGPU device makes the worker switch backend on its own: show which, and why.
    const onBackendChange = Comlink.proxy((report: BackendReport) => {
      useSettings.getState().setBackendChoice('auto');
      useAppStore.setState({ backend: report, notice: report.reason });
    });
    // tfjs starts, the model's files and the test set download, all at once. The first prediction waits only for
    // the first of the test set's digits (the worker hands them over as they arrive), not for the whole split.
    useAppStore.setState({ testSetProgress: { fraction: 0, message: 'Loading the MNIST test set' } });
    const latest = latestPerFrame((p: Progress) => useAppStore.setState({ testSetProgress: p }));
    const onProgress = Comlink.proxy((p: Progress) => latest.push(p));
    testSetLoaded = api.loadTestSet(MNIST_BASE, onProgress).finally(() => {
      latest.discard();
      useAppStore.setState({ testSetProgress: null });
    });
    testSetLoaded.catch(() => undefined); // awaited below; a failure before then is not unhandled
    const options = { wasmThreads: requestedWasmThreads() };
    const backend = api.init(useSettings.getState().backend, WASM_BASE, onBackendChange, options);
    const model = api.loadModel(DEFAULT_MODEL_URL);
    model.catch(() => undefined); // awaited below, after the backend (whose failure says more)
    useAppStore.setState({ backend: await backend });

    setTaskLabel('Loading the model');
    useAppStore.setState({ model: await model });

    setTaskLabel('Classifying the first test digit');
    const [first] = await fetchGalleryPage(null, 0);
    if (first) await showTestImage(first);
  });
  // The first prediction is in (or startup failed): the worker may do what it held back.
  void api.afterFirstPrediction();
  // The rest of the test set arrives after the first prediction, its progress in the status line; the worker's
  // calls that need it wait for it. Not awaited: the link's setup (restoreLink, next) must apply at once, before the
  // user moves on, not seconds later over what they chose meanwhile.
  void testSetLoaded?.then(
    (testSet) => useAppStore.setState({ testSet }),
    (err: unknown) => showError(errorMessage(err)),
  );
  // Then CIFAR-10: what the browser stored, and the data set the address asks for (?dataset=cifar10).
  if (useAttackLab.getState().image) await restoreDataset();
}

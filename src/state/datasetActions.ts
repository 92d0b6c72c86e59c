/**
 * Switching the attack lab between MNIST and CIFAR-10, and bringing CIFAR-10 into the browser:
 * from the official archive or its .bin files (dropped or chosen), or an address that serves the
 * archive. The worker parses and stores it (IndexedDB); the next visit reads it from there.
 */
import type { DatasetName } from '../core/data/dataset';
import type { Cifar10Source, ModelSummary } from '../worker/api';
import { fetchGalleryPage, showTestImage } from './imageActions';
import { useDatasets, DATASET_TITLES } from './datasetStore';
import { useAppStore } from './appStore';
import { useAttackLab } from './attackLabStore';
import { DEFAULT_MODEL_URLS } from './shippedModels';
import { useLinkStore } from './linkStore';
import { useSettings } from './settingsStore';
import { playground, runTask, setTaskLabel, showError } from './workerSession';

/**
 * Makes `dataset` the one the lab shows: its default model (unless the loaded model is already
 * one of its own), its gallery and its first test image.
 */
async function activate(dataset: DatasetName): Promise<void> {
  await runTask('model', `Switching to ${DATASET_TITLES[dataset]}`, async () => {
    const api = playground();
    // The gallery, image and model belong together: none of the old set's may stay on screen.
    useDatasets.setState({ active: dataset });
    useAttackLab.setState({
      image: null,
      pendingImage: null,
      outcome: null,
      sweep: null,
      gallery: { classFilter: null, offset: 0, items: [], hasMore: false },
    });
    const [first] = await fetchGalleryPage(null, 0); // before the model, so the gallery shows even if the model fails
    if (useAppStore.getState().model?.meta.dataset !== dataset) {
      setTaskLabel(`Loading the ${DATASET_TITLES[dataset]} model`);
      useAppStore.setState({ model: await api.loadModel(DEFAULT_MODEL_URLS[dataset]) });
    }
    setTaskLabel('Classifying the first test image');
    if (first) await showTestImage(first);
  });
}

/** The header's switch. CIFAR-10 without data in the browser shows the panel that asks for it. */
export async function chooseDataset(next: DatasetName): Promise<void> {
  useSettings.getState().setDataset(next);
  if (next === 'cifar10' && !useDatasets.getState().cifar10Loaded) {
    const stored = await runTask('dataset', 'Reading CIFAR-10 from this browser', () => playground().loadCifar10());
    useDatasets.setState({ cifar10: stored ?? null, cifar10Loaded: Boolean(stored) });
    if (!stored) return;
  }
  if (useSettings.getState().dataset === next) await activate(next);
}

/** After startup: learn what CIFAR-10 the browser holds, and open the data set the address names. */
export async function restoreDataset(): Promise<void> {
  const stored = await playground()
    .cifar10Stored()
    .catch(() => null);
  useDatasets.setState({ cifar10: stored });
  const wanted = useLinkStore.getState().opened?.dataset ?? 'mnist';
  if (wanted !== 'mnist') await chooseDataset(wanted);
}

async function importCifar10(source: Cifar10Source, label: string): Promise<void> {
  const stored = await runTask('dataset', label, (onProgress) => playground().importCifar10(source, onProgress));
  if (!stored) return;
  useDatasets.setState({ cifar10: stored, cifar10Loaded: true });
  if (useSettings.getState().dataset === 'cifar10') await activate('cifar10');
}

/** The archive (one file) or the .bin files, as dropped or chosen. */
export async function importCifar10Files(files: File[]): Promise<void> {
  if (files.length === 0) return;
  const label = files.length === 1 ? `Reading ${files[0].name}` : `Reading ${files.length} CIFAR-10 files`;
  await importCifar10({ kind: 'files', files: files.map((f) => ({ name: f.name, data: f })) }, label);
}

/** An address that serves cifar-10-binary.tar.gz (relative ones are resolved against this page). */
export async function importCifar10Url(text: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(text.trim(), window.location.href);
  } catch {
    showError(
      `“${text}” is not an address. Give the full URL of cifar-10-binary.tar.gz, e.g. ` +
        `https://example.org/data/cifar-10-binary.tar.gz.`,
    );
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    showError(`Only http:// and https:// addresses can be fetched, not ${url.protocol}`);
    return;
  }
  await importCifar10({ kind: 'url', url: url.href }, `Downloading ${url.href}`);
}

/** Deletes the stored CIFAR-10 data; on CIFAR-10 the lab then asks for the files again. */
export async function forgetCifar10(): Promise<void> {
  await runTask('dataset', 'Forgetting the CIFAR-10 data', () => playground().forgetCifar10());
  useDatasets.setState({ cifar10: null, cifar10Loaded: false });
  if (useDatasets.getState().active === 'cifar10') {
    useAttackLab.setState({
      image: null,
      pendingImage: null,
      outcome: null,
      sweep: null,
      gallery: { classFilter: null, offset: 0, items: [], hasMore: false },
    });
  }
}

/**
 * A model of the other data set was loaded (from files): follow it, so the images fit the model.
 * Returns true when the data set changed (the lab then re-classified, or asks for CIFAR-10's data).
 */
export async function followModelDataset(model: ModelSummary): Promise<boolean> {
  const dataset = model.meta.dataset;
  if (dataset === useDatasets.getState().active) return false;
  await chooseDataset(dataset);
  return true;
}

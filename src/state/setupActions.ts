/**
 * Setting the app up as a lesson step or a link says: which view, data set, model, test image, attack settings and
 * training comparison. Both linkActions (restoring a link) and lessonActions (a lesson's step) call it, so it
 * sits below both of them.
 */
import { useAnalysis } from './analysis/analysisStore';
import { useAppStore } from './appStore';
import { useAttackLab } from './attackLabStore';
import { loadShippedModel } from './backendActions';
import { chooseDataset } from './datasetActions';
import { useDatasets } from './datasetStore';
import { fetchGalleryPage, GALLERY_PAGE_SIZE, showTestImage } from './imageActions';
import type { LessonSetup } from './teaching/lessons/types';
import { useLinkStore } from './linkStore';
import { SHIPPED_MODELS } from './shippedModels';
import { useSettings } from './settingsStore';
import { choosePreset } from './training/trainingActions';
import { shippedModelUrl, type ViewId } from './urlState';
import { runTask } from './workerSession';

/** Puts a lab on screen: the hash names it (useLabView listens), without a new history entry. */
export function showView(view: ViewId): void {
  replaceAddress(window.location.search, view === 'attack-lab' ? '' : `#${view}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Shows the test image at `index`, with the gallery page that holds it. */
export async function showTestImageAt(index: number): Promise<void> {
  await runTask('image', `Classifying test image ${index}`, async () => {
    const page = await fetchGalleryPage(null, Math.floor(index / GALLERY_PAGE_SIZE) * GALLERY_PAGE_SIZE);
    const item = page.find((it) => it.index === index);
    if (!item) throw new Error(`The test set has no image ${index}.`);
    await showTestImage(item);
  });
}

/** Sets up the app as a lesson step or a link says; what the setup leaves out stays as it is. */
export async function applySetup(setup: LessonSetup): Promise<void> {
  if (setup.view && useLinkStore.getState().embed === null) showView(setup.view);
  if (setup.dataset && useSettings.getState().dataset !== setup.dataset) await chooseDataset(setup.dataset);
  // CIFAR-10 without data in this browser: its panel asks for the files, and nothing of that set can be shown yet.
  const onDataset = useDatasets.getState().active === useSettings.getState().dataset;
  if (setup.model && onDataset) {
    const url = shippedModelUrl(setup.model);
    if (useAppStore.getState().model?.source !== url) await loadShippedModel(url);
  }
  if (setup.image !== undefined && onDataset) {
    const image = useAttackLab.getState().image;
    const shown = image?.source.kind === 'test' && image.source.index === setup.image;
    if (!shown || useAttackLab.getState().outcome !== null) await showTestImageAt(setup.image);
  }
  if (setup.attack) {
    useSettings.getState().applyAttack(setup.attack);
  }
  if (setup.preset) choosePreset(setup.preset);
  if (setup.analysisModels) chooseAnalysisModels(setup.analysisModels);
}

/** The analysis view compares at most three models (ModelChooser). */
const MAX_ANALYSIS_MODELS = 3;

/** The analysis view's models, shipped ones by folder name (a name that is no shipped model is skipped). */
function chooseAnalysisModels(ids: string[]): void {
  const models = ids.flatMap((id) => {
    const url = shippedModelUrl(id);
    const shipped = SHIPPED_MODELS.find((m) => m.url === url);
    return shipped ? [{ name: shipped.title, ref: { kind: 'shipped' as const, url } }] : [];
  });
  if (models.length > 0) useAnalysis.setState({ models: models.slice(0, MAX_ANALYSIS_MODELS) });
}

/**
 * The one writer of the address: history.replaceState, so the address changes without a new history entry (Back
 * still leaves the page). linkActions.startLinkSync calls it with the whole link; showView with a new hash only.
 */
export function replaceAddress(search: string, hash: string): void {
  const { search: nowSearch, hash: nowHash } = window.location;
  if (search === nowSearch && hash === nowHash) return;
  window.history.replaceState(null, '', `${window.location.pathname}${search}${hash}`);
}

/**
 * The address and the app kept in step. At startup the address is read (initLink) and, once the app is up, the setup
 * it names is restored and its attack re-run (restoreLink); from then on every change of state is written back with
 * history.replaceState, debounced, so the address bar always holds a link to what is on screen without adding to the
 * history (startLinkSync). Lessons apply their steps through the same applySetup.
 */
import { setImages, setBins } from './analysis/analysisActions';
import { useAnalysis } from './analysis/analysisStore';
import { YAN_IMAGES } from './analysis/yanProtocol';
import { useAppStore } from './appStore';
import { attackCurrentImage } from './attackActions';
import { useAttackLab } from './attackLabStore';
import { loadShippedModel } from './backendActions';
import { chooseDataset } from './datasetActions';
import { useDatasets } from './datasetStore';
import { fetchGalleryPage, GALLERY_PAGE_SIZE, showTestImage } from './imageActions';
import { LESSON_IDS } from './lessons';
import { openLesson } from './lessons/lessonActions';
import { useLessons } from './lessons/lessonStore';
import { currentView, onSnapshotChange } from './lessons/snapshot';
import type { LessonSetup } from './lessons/types';
import { useLinkStore } from './linkStore';
import { usePresentation } from './presentationStore';
import { DEFAULT_MODEL_URLS, SHIPPED_MODELS } from './shippedModels';
import { useSettings } from './settingsStore';
import { choosePreset } from './training/trainingActions';
import { TRAINING_PRESETS } from './training/presets';
import { useTraining } from './training/trainingStore';
import { type AttackSettingsDraft, defaultEpsText } from './attackSettings';
import {
  defaultAttack,
  readLink,
  shippedModelId,
  shippedModelUrl,
  writeLink,
  type LinkState,
  type PictureRef,
  type ViewId,
} from './urlState';
import { runTask } from './workerSession';

/** How long the address waits for changes to settle before it is rewritten (typing ε should not rewrite it per key). */
const SYNC_DELAY_MS = 250;
/** The analysis view's calibration bins before anyone changes them (analysisStore). */
const DEFAULT_BINS = 15;
/** The analysis view compares at most three models (ModelChooser). */
const MAX_ANALYSIS_MODELS = 3;

let initial: LinkState | null = null;

/** Reads the address once, before anything renders: hidden controls, embedding and the presenter view apply at once. */
export function initLink(): void {
  const { state, notes } = readLink(window.location.search, window.location.hash, LESSON_IDS);
  initial = state;
  useLinkStore.setState({ hide: state.hide, embed: state.embed, notes });
  usePresentation.setState({ presenter: state.presenter });
  if (state.embed !== null) showView(state.view);
}

/** Puts a lab on screen: the hash names it (useLabView listens), without a new history entry. */
export function showView(view: ViewId): void {
  const url = new URL(window.location.href);
  url.hash = view === 'attack-lab' ? '' : view;
  window.history.replaceState(null, '', url);
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
    const attack = setup.attack;
    useSettings.setState((s) => ({ attack: { ...s.attack, ...attack } }));
  }
  if (setup.preset) choosePreset(setup.preset);
  if (setup.analysisModels) chooseAnalysisModels(setup.analysisModels);
}

/** The analysis view's models, shipped ones by folder name (a name that is no shipped model is skipped). */
function chooseAnalysisModels(ids: string[]): void {
  const models = ids.flatMap((id) => {
    const url = shippedModelUrl(id);
    const shipped = SHIPPED_MODELS.find((m) => m.url === url);
    return shipped ? [{ name: shipped.title, ref: { kind: 'shipped' as const, url } }] : [];
  });
  if (models.length > 0) useAnalysis.setState({ models: models.slice(0, MAX_ANALYSIS_MODELS) });
}

/** Restores what the address named (after startup), re-runs its attack, then keeps the address in step. */
export async function restoreLink(): Promise<void> {
  const state = initial;
  if (state) {
    // A lesson's step is set up as if shown by Next; what else the link names is then laid over it.
    if (state.lesson !== null) await openLesson(state.lesson, state.step);
    await applySetup(linkSetup(state));
    if (state.images !== null) setImages(state.images);
    if (state.bins !== null) setBins(state.bins);
    if (state.picture.kind === 'drawing') {
      addNote('The link was made with a drawing, which it cannot carry; draw your own digit or pick a test image.');
    }
    const onDataset = useDatasets.getState().active === state.dataset;
    if (!onDataset && state.dataset === 'cifar10') {
      addNote(
        'This link is for CIFAR-10, which this browser does not hold yet: give it below, then open the link again.',
      );
    }
    const ready = useAttackLab.getState().image !== null && onDataset;
    if (state.run && ready) await attackCurrentImage();
  }
  startLinkSync();
}

/**
 * The setup a link names. With a lesson, only what differs from the defaults counts (what writeLink wrote): the rest
 * of the address is the defaults, which would undo the step's own setup.
 */
function linkSetup(state: LinkState): LessonSetup {
  const index = state.picture.kind === 'test' && state.picture.index !== 0 ? state.picture.index : undefined;
  if (state.lesson === null) {
    return {
      view: state.view,
      model: state.model ?? undefined,
      image: index,
      attack: state.attack,
      preset: state.preset ?? undefined,
    };
  }
  const defaults = { ...defaultAttack(state.dataset), eps: defaultEpsText(state.dataset, state.attack.norm) };
  const fields = Object.keys(state.attack) as (keyof AttackSettingsDraft)[];
  const attack = Object.fromEntries(
    fields.filter((f) => state.attack[f] !== defaults[f]).map((f) => [f, state.attack[f]]),
  );
  return {
    view: state.view === 'attack-lab' ? undefined : state.view,
    model: state.model ?? undefined,
    image: index,
    attack: Object.keys(attack).length > 0 ? attack : undefined,
    preset: state.preset ?? undefined,
  };
}

function addNote(note: string): void {
  useLinkStore.setState((s) => ({ notes: [...s.notes, note] }));
}

function pictureRef(): PictureRef {
  const source = useAttackLab.getState().image?.source;
  if (!source) return { kind: 'test', index: 0 };
  if (source.kind === 'test') return { kind: 'test', index: source.index };
  const kind: string = source.kind;
  return kind === 'drawing' ? { kind: 'drawing' } : { kind: 'upload' };
}

/** The link state of what is on screen now. */
export function currentLinkState(): LinkState {
  const settings = useSettings.getState();
  const dataset = settings.dataset;
  const model = useAppStore.getState().model;
  const id = model ? shippedModelId(model.source) : null;
  const lesson = useLessons.getState();
  const analysis = useAnalysis.getState();
  const presetId = useTraining.getState().presetId;
  const { hide, embed } = useLinkStore.getState();
  const lab = useAttackLab.getState();
  return {
    view: currentView(),
    dataset,
    backend: settings.backend,
    model: id === null || id === shippedModelId(DEFAULT_MODEL_URLS[dataset]) ? null : id,
    picture: pictureRef(),
    attack: settings.attack,
    // The attack on screen is re-run by whoever opens the link (a photo's attack cannot be: the photo stays here).
    run: lab.outcome !== null && lab.image?.source.kind === 'test',
    preset: presetId === TRAINING_PRESETS[0].id ? null : presetId,
    images: analysis.images === YAN_IMAGES ? null : analysis.images,
    bins: analysis.bins === DEFAULT_BINS ? null : analysis.bins,
    lesson: lesson.lessonId,
    step: lesson.step,
    presenter: usePresentation.getState().presenter,
    hide,
    embed,
  };
}

/** The full address of what is on screen. */
export function currentLink(): string {
  const { search, hash } = writeLink(currentLinkState());
  return `${window.location.origin}${window.location.pathname}${search}${hash}`;
}

/** What a link to the current state cannot carry, one sentence each (shown beside "Copy link"). */
export function linkCaveats(): string[] {
  const caveats: string[] = [];
  const picture = pictureRef();
  if (picture.kind === 'upload') {
    caveats.push('The uploaded picture stays in this browser: whoever opens the link sees a test image instead.');
  }
  if (picture.kind === 'drawing') caveats.push('The drawing stays in this browser: the link asks the reader to draw.');
  const model = useAppStore.getState().model;
  if (model && shippedModelId(model.source) === null) {
    caveats.push('The model was trained or loaded in this browser: the link opens the data set’s shipped model.');
  }
  return caveats;
}

let syncing = false;

/** From now on every change is written to the address (debounced, replaceState: Back still leaves the page). */
export function startLinkSync(): void {
  if (syncing) return;
  syncing = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    timer = null;
    const { search, hash } = writeLink(currentLinkState());
    const { search: nowSearch, hash: nowHash } = window.location;
    if (search === nowSearch && hash === nowHash) return;
    window.history.replaceState(null, '', `${window.location.pathname}${search}${hash}`);
  };
  const schedule = () => {
    if (timer === null) timer = setTimeout(write, SYNC_DELAY_MS);
  };
  onSnapshotChange(schedule);
  useLessons.subscribe(schedule);
  usePresentation.subscribe(schedule);
  schedule();
}

/**
 * The address and the app kept in step. At startup the address is read (initLink) and, once the app is up, the setup
 * it names is restored and its attack re-run (restoreLink); from then on every change of state is written back with
 * history.replaceState, debounced, so the address bar always holds a link to what is on screen without adding to the
 * history (startLinkSync). Lessons apply their steps through the same applySetup (setupActions.ts). The address
 * carries the last valid value of a field being typed (settingsStore.validAttack), never a broken one.
 */
import { setImages, setBins } from './analysis/analysisActions';
import { useAnalysis } from './analysis/analysisStore';
import { useAppStore } from './appStore';
import { attackCurrentImage } from './attackActions';
import { useAttackLab } from './attackLabStore';
import { chooseBatchNormRoute, setAnalysisBatchNorm } from './batchNormActions';
import { useDatasets } from './datasetStore';
import { LESSON_IDS } from './teaching/lessons';
import { openLesson } from './lessonActions';
import { useLessons } from './lessonStore';
import { currentView, onSnapshotChange } from './lessonSnapshot';
import type { LessonSetup } from './teaching/lessons/types';
import { useLinkStore } from './linkStore';
import { usePresentation } from './presentationStore';
import { applySetup, replaceAddress, showView } from './setupActions';
import { DEFAULT_MODEL_URLS } from './shippedModels';
import { useSettings } from './settingsStore';
import { TRAINING_PRESETS } from './teaching/presets';
import { useTraining } from './training/trainingStore';
import { ATTACK_FIELDS } from '../core/options/attackOptions';
import { defaultText } from '../core/options/field';
import type { BatchNormRoute } from '../core/options/batchNormOptions';
import { draftContext, type AttackSettingsDraft } from './attackSettings';
import { readLink, shippedModelId, writeLink, type LinkState, type PictureRef } from './urlState';

/** How long the address waits for changes to settle before it is rewritten (typing ε should not rewrite it per key). */
const SYNC_DELAY_MS = 250;

let initial: LinkState | null = null;

/** Reads the address once, before anything renders: hidden controls, embedding and the presenter view apply at once. */
export function initLink(): void {
  const { state, notes } = readLink(window.location.search, window.location.hash, LESSON_IDS);
  initial = state;
  useLinkStore.setState({ opened: state, hide: state.hide, embed: state.embed, notes });
  usePresentation.setState({ presenter: state.presenter });
  if (state.embed !== null) showView(state.view);
}

/** Restores what the address named (after startup), re-runs its attack, then keeps the address in step. */
export async function restoreLink(): Promise<void> {
  const state = initial;
  if (state) {
    // A lesson's step is set up as if shown by Next; what else the link names is then laid over it.
    if (state.lesson !== null) await openLesson(state.lesson, state.step);
    await applySetup(linkSetup(state));
    if (state.bn !== null) await restoreBatchNorm(state.bn, state.view);
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
  const ctx = draftContext(state.attack, state.dataset);
  const fields = Object.keys(state.attack) as (keyof AttackSettingsDraft)[];
  const attack = Object.fromEntries(
    fields.filter((f) => state.attack[f] !== defaultText(ATTACK_FIELDS[f], ctx)).map((f) => [f, state.attack[f]]),
  );
  return {
    view: state.view === 'attack-lab' ? undefined : state.view,
    model: state.model ?? undefined,
    image: index,
    attack: Object.keys(attack).length > 0 ? attack : undefined,
    preset: state.preset ?? undefined,
  };
}

/** `bn=`: the attack lab's model and the analysis view's models evaluate with that batch norm set, where they can. */
async function restoreBatchNorm(route: BatchNormRoute, view: LinkState['view']): Promise<void> {
  setAnalysisBatchNorm(route);
  if (useAppStore.getState().model?.batchNorm !== undefined) await chooseBatchNormRoute(route);
  else if (view !== 'analysis') addNote(`The link’s bn=${route} was ignored: the model has no split batch norm.`);
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
    bn: currentView() === 'analysis' ? analysis.bn : (model?.batchNorm ?? null),
    picture: pictureRef(),
    attack: settings.validAttack,
    // The attack on screen is re-run by whoever opens the link (a photo's attack cannot be: the photo stays here).
    run: lab.outcome !== null && lab.image?.source.kind === 'test',
    preset: presetId === TRAINING_PRESETS[0].id ? null : presetId,
    images: analysis.images,
    // The link table leaves values at their defaults out of the address.
    bins: analysis.bins,
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
    replaceAddress(search, hash);
  };
  const schedule = () => {
    if (timer === null) timer = setTimeout(write, SYNC_DELAY_MS);
  };
  onSnapshotChange(schedule);
  useLessons.subscribe(schedule);
  usePresentation.subscribe(schedule);
  schedule();
}

/**
 * The one typed schema of what a link carries, after TensorFlow Playground's state.ts: the view, data set, backend,
 * model, picture, attack settings, whether to re-run the attack, the training comparison, analysis settings, the
 * lesson and its step, the presenter view, hidden controls and the embedded widget. Pure TypeScript: it parses an
 * address into a `LinkState` and writes one back. Nothing here throws on what a link says: an unknown or invalid
 * parameter is ignored and described in `notes`, one sentence each, for the page to show.
 *
 * The view lives in the hash (#attack-lab), as it did before links carried more; everything else in the query.
 */
import { ATTACK_METHODS, NORMS, type AttackMethod, type Norm } from '../core/attacks/types';
import type { DatasetName } from '../core/data/dataset';
import type { BackendChoice } from '../worker/api';
import {
  DATASET_ATTACK_DEFAULTS,
  DEFAULT_SETTINGS,
  NUMERIC_FIELDS,
  TARGET_CHOICES,
  defaultEpsText,
  fieldError,
  type AttackSettingsDraft,
  type NumericField,
  type TargetChoice,
} from './attackSettings';
import { SHIPPED_MODELS_BY_DATASET } from './shippedModels';
import { TRAINING_PRESETS } from './training/presets';

export const VIEW_IDS = ['attack-lab', 'training-lab', 'analysis'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export const DATASETS: readonly DatasetName[] = ['mnist', 'cifar10'];
export const BACKENDS: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** The widgets `embed=` can show alone (for an iframe in a course page). */
export const EMBED_WIDGETS = ['attack', 'training', 'analysis'] as const;
export type EmbedWidget = (typeof EMBED_WIDGETS)[number];

/** The view each embeddable widget lives in. */
export const EMBED_VIEW: Record<EmbedWidget, ViewId> = {
  attack: 'attack-lab',
  training: 'training-lab',
  analysis: 'analysis',
};

/**
 * Controls `hide=` can hide, by the name each carries as `data-control` in the page. The attack settings use their
 * parameter names, so `hide=eps,norm` hides the two fields a link fixes.
 */
export const HIDEABLE_CONTROLS = [
  'method',
  'norm',
  'eps',
  'steps',
  'stepSize',
  'restarts',
  'target',
  'seed',
  'attack',
  'gallery',
  'upload',
  'drawing',
  'camera',
  'dataset',
  'model',
  'backend',
  'model-files',
  'nav',
  'lessons',
  'copy-link',
] as const;
export type HideableControl = (typeof HIDEABLE_CONTROLS)[number];

/** Which picture is under attack. An uploaded file cannot travel in a link; a drawing is redrawn by the reader. */
export type PictureRef = { kind: 'test'; index: number } | { kind: 'drawing' } | { kind: 'upload' };

export interface LinkState {
  view: ViewId;
  dataset: DatasetName;
  backend: BackendChoice;
  /** A shipped model by its folder name under public/models (e.g. "mnist-odenet"); null: the data set's default. */
  model: string | null;
  picture: PictureRef;
  attack: AttackSettingsDraft;
  /** Re-run the attack once the setup is restored (the link was made after an attack). */
  run: boolean;
  /** The training lab's comparison, by preset id; null: the lab's first. */
  preset: string | null;
  /** The analysis view's number of test images and calibration bins; null: its defaults. */
  images: number | null;
  bins: number | null;
  lesson: string | null;
  /** 0-based in the state; 1-based in the address, as people count steps. */
  step: number;
  presenter: boolean;
  hide: HideableControl[];
  embed: EmbedWidget | null;
}

export interface ParsedLink {
  state: LinkState;
  /** One sentence per parameter that was ignored, and why. */
  notes: string[];
}

/** The analysis view's bounds (AnalysisView: 10–10,000 images; CalibrationPanel: 2–50 bins). */
export const IMAGES_RANGE = { min: 10, max: 10_000 } as const;
export const BINS_RANGE = { min: 2, max: 50 } as const;
/** The MNIST test split has 10,000 images; CIFAR-10's as well. */
export const TEST_SET_SIZE = 10_000;

/** The default settings of the attack on a data set (its ε and steps differ: 8/255 and 10 on CIFAR-10). */
export function defaultAttack(dataset: DatasetName): AttackSettingsDraft {
  return {
    ...DEFAULT_SETTINGS,
    eps: defaultEpsText(dataset, DEFAULT_SETTINGS.norm),
    steps: String(DATASET_ATTACK_DEFAULTS[dataset].steps),
  };
}

export function defaultLinkState(dataset: DatasetName = 'mnist'): LinkState {
  return {
    view: 'attack-lab',
    dataset,
    backend: 'auto',
    model: null,
    picture: { kind: 'test', index: 0 },
    attack: defaultAttack(dataset),
    run: false,
    preset: null,
    images: null,
    bins: null,
    lesson: null,
    step: 0,
    presenter: false,
    hide: [],
    embed: null,
  };
}

/** "/models/mnist-odenet/model.json" → "mnist-odenet"; null for anything that is not a shipped model's address. */
export function shippedModelId(url: string): string | null {
  return /^\/models\/([a-z0-9-]+)\/model\.json$/.exec(url)?.[1] ?? null;
}

export function shippedModelUrl(id: string): string {
  return `/models/${id}/model.json`;
}

/** The query parameters of the attack settings, field by field (`alpha` is the step size, as in the CLI). */
const ATTACK_PARAMS: Record<keyof AttackSettingsDraft, string> = {
  method: 'method',
  norm: 'norm',
  eps: 'eps',
  steps: 'steps',
  stepSize: 'alpha',
  restarts: 'restarts',
  target: 'target',
  seed: 'seed',
};

/** Every parameter the schema knows, in the order links are written. */
export const KNOWN_PARAMS = [
  'dataset',
  'backend',
  'model',
  'image',
  ...Object.values(ATTACK_PARAMS),
  'run',
  'preset',
  'images',
  'bins',
  'lesson',
  'step',
  'presenter',
  'hide',
  'embed',
] as const;

const quote = (v: string) => `“${v.length > 40 ? `${v.slice(0, 40)}…` : v}”`;

function oneOf<T extends string>(list: readonly T[], value: string): T | null {
  return list.find((x) => x === value) ?? null;
}

function integerIn(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

function flag(text: string): boolean | null {
  if (text === '1' || text === 'true' || text === 'on' || text === '') return true;
  if (text === '0' || text === 'false' || text === 'off') return false;
  return null;
}

/**
 * Reads an address's query and hash. `lessonIds` are the lessons that exist (the lessons import this schema, so it
 * cannot import them).
 */
export function parseLink(search: string, hash = '', lessonIds: readonly string[] = []): ParsedLink {
  const params = new URLSearchParams(search);
  const notes: string[] = [];
  const ignore = (name: string, value: string, why: string) =>
    notes.push(`The link’s ${name}=${quote(value)} was ignored: ${why}`);

  const datasetText = params.get('dataset');
  let dataset: DatasetName = 'mnist';
  if (datasetText !== null) {
    const d = oneOf(DATASETS, datasetText);
    if (d) dataset = d;
    else ignore('dataset', datasetText, `the data sets are ${DATASETS.join(' and ')}.`);
  }
  const state = defaultLinkState(dataset);

  const viewText = hash.replace(/^#/, '');
  if (viewText !== '') {
    const v = oneOf(VIEW_IDS, viewText);
    if (v) state.view = v;
    else notes.push(`The link’s view #${viewText} does not exist; the attack lab is shown.`);
  }

  for (const [name, value] of params) {
    if (!(KNOWN_PARAMS as readonly string[]).includes(name)) {
      notes.push(`The link’s setting ${quote(name)} is not one this playground knows, so it was ignored.`);
      continue;
    }
    switch (name) {
      case 'dataset':
        break;
      case 'backend': {
        const b = oneOf(BACKENDS, value);
        if (b) state.backend = b;
        else ignore(name, value, `the backends are ${BACKENDS.join(', ')}.`);
        break;
      }
      case 'model': {
        const ids = SHIPPED_MODELS_BY_DATASET[dataset].map((m) => shippedModelId(m.url));
        if (ids.includes(value)) state.model = value;
        else ignore(name, value, `it is not a shipped ${dataset === 'mnist' ? 'MNIST' : 'CIFAR-10'} model.`);
        break;
      }
      case 'image': {
        if (value === 'drawing') state.picture = { kind: 'drawing' };
        else if (value === 'upload') {
          notes.push('The link was made with an uploaded picture, which a link cannot carry; a test image is shown.');
        } else {
          const index = integerIn(value, 0, TEST_SET_SIZE - 1);
          if (index !== null) state.picture = { kind: 'test', index };
          else ignore(name, value, `a test image is a number from 0 to ${TEST_SET_SIZE - 1}.`);
        }
        break;
      }
      case 'run': {
        const f = flag(value);
        if (f === null) ignore(name, value, 'use run=1.');
        else state.run = f;
        break;
      }
      case 'preset': {
        if (TRAINING_PRESETS.some((p) => p.id === value)) state.preset = value;
        else ignore(name, value, `the comparisons are ${TRAINING_PRESETS.map((p) => p.id).join(', ')}.`);
        break;
      }
      case 'images': {
        const n = integerIn(value, IMAGES_RANGE.min, IMAGES_RANGE.max);
        if (n === null) ignore(name, value, `the analysis uses ${IMAGES_RANGE.min} to 10,000 test images.`);
        else state.images = n;
        break;
      }
      case 'bins': {
        const n = integerIn(value, BINS_RANGE.min, BINS_RANGE.max);
        if (n === null) ignore(name, value, `calibration uses ${BINS_RANGE.min} to ${BINS_RANGE.max} bins.`);
        else state.bins = n;
        break;
      }
      case 'lesson': {
        if (lessonIds.includes(value)) state.lesson = value;
        else ignore(name, value, 'there is no lesson of that name.');
        break;
      }
      case 'step':
        break; // read with the lesson, below
      case 'presenter': {
        const f = flag(value);
        if (f === null) ignore(name, value, 'use presenter=1.');
        else state.presenter = f;
        break;
      }
      case 'hide': {
        for (const part of value.split(',').map((p) => p.trim())) {
          if (part === '') continue;
          const c = oneOf(HIDEABLE_CONTROLS, part);
          if (c) {
            if (!state.hide.includes(c)) state.hide.push(c);
          } else {
            notes.push(`The link asks to hide ${quote(part)}, which is not a control that can be hidden.`);
          }
        }
        break;
      }
      case 'embed': {
        const e = oneOf(EMBED_WIDGETS, value);
        if (e) {
          state.embed = e;
          state.view = EMBED_VIEW[e];
        } else ignore(name, value, `the widgets that can be embedded are ${EMBED_WIDGETS.join(', ')}.`);
        break;
      }
      default:
        readAttackParam(state, name, value, ignore);
    }
  }

  const stepText = params.get('step');
  if (stepText !== null) {
    const n = integerIn(stepText, 1, 1000);
    if (state.lesson === null) notes.push('The link gives a lesson step but no lesson; it was ignored.');
    else if (n === null) ignore('step', stepText, 'a step is a number from 1.');
    else state.step = n - 1;
  }
  return { state, notes };
}

/** One attack parameter into `state.attack`, checked by the same schema as the controls. */
function readAttackParam(
  state: LinkState,
  name: string,
  value: string,
  ignore: (name: string, value: string, why: string) => void,
): void {
  const field = (Object.keys(ATTACK_PARAMS) as (keyof AttackSettingsDraft)[]).find((f) => ATTACK_PARAMS[f] === name);
  if (!field) return;
  if (field === 'method') {
    const m = oneOf<AttackMethod>(ATTACK_METHODS, value);
    if (m) state.attack.method = m;
    else ignore(name, value, `the methods are ${ATTACK_METHODS.join(', ')}.`);
  } else if (field === 'norm') {
    const n = oneOf<Norm>(NORMS, value);
    if (!n) ignore(name, value, `the norms are ${NORMS.join(' and ')}.`);
    else {
      // An untouched default ε follows the norm, as in the controls; an ε the link gives is read after it.
      if (state.attack.eps === defaultEpsText(state.dataset, state.attack.norm)) {
        state.attack.eps = defaultEpsText(state.dataset, n);
      }
      state.attack.norm = n;
    }
  } else if (field === 'target') {
    const t = oneOf<TargetChoice>(TARGET_CHOICES, value);
    if (t) state.attack.target = t;
    else ignore(name, value, 'the target is untargeted, random, least-likely or a class number.');
  } else {
    state.attack[field] = value;
  }
}

/**
 * Checks the numeric attack fields once the norm is known (ε's limit depends on it): an invalid one falls back to the
 * data set's default with a note. Called by parseLink's callers through `parseLinkChecked`.
 */
function checkAttackNumbers(state: LinkState, notes: string[]): void {
  const defaults = defaultAttack(state.dataset);
  defaults.eps = defaultEpsText(state.dataset, state.attack.norm);
  for (const field of Object.keys(NUMERIC_FIELDS) as NumericField[]) {
    const error = fieldError(field, state.attack[field], state.attack.norm);
    if (error) {
      notes.push(`The link’s ${ATTACK_PARAMS[field]}=${quote(state.attack[field])} was ignored: ${error}`);
      state.attack[field] = defaults[field];
    }
  }
}

/** parseLink, with the attack's numbers checked against the schema's limits. */
export function readLink(search: string, hash = '', lessonIds: readonly string[] = []): ParsedLink {
  const parsed = parseLink(search, hash, lessonIds);
  checkAttackNumbers(parsed.state, parsed.notes);
  return parsed;
}

/** The query and hash that describe `state`; settings at their defaults are left out, so links stay short. */
export function writeLink(state: LinkState): { search: string; hash: string } {
  const params = new URLSearchParams();
  if (state.dataset !== 'mnist') params.set('dataset', state.dataset);
  if (state.backend !== 'auto') params.set('backend', state.backend);
  if (state.model !== null) params.set('model', state.model);
  const picture = state.picture;
  if (picture.kind === 'drawing') params.set('image', 'drawing');
  else if (picture.kind === 'upload') params.set('image', 'upload');
  else if (picture.index !== 0) params.set('image', String(picture.index));
  const defaults = defaultAttack(state.dataset);
  defaults.eps = defaultEpsText(state.dataset, state.attack.norm);
  for (const field of Object.keys(ATTACK_PARAMS) as (keyof AttackSettingsDraft)[]) {
    if (state.attack[field] !== defaults[field]) params.set(ATTACK_PARAMS[field], state.attack[field]);
  }
  if (state.run) params.set('run', '1');
  if (state.preset !== null) params.set('preset', state.preset);
  if (state.images !== null) params.set('images', String(state.images));
  if (state.bins !== null) params.set('bins', String(state.bins));
  if (state.lesson !== null) {
    params.set('lesson', state.lesson);
    params.set('step', String(state.step + 1));
  }
  if (state.presenter) params.set('presenter', '1');
  if (state.hide.length > 0) params.set('hide', state.hide.join(','));
  if (state.embed !== null) params.set('embed', state.embed);
  const query = params.toString().replace(/%2F/gi, '/').replace(/%2C/gi, ',');
  return {
    search: query === '' ? '' : `?${query}`,
    hash: state.embed === null && state.view !== 'attack-lab' ? `#${state.view}` : '',
  };
}

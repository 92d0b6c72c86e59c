/**
 * What a link carries, as one table of parameters after TensorFlow Playground's state.ts: each row names its query
 * parameter and how it is read from and written to a `LinkState`; the attack's and the analysis view's rows are made
 * from their option schemas (core/options), so a link checks a value by the same rules as the form. parseLink reads
 * the rows in table order (the data set first, the norm and method before ε and steps, whose limits and defaults
 * depend on them); writeLink writes them in the same order, leaving out values at their defaults. Nothing here throws
 * on what a link says: an unknown or invalid parameter is ignored and described in `notes`, one sentence each.
 *
 * The view lives in the hash (#attack-lab); everything else in the query. The address itself is written in one place
 * (setupActions.replaceAddress, from linkActions.startLinkSync).
 */
import type { DatasetName } from '../core/data/dataset';
import { ANALYSIS_FIELDS, TEST_SET_SIZE } from '../core/options/analysisOptions';
import { ATTACK_FIELDS } from '../core/options/attackOptions';
import { BATCH_NORM_FIELD, type BatchNormRoute } from '../core/options/batchNormOptions';
import { defaultText, fieldTextError, type OptionField } from '../core/options/field';
import type { BackendChoice } from '../worker/api';
import { defaultDraft, draftAfter, draftContext, type AttackSettingsDraft } from './attackSettings';
import { SHIPPED_MODELS_BY_DATASET } from './shippedModels';
import { TRAINING_PRESETS } from './teaching/presets';

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
  'bn',
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
  /** BN_clean or BN_adv for a model with split batch norm (attack lab, analysis view); null: the saved set. */
  bn: BatchNormRoute | null;
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

export { TEST_SET_SIZE };

export function defaultLinkState(dataset: DatasetName = 'mnist'): LinkState {
  return {
    view: 'attack-lab',
    dataset,
    backend: 'auto',
    model: null,
    bn: null,
    picture: { kind: 'test', index: 0 },
    attack: defaultDraft(dataset),
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

/** One parameter of a link: how it is read (null, or why the value was ignored) and written (null: left out). */
interface LinkParam {
  name: string;
  read: (value: string, state: LinkState, known: { lessonIds: readonly string[] }) => string | null;
  write: (state: LinkState) => string | null;
}

function oneOf<T extends string>(list: readonly T[], value: string): T | null {
  return list.find((x) => x === value) ?? null;
}

function integerIn(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** On/off parameters (`run=1`, `presenter`): a bare name counts as on. */
function flag(text: string): boolean | null {
  if (text === '1' || text === 'true' || text === 'on' || text === '') return true;
  if (text === '0' || text === 'false' || text === 'off') return false;
  return null;
}

/** A row for one field of the attack schema: checked under the data set, norm and method read before it. */
function attackParam(field: OptionField & { key: keyof AttackSettingsDraft; urlName: string }): LinkParam {
  const key = field.key;
  const ctx = (s: LinkState) => draftContext(s.attack, s.dataset);
  return {
    name: field.urlName,
    read: (value, state) => {
      if (key === 'norm' || key === 'method') {
        const choice = oneOf(field.choices ?? [], value);
        if (choice === null) return `the choices are ${(field.choices ?? []).join(', ')}.`;
        // Fields still at their defaults follow the norm and method, as in the form.
        state.attack = draftAfter(state.attack, state.dataset, { [key]: choice });
        return null;
      }
      const error = fieldTextError(field, value, ctx(state));
      if (error !== null) return field.type === 'enum' ? `${field.label} ${field.help.toLowerCase()}` : error;
      state.attack = { ...state.attack, [key]: value };
      return null;
    },
    write: (state) => {
      const text = String(state.attack[key]);
      return text === defaultText(field, ctx(state)) ? null : text;
    },
  };
}

/** A row for a whole-number field of a view's schema, held as `number | null` (null: the view's default). */
function integerParam(field: OptionField & { urlName: string }, slot: 'images' | 'bins'): LinkParam {
  return {
    name: field.urlName,
    read: (value, state) => {
      const error = fieldTextError(field, value);
      if (error !== null) return error;
      state[slot] = Number(value);
      return null;
    },
    write: (state) => {
      const n = state[slot];
      return n === null || String(n) === defaultText(field) ? null : String(n);
    },
  };
}

/** A row for an on/off setting, written as `name=1` when on and left out when off. */
function flagParam(name: 'run' | 'presenter'): LinkParam {
  return {
    name,
    read: (value, state) => {
      const f = flag(value);
      if (f === null) return `use ${name}=1.`;
      state[name] = f;
      return null;
    },
    write: (s) => (s[name] ? '1' : null),
  };
}

/** Every parameter a link may carry, in the order it is read and written. */
export const LINK_PARAMS: readonly LinkParam[] = [
  {
    name: 'dataset',
    read: () => null, // read first of all, by parseLink: every default depends on it
    write: (s) => (s.dataset === 'mnist' ? null : s.dataset),
  },
  {
    name: 'backend',
    read: (value, state) => {
      const b = oneOf(BACKENDS, value);
      if (b === null) return `the backends are ${BACKENDS.join(', ')}.`;
      state.backend = b;
      return null;
    },
    write: (s) => (s.backend === 'auto' ? null : s.backend),
  },
  {
    name: 'model',
    read: (value, state) => {
      const ids = SHIPPED_MODELS_BY_DATASET[state.dataset].map((m) => shippedModelId(m.url));
      if (!ids.includes(value)) return `it is not a shipped ${state.dataset === 'mnist' ? 'MNIST' : 'CIFAR-10'} model.`;
      state.model = value;
      return null;
    },
    write: (s) => s.model,
  },
  {
    name: BATCH_NORM_FIELD.urlName,
    read: (value, state) => {
      const route = oneOf(BATCH_NORM_FIELD.choices, value);
      if (route === null) return `the choices are ${BATCH_NORM_FIELD.choices.join(', ')}.`;
      state.bn = route;
      return null;
    },
    write: (s) => (s.bn === null || s.bn === BATCH_NORM_FIELD.default ? null : s.bn),
  },
  {
    name: 'image',
    read: (value, state) => {
      if (value === 'drawing') state.picture = { kind: 'drawing' };
      else if (value === 'upload') return UPLOAD_NOTE;
      else {
        const index = integerIn(value, 0, TEST_SET_SIZE - 1);
        if (index === null) return `a test image is a number from 0 to ${TEST_SET_SIZE - 1}.`;
        state.picture = { kind: 'test', index };
      }
      return null;
    },
    write: ({ picture }) =>
      picture.kind === 'test' ? (picture.index === 0 ? null : String(picture.index)) : picture.kind,
  },
  attackParam(ATTACK_FIELDS.method),
  attackParam(ATTACK_FIELDS.norm),
  attackParam(ATTACK_FIELDS.eps),
  attackParam(ATTACK_FIELDS.steps),
  attackParam(ATTACK_FIELDS.stepSize),
  attackParam(ATTACK_FIELDS.restarts),
  attackParam(ATTACK_FIELDS.target),
  attackParam(ATTACK_FIELDS.seed),
  flagParam('run'),
  {
    name: 'preset',
    read: (value, state) => {
      if (!TRAINING_PRESETS.some((p) => p.id === value)) {
        return `the comparisons are ${TRAINING_PRESETS.map((p) => p.id).join(', ')}.`;
      }
      state.preset = value;
      return null;
    },
    write: (s) => s.preset,
  },
  integerParam(ANALYSIS_FIELDS.images, 'images'),
  integerParam(ANALYSIS_FIELDS.bins, 'bins'),
  {
    name: 'lesson',
    read: (value, state, known) => {
      if (!known.lessonIds.includes(value)) return 'there is no lesson of that name.';
      state.lesson = value;
      return null;
    },
    write: (s) => s.lesson,
  },
  {
    name: 'step',
    read: (value, state) => {
      if (state.lesson === null) return LESSONLESS_STEP_NOTE;
      const n = integerIn(value, 1, 1000);
      if (n === null) return 'a step is a number from 1.';
      state.step = n - 1;
      return null;
    },
    write: (s) => (s.lesson === null ? null : String(s.step + 1)),
  },
  flagParam('presenter'),
  {
    name: 'hide',
    read: (value, state) => {
      const unknown: string[] = [];
      for (const part of value.split(',').map((p) => p.trim())) {
        if (part === '') continue;
        const c = oneOf(HIDEABLE_CONTROLS, part);
        if (c === null) unknown.push(part);
        else if (!state.hide.includes(c)) state.hide.push(c);
      }
      return unknown.length === 0 ? null : `${unknown.map(quote).join(', ')} is not a control that can be hidden.`;
    },
    write: (s) => (s.hide.length === 0 ? null : s.hide.join(',')),
  },
  {
    name: 'embed',
    read: (value, state) => {
      const e = oneOf(EMBED_WIDGETS, value);
      if (e === null) return `the widgets that can be embedded are ${EMBED_WIDGETS.join(', ')}.`;
      state.embed = e;
      state.view = EMBED_VIEW[e];
      return null;
    },
    write: (s) => s.embed,
  },
];

/** Every parameter the table knows, in the order links are written. */
export const KNOWN_PARAMS: readonly string[] = LINK_PARAMS.map((p) => p.name);

const UPLOAD_NOTE = 'The link was made with an uploaded picture, which a link cannot carry; a test image is shown.';
const LESSONLESS_STEP_NOTE = 'The link gives a lesson step but no lesson; it was ignored.';

const quote = (v: string) => `“${v.length > 40 ? `${v.slice(0, 40)}…` : v}”`;

/**
 * Reads an address's query and hash. `lessonIds` are the lessons that exist (the lessons import this schema, so it
 * cannot import them).
 */
export function parseLink(search: string, hash = '', lessonIds: readonly string[] = []): ParsedLink {
  const params = new URLSearchParams(search);
  const notes: string[] = [];
  const datasetText = params.get('dataset');
  const dataset = datasetText === null ? 'mnist' : oneOf(DATASETS, datasetText);
  if (dataset === null) {
    notes.push(
      `The link’s dataset=${quote(datasetText ?? '')} was ignored: the data sets are ${DATASETS.join(' and ')}.`,
    );
  }
  const state = defaultLinkState(dataset ?? 'mnist');
  const viewText = hash.replace(/^#/, '');
  if (viewText !== '') {
    const v = oneOf(VIEW_IDS, viewText);
    if (v) state.view = v;
    else notes.push(`The link’s view #${viewText} does not exist; the attack lab is shown.`);
  }
  for (const name of new Set(params.keys())) {
    if (!KNOWN_PARAMS.includes(name)) {
      notes.push(`The link’s setting ${quote(name)} is not one this playground knows, so it was ignored.`);
    }
  }
  for (const param of LINK_PARAMS) {
    const value = params.get(param.name);
    if (value === null) continue;
    const why = param.read(value, state, { lessonIds });
    if (why === null) continue;
    const whole = why === UPLOAD_NOTE || why === LESSONLESS_STEP_NOTE;
    if (whole) notes.push(why);
    else if (param.name === 'hide') notes.push(`The link asks to hide ${why}`);
    else notes.push(`The link’s ${param.name}=${quote(value)} was ignored: ${why}`);
  }
  return { state, notes };
}

/** parseLink under its older name (every value is checked as it is read). */
export const readLink = parseLink;

/** The query and hash that describe `state`; settings at their defaults are left out, so links stay short. */
export function writeLink(state: LinkState): { search: string; hash: string } {
  const params = new URLSearchParams();
  for (const param of LINK_PARAMS) {
    const value = param.write(state);
    if (value !== null) params.set(param.name, value);
  }
  const query = params.toString().replace(/%2F/gi, '/').replace(/%2C/gi, ',');
  return {
    search: query === '' ? '' : `?${query}`,
    hash: state.embed === null && state.view !== 'attack-lab' ? `#${state.view}` : '',
  };
}

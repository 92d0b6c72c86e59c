/**
 * What the user chose: the attack settings (as typed, with the last valid text of each field, which is what a link
 * carries) and the tfjs backend. The address is written in one place only (linkActions.startLinkSync).
 */
import { create } from 'zustand';
import type { AttackMethod, Norm } from '../core/attacks/types';
import type { DatasetName } from '../core/data/dataset';
import type { BackendChoice } from '../worker/api';
import { DEFAULT_SETTINGS, draftAfter, linkableDraft, type AttackSettingsDraft } from './attackSettings';
import { BACKENDS, DATASETS, parseLink } from './urlState';

export const BACKEND_CHOICES: readonly BackendChoice[] = BACKENDS;
export const DATASET_CHOICES: readonly DatasetName[] = DATASETS;

/** `?backend=wasm` picks the backend at startup (shareable, and how the browser tests pin one); read by the schema. */
export function backendFromUrl(search: string): BackendChoice {
  return parseLink(search).state.backend;
}

interface SettingsState {
  attack: AttackSettingsDraft;
  /** Each attack field's text while valid, else its last valid text: what a link carries (never "eps=abc"). */
  validAttack: AttackSettingsDraft;
  backend: BackendChoice;
  /** The data set the user chose; the attack lab follows once its data are loaded (datasetActions). */
  dataset: DatasetName;
  setAttackField: <K extends keyof AttackSettingsDraft>(key: K, value: AttackSettingsDraft[K]) => void;
  /** Several fields at once (a lesson step or a link), then the defaults left untouched follow the new context. */
  applyAttack: (attack: Partial<AttackSettingsDraft>) => void;
  setNorm: (norm: Norm) => void;
  setBackendChoice: (choice: BackendChoice) => void;
  setDataset: (dataset: DatasetName) => void;
}

type AttackPart = Pick<SettingsState, 'attack' | 'validAttack'>;

/** The new draft, and the last valid texts updated with whatever of it is valid. */
function withDraft(s: SettingsState, attack: AttackSettingsDraft, dataset = s.dataset): AttackPart {
  return { attack, validAttack: linkableDraft(attack, s.validAttack, dataset) };
}

export const useSettings = create<SettingsState>()((set) => ({
  attack: DEFAULT_SETTINGS,
  validAttack: DEFAULT_SETTINGS,
  backend: backendFromUrl(window.location.search),
  dataset: 'mnist', // startup switches to the address's data set once MNIST is up (datasetActions.restoreDataset)
  setAttackField: (key, value) =>
    set((s) => {
      // A method with iterations of its own (APGD, C&W) brings them, unless the steps were typed.
      if (key === 'method') return withDraft(s, draftAfter(s.attack, s.dataset, { method: value as AttackMethod }));
      return withDraft(s, { ...s.attack, [key]: value });
    }),
  applyAttack: (attack) => set((s) => withDraft(s, { ...s.attack, ...attack })),
  setNorm: (norm) => set((s) => withDraft(s, draftAfter(s.attack, s.dataset, { norm }))),
  setBackendChoice: (backend) => set({ backend }),
  setDataset: (dataset) =>
    set((s) => ({ dataset, ...withDraft(s, draftAfter(s.attack, s.dataset, { dataset }), dataset) })),
}));

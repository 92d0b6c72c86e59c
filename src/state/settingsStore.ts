/** What the user chose: the attack settings (as typed) and the tfjs backend. */
import { create } from 'zustand';
import type { BackendChoice } from '../worker/api';
import { DEFAULT_SETTINGS, draftForDataset, epsForNorm, type AttackSettingsDraft } from './attackSettings';
import type { Norm } from '../core/attacks/types';
import type { DatasetName } from '../core/data/dataset';
import { BACKENDS, DATASETS, parseLink } from './urlState';

export const BACKEND_CHOICES: readonly BackendChoice[] = BACKENDS;
const BACKEND_PARAM = 'backend';

/** `?backend=wasm` picks the backend at startup (shareable, and how the browser tests pin one); read by the schema. */
export function backendFromUrl(search: string): BackendChoice {
  return parseLink(search).state.backend;
}

/** Keeps the address bar in step with the backend choice, so a reload or a shared link keeps it. */
export function writeBackendToUrl(choice: BackendChoice): void {
  const url = new URL(window.location.href);
  if (choice === 'auto') url.searchParams.delete(BACKEND_PARAM);
  else url.searchParams.set(BACKEND_PARAM, choice);
  window.history.replaceState(null, '', url);
}

export const DATASET_CHOICES: readonly DatasetName[] = DATASETS;
const DATASET_PARAM = 'dataset';

/** `?dataset=cifar10` opens the colour lab (a reload keeps the data set, a link shares it); read by the schema. */
export function datasetFromUrl(search: string): DatasetName {
  return parseLink(search).state.dataset;
}

export function writeDatasetToUrl(choice: DatasetName): void {
  const url = new URL(window.location.href);
  if (choice === 'mnist') url.searchParams.delete(DATASET_PARAM);
  else url.searchParams.set(DATASET_PARAM, choice);
  window.history.replaceState(null, '', url);
}

interface SettingsState {
  attack: AttackSettingsDraft;
  backend: BackendChoice;
  /** The data set the user chose; the attack lab follows once its data are loaded (datasetActions). */
  dataset: DatasetName;
  setAttackField: <K extends keyof AttackSettingsDraft>(key: K, value: AttackSettingsDraft[K]) => void;
  setNorm: (norm: Norm) => void;
  setBackendChoice: (choice: BackendChoice) => void;
  setDataset: (dataset: DatasetName) => void;
}

export const useSettings = create<SettingsState>()((set) => ({
  attack: DEFAULT_SETTINGS,
  backend: backendFromUrl(window.location.search),
  dataset: 'mnist', // startup switches to the address's data set once MNIST is up (datasetActions.restoreDataset)
  setAttackField: (key, value) => set((s) => ({ attack: { ...s.attack, [key]: value } })),
  setNorm: (norm) => set((s) => ({ attack: { ...s.attack, norm, eps: epsForNorm(s.attack, norm, s.dataset) } })),
  setBackendChoice: (backend) => set({ backend }),
  setDataset: (dataset) => set((s) => ({ dataset, attack: draftForDataset(s.attack, s.dataset, dataset) })),
}));

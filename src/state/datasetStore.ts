/**
 * Which data set the attack lab is showing, and what the browser holds of CIFAR-10. Written by
 * datasetActions.ts; components read it. The user's *choice* lives in settingsStore (`dataset`);
 * `active` follows it once that data set's test split and model are loaded.
 */
import { create } from 'zustand';
import { CIFAR10_CLASS_NAMES } from '../core/data/cifar10Constants';
import type { DatasetName } from '../core/data/dataset';
import { MNIST_CLASS_NAMES } from '../core/data/mnist';
import type { Cifar10Stored } from '../worker/api';

interface DatasetState {
  /** The data set of the gallery, the image under attack and the model. */
  active: DatasetName;
  /** What the browser has stored of CIFAR-10 (null: nothing, or not asked yet). */
  cifar10: Cifar10Stored | null;
  /** The worker holds CIFAR-10's test split (read from storage or just imported). */
  cifar10Loaded: boolean;
}

export const useDatasets = create<DatasetState>()(() => ({
  active: 'mnist',
  cifar10: null,
  cifar10Loaded: false,
}));

export const DATASET_TITLES: Record<DatasetName, string> = { mnist: 'MNIST', cifar10: 'CIFAR-10' };

/** The active data set's class names, in label order ("0"…"9"; "airplane"…"truck" as in batches.meta.txt). */
export function selectClassNames(s: DatasetState): readonly string[] {
  if (s.active === 'cifar10') return s.cifar10?.classNames ?? CIFAR10_CLASS_NAMES;
  return MNIST_CLASS_NAMES;
}

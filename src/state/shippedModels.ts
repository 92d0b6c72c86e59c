/**
 * The pretrained models served from public/models/, each made by the CLI's `train` (see README), and the one home of
 * every model's display name: the picker, the status line, the analysis charts, the sanity checks and the training
 * progress all show `modelDisplayName`. A name says what the model is (architecture and training); the architecture
 * details and the training command stay in the model's metadata (`description`).
 */
import type { DatasetName } from '../core/data/dataset';

export interface ShippedModel {
  url: string;
  /** The display name, the same wherever the model is named. */
  title: string;
  /** As its model.json's meta says: split batch norm (BN_clean / BN_adv, Xie & Yuille 2020 §4). */
  splitBatchNorm?: boolean;
}

export const SHIPPED_MODELS: readonly ShippedModel[] = [
  { url: '/models/mnist-cnn/model.json', title: 'Small CNN, standard training' },
  { url: '/models/mnist-odenet/model.json', title: 'ODENet (Yan et al. 2020, classroom size)' },
  { url: '/models/mnist-tisode/model.json', title: 'TisODE (Yan et al. 2020, classroom size)' },
  { url: '/models/mnist-cnn-pgd-at/model.json', title: 'Strided CNN, PGD adversarial training' },
  { url: '/models/mnist-cnn-ibp/model.json', title: 'Strided CNN, IBP certified training' },
  { url: '/models/mnist-cnn-smoothing-0.5/model.json', title: 'Strided CNN, Gaussian noise training (σ = 0.5)' },
  { url: '/models/mnist-jem/model.json', title: 'Strided CNN, JEM (Grathwohl et al. 2020)' },
  {
    url: '/models/mnist-cnn-split-bn/model.json',
    title: 'Small CNN, split batch norm, PGD + clean training (Xie & Yuille 2020)',
    splitBatchNorm: true,
  },
];

/** Colour models: 32×32×3 inputs, CIFAR-10's classes. */
export const CIFAR10_SHIPPED_MODELS: readonly ShippedModel[] = [
  { url: '/models/cifar10-cnn-sample/model.json', title: 'Colour CNN, 4,660-image CIFAR-10 sample' },
  { url: '/models/cifar10-jem-sample/model.json', title: 'Colour CNN, JEM (Grathwohl et al. 2020), CIFAR-10 sample' },
];

export const SHIPPED_MODELS_BY_DATASET: Record<DatasetName, readonly ShippedModel[]> = {
  mnist: SHIPPED_MODELS,
  cifar10: CIFAR10_SHIPPED_MODELS,
};

export const DEFAULT_MODEL_URL = SHIPPED_MODELS[0].url;

/** The model a data set starts with when the user switches to it. */
export const DEFAULT_MODEL_URLS: Record<DatasetName, string> = {
  mnist: DEFAULT_MODEL_URL,
  cifar10: CIFAR10_SHIPPED_MODELS[0].url,
};

const SHIPPED_TITLES = new Map(
  [...SHIPPED_MODELS, ...CIFAR10_SHIPPED_MODELS].map((m) => [m.url, m.title] as [string, string]),
);

/**
 * The display name of a model by where it came from (ModelSummary.source): a shipped model's title, a saved model's
 * name ("saved:<name>"), a file's name ("file:<name>"); any other URL by itself.
 */
export function modelDisplayName(source: string): string {
  const shipped = SHIPPED_TITLES.get(source);
  if (shipped) return shipped;
  if (source.startsWith('saved:')) return source.slice('saved:'.length);
  if (source.startsWith('file:')) return source.slice('file:'.length);
  return source;
}

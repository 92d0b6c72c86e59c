/** The pretrained models served from public/models/, each made by the CLI's `train` (see README). */
import type { DatasetName } from '../core/data/dataset';

export interface ShippedModel {
  url: string;
  title: string;
}

export const SHIPPED_MODELS: readonly ShippedModel[] = [
  { url: '/models/mnist-cnn/model.json', title: 'MNIST CNN (shipped)' },
  { url: '/models/mnist-odenet/model.json', title: 'MNIST ODENet (shipped, Yan et al. classroom size)' },
  { url: '/models/mnist-tisode/model.json', title: 'MNIST TisODE (shipped, Yan et al. classroom size)' },
  {
    url: '/models/mnist-cnn-pgd-at/model.json',
    title: 'MNIST strided CNN, PGD adversarial training (shipped, robust at ε = 0.3)',
  },
  {
    url: '/models/mnist-cnn-ibp/model.json',
    title: 'MNIST strided CNN, IBP certified training (shipped, certified at ε = 0.3)',
  },
  {
    url: '/models/mnist-cnn-smoothing-0.5/model.json',
    title: 'MNIST strided CNN, Gaussian noise σ = 0.5 (shipped, for randomized smoothing)',
  },
];

/** Colour models: 32×32×3 inputs, CIFAR-10's classes. */
export const CIFAR10_SHIPPED_MODELS: readonly ShippedModel[] = [
  { url: '/models/cifar10-cnn-sample/model.json', title: 'CIFAR-10 CNN (trained on the 4,660-image sample)' },
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

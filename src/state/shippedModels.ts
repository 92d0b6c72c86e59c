/** The pretrained models served from public/models/, each made by the CLI's `train` (see README). */
export interface ShippedModel {
  url: string;
  title: string;
}

export const SHIPPED_MODELS: readonly ShippedModel[] = [
  { url: '/models/mnist-cnn/model.json', title: 'MNIST CNN (shipped)' },
];

export const DEFAULT_MODEL_URL = SHIPPED_MODELS[0].url;

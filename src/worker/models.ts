/** The current model's methods: loading it (served, dropped, saved in the browser), predicting, preprocessing. */
import { preprocessColour } from '../core/image/colourPreprocess';
import { preprocessMnist } from '../core/image/mnistPreprocess';
import { predictProbabilities } from '../core/models/classifier';
import { WEIGHTS_FILE, modelToFiles, type ModelFiles } from '../core/models/modelIO';
import { classifierFromOnnx, inspectOnnx } from '../core/models/onnx/importOnnx';
import { modelToOnnx } from '../core/models/onnx/onnxExport';
import type { ModelApi, Prediction } from './api';
import { fetchBytes } from './fetchWithProgress';
import * as savedModels from './savedModels';
import type { WorkerState } from './workerState';

export function modelApi(state: WorkerState): ModelApi {
  return {
    async loadModel(url) {
      const started = performance.now();
      // The files download while the backend starts (the page asks for both at once); the model is built on it.
      const files = await fetchModelFiles(url);
      await state.backends.started;
      return state.installModel(files, url, started);
    },

    async loadModelFiles(modelJson, weights, name) {
      return state.installModel({ modelJson, weights }, `file:${name}`, performance.now());
    },

    listSavedModels() {
      return savedModels.listSavedModels();
    },

    async loadSavedModel(name) {
      return state.installModel(await savedModels.savedModelFiles(name), `saved:${name}`, performance.now());
    },

    deleteSavedModel(name) {
      return savedModels.deleteSavedModel(name);
    },

    async inspectOnnx(bytes, name) {
      return inspectOnnx(bytes, name);
    },

    async importOnnx(bytes, name, scaling) {
      const started = performance.now();
      const { clf } = classifierFromOnnx(bytes, name, scaling);
      let files: ModelFiles;
      try {
        files = await modelToFiles(clf.model, clf.meta);
      } finally {
        clf.model.dispose();
      }
      // Kept like a model trained here: the attack lab, the training lab's comparisons, the analysis and Certify
      // all list the browser's saved models.
      const summary = await state.installModel(files, `saved:${name}`, started);
      await savedModels.saveModel(name, files, summary.meta, summary.parameters);
      return summary;
    },

    async exportOnnx() {
      const clf = state.requireModel();
      return modelToOnnx(clf.model, clf.meta);
    },

    async setBatchNormRoute(route) {
      return state.setBatchNormRoute(route);
    },

    async predict(image) {
      const clf = state.requireModel();
      const x = state.imageTensor(image);
      try {
        return asPrediction((await predictProbabilities(clf, x))[0]);
      } finally {
        x.dispose();
      }
    },

    async preprocess(rgba, width, height) {
      return preprocessMnist(rgba, width, height);
    },

    async preprocessColour(rgba, width, height, side) {
      return preprocessColour(rgba, width, height, side);
    },
  };
}

/** A served model: its model.json at `url` and the weights file beside it. */
export async function fetchModelFiles(url: string): Promise<ModelFiles> {
  const modelJson = new TextDecoder().decode(await fetchBytes(url));
  const weights = await fetchBytes(new URL(WEIGHTS_FILE, new URL(url, self.location.href)).href);
  return { modelJson, weights };
}

export function asPrediction(probabilities: number[]): Prediction {
  let label = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[label]) label = i;
  return { probabilities, label };
}

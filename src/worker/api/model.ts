/** The attack lab's current model: loading (served, dropped or saved in the browser), predicting, preprocessing. */
import type { ColourPreprocessResult } from '../../core/image/colourPreprocess';
import type { PreprocessResult } from '../../core/image/mnistPreprocess';
import type { ModelMeta } from '../../core/models/modelMeta';

export interface ModelSummary {
  /** Where it came from: a URL or "file:<name>". */
  source: string;
  meta: ModelMeta;
  parameters: number;
  loadMs: number;
}

export interface Prediction {
  probabilities: number[];
  /** argmax of probabilities */
  label: number;
}

export interface SavedModelInfo {
  name: string;
  meta: ModelMeta;
  parameters: number;
  savedAt: string;
  bytes: number;
  /** Read back from storage right after saving and compared with the trained model. */
  readBack?: { images: number; maxLogitDifference: number };
}

export interface ModelApi {
  /** Loads a model served at `url` (a model.json). Replaces the current one. */
  loadModel(url: string): Promise<ModelSummary>;
  /** Loads a model from dropped files: model.json text and the weights file. */
  loadModelFiles(modelJson: string, weights: Uint8Array, name: string): Promise<ModelSummary>;
  listSavedModels(): Promise<SavedModelInfo[]>;
  /** Makes a saved model the current model (attack lab). */
  loadSavedModel(name: string): Promise<ModelSummary>;
  deleteSavedModel(name: string): Promise<void>;
  predict(image: Float32Array): Promise<Prediction>;
  /** Turns decoded RGBA pixels of any size into the model's input (MNIST convention). */
  preprocess(rgba: Uint8ClampedArray, width: number, height: number): Promise<PreprocessResult>;
  /**
   * Turns decoded RGBA pixels of any size into a colour model's side × side × 3 input (short side scaled, centre crop).
   */
  preprocessColour(
    rgba: Uint8ClampedArray,
    width: number,
    height: number,
    side: number,
  ): Promise<ColourPreprocessResult>;
}

/** The attack lab's current model: loading (served, dropped or saved in the browser), predicting, preprocessing. */
import type { ColourPreprocessResult } from '../../core/image/colourPreprocess';
import type { PreprocessResult } from '../../core/image/mnistPreprocess';
import type { BatchNormRoute } from '../../core/models/layers/batchNorm';
import type { ModelCard } from '../../core/models/modelCard';
import type { ModelMeta } from '../../core/models/modelMeta';
import type { InputScalingChoice, OnnxSummary } from '../../core/models/onnx/importOnnx';

export interface ModelSummary {
  /** Where it came from: a URL or "file:<name>". */
  source: string;
  meta: ModelMeta;
  parameters: number;
  loadMs: number;
  /** "About this model": layers, input scaling, provenance and measured figures. */
  card: ModelCard;
  /**
   * For a model with split batch norm (Xie & Yuille 2020, §4), the set it evaluates with now: BN_clean or BN_adv;
   * absent for every other model.
   */
  batchNorm?: BatchNormRoute;
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
  /** Reads an .onnx file and says what it holds (refusing what cannot be imported), without loading it. */
  inspectOnnx(bytes: Uint8Array, name: string): Promise<OnnxSummary>;
  /**
   * Imports an .onnx file as the current model and keeps it in this browser (so every model list offers it);
   * `scaling` for graphs without their own input normalisation.
   */
  importOnnx(bytes: Uint8Array, name: string, scaling: InputScalingChoice): Promise<ModelSummary>;
  /** The current model as an .onnx file (refused by name for layers ONNX cannot express). */
  exportOnnx(): Promise<Uint8Array>;
  /**
   * Points the current model's split batch norms at BN_clean or BN_adv (eval --bn); predictions and attacks use it
   * from then on. Refused for a model without split batch norm.
   */
  setBatchNormRoute(route: BatchNormRoute): Promise<ModelSummary>;
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

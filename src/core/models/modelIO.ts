/**
 * Saving and loading models as the two files of the tfjs layers format (model.json + one weights
 * file), entirely in memory, so the same code serves Node (no tfjs-node, so no file:// handler),
 * the worker (fetch, IndexedDB) and files a user drops.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelFormatError } from '../util/errors';
import { asClassifier, type Classifier } from './classifier';
import { META_KEY, isModelMeta, type ModelMeta } from './modelMeta';
// The project's custom layers must be registered before any model that uses them is deserialised.
import './layers/registerLayers';

export const WEIGHTS_FILE = 'weights.bin';

export interface ModelFiles {
  /** The contents of model.json. */
  modelJson: string;
  /** The contents of the single weights file it names. */
  weights: Uint8Array;
}

/** Serialises a model and its metadata to the two files. */
export async function modelToFiles(model: tf.LayersModel, meta: ModelMeta): Promise<ModelFiles> {
  model.setUserDefinedMetadata({ [META_KEY]: meta as unknown as object });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs) {
    throw new ModelFormatError('Saving the model produced no weights.');
  }
  const weightData = tf.io.concatenateArrayBuffers(
    Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData],
  );
  const json = {
    format: 'layers-model',
    generatedBy: 'Robustness Playground',
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
  return { modelJson: JSON.stringify(json), weights: new Uint8Array(weightData) };
}

/** Loads a classifier from the two files, with clear errors for anything that is not one. */
export async function classifierFromFiles(files: ModelFiles, source = 'model'): Promise<Classifier> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(files.modelJson) as Record<string, unknown>;
  } catch {
    throw new ModelFormatError(`${source}: model.json is not valid JSON.`);
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.modelTopology !== 'object' ||
    !Array.isArray(json.weightsManifest)
  ) {
    throw new ModelFormatError(
      `${source}: model.json is not a TensorFlow.js layers model (no modelTopology or weightsManifest).`,
    );
  }
  const manifest = json.weightsManifest as tf.io.WeightsManifestConfig;
  if (!manifest.every((group) => typeof group === 'object' && group !== null && Array.isArray(group.weights))) {
    throw new ModelFormatError(
      `${source}: model.json's weightsManifest is malformed (a group without a weights list).`,
    );
  }
  const specs = manifest.flatMap((group) => group.weights);
  const expectedBytes = specs.reduce((sum, s) => sum + bytesOf(s), 0);
  if (files.weights.byteLength !== expectedBytes) {
    throw new ModelFormatError(
      `${source}: the weights file has ${files.weights.byteLength} bytes but model.json describes ${expectedBytes}. ` +
        'It is truncated or belongs to another model.',
    );
  }
  const meta = readMeta(json, source);
  let model: tf.LayersModel;
  try {
    const weightData = files.weights.slice().buffer;
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology as object,
        weightSpecs: specs,
        weightData,
      }),
    );
  } catch (err) {
    throw new ModelFormatError(`${source}: TensorFlow.js could not build the model: ${(err as Error).message}`);
  }
  try {
    return asClassifier(model, meta);
  } catch (err) {
    model.dispose();
    throw err;
  }
}

function readMeta(json: Record<string, unknown>, source: string): ModelMeta {
  const udm = json.userDefinedMetadata as Record<string, unknown> | undefined;
  const meta = udm?.[META_KEY];
  if (!isModelMeta(meta)) {
    throw new ModelFormatError(
      `${source}: model.json carries no Robustness Playground metadata (dataset, input shape, class names). ` +
        "Models made by this project's train command or training lab have it.",
    );
  }
  return meta;
}

function bytesOf(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const perValue = spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : 1;
  if (spec.quantization) {
    return count * (spec.quantization.dtype === 'uint16' || spec.quantization.dtype === 'float16' ? 2 : 1);
  }
  return count * perValue;
}

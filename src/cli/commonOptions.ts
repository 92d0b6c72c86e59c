/**
 * The prologue the commands share: which model, which data set and split, how many images, the
 * batch size and the tfjs backend — declared once, parsed once, loaded and checked once. A command
 * spreads the option specs it takes into its own spec and calls the parsers below.
 */
import { parseBackendName } from '../core/backend/backends';
import { takeFirst, type ImageDataset, type Split } from '../core/data/dataset';
import type { Classifier } from '../core/models/classifier';
import { ModelFormatError } from '../core/util/errors';
import { choiceOption, numberOption, requiredString, stringOption, type OptionSpec, type Values } from './args';
import { initNodeBackend } from './nodeEnv';
import { INPUT_SCALING_OPTION, inputScalingOption, readModel } from './modelFiles';
import { loadDataset } from './nodeFiles';
import type { InputScalingChoice } from '../core/models/onnx/importOnnx';

/**
 * `--model DIR|FILE.onnx`: a directory with model.json and its weights, or an ONNX file (with --input-mean and
 * --input-std when its graph expects normalised input without normalising it).
 */
export const MODEL_OPTION: OptionSpec = { model: { type: 'string' }, ...INPUT_SCALING_OPTION };
/** `--data mnist|cifar10` (CIFAR-10 from $CIFAR10_DIR). */
export const DATA_OPTION: OptionSpec = { data: { type: 'string' } };
/** `--split test|train`. */
export const SPLIT_OPTION: OptionSpec = { split: { type: 'string' } };
/** `--limit N`: the first N images. */
export const LIMIT_OPTION: OptionSpec = { limit: { type: 'string' } };
/** `--batch B`: images per forward/backward pass. */
export const BATCH_OPTION: OptionSpec = { batch: { type: 'string' } };
/** `--backend wasm|cpu`. */
export const BACKEND_OPTION: OptionSpec = { backend: { type: 'string' } };
/** What every command that measures a saved model on a data set takes. */
export const MODEL_DATA_OPTIONS: OptionSpec = {
  ...MODEL_OPTION,
  ...DATA_OPTION,
  ...SPLIT_OPTION,
  ...LIMIT_OPTION,
  ...BACKEND_OPTION,
};

/** The same, for commands that run the model in batches (--batch). */
export const MODEL_DATA_BATCH_OPTIONS: OptionSpec = { ...MODEL_DATA_OPTIONS, ...BATCH_OPTION };

export const DEFAULT_BATCH = 256;
export const MAX_BATCH = 4096;
const SPLITS: readonly Split[] = ['test', 'train'];

/** `--batch B`, or `fallback` (undefined: the architecture's training recipe decides). */
export function batchOption(v: Values): number | undefined;
export function batchOption(v: Values, fallback: number): number;
export function batchOption(v: Values, fallback?: number): number | undefined {
  return numberOption(v, 'batch', fallback, { min: 1, max: MAX_BATCH, integer: true });
}

/** Starts the `--backend` (wasm by default) and returns the name tfjs runs on. */
export function startBackend(v: Values): Promise<string> {
  return initNodeBackend(parseBackendName(stringOption(v, 'backend', 'wasm')));
}

/** What --data, --split and --limit asked for, parsed before anything is loaded. */
export interface DataChoice {
  dataName: string;
  split: Split;
  limit: number | undefined;
}

export interface ModelDataChoice extends DataChoice {
  modelDir: string;
  /** For .onnx models: --input-mean/--input-std. */
  inputScaling?: InputScalingChoice;
}

/**
 * --data (required), --split (test by default) and --limit: `limit.min` is what the command needs
 * at least (2 for a held-out part), `limit.fallback` its default (undefined: the whole split).
 */
export function dataOptions(v: Values, limit: { min: number; max?: number; fallback?: number }): DataChoice {
  return {
    dataName: requiredString(v, 'data'),
    split: choiceOption(v, 'split', SPLITS, 'test'),
    limit: numberOption(v, 'limit', limit.fallback, { min: limit.min, max: limit.max, integer: true }),
  };
}

/** --model (required), then the data options. */
export function modelDataOptions(v: Values, limit: { min: number; max?: number; fallback?: number }): ModelDataChoice {
  const modelDir = requiredString(v, 'model');
  return { modelDir, inputScaling: inputScalingOption(v), ...dataOptions(v, limit) };
}

/** --model, the data options and --batch (256 by default). */
export function modelDataBatchOptions(
  v: Values,
  limit: { min: number; max?: number; fallback?: number },
): ModelDataChoice & { batchSize: number } {
  return { ...modelDataOptions(v, limit), batchSize: batchOption(v, DEFAULT_BATCH) };
}

/** Reads the data set, refuses it when `model` was made for another one, and keeps the first --limit images. */
export async function loadData(choice: DataChoice, model?: { clf: Classifier; dir: string }): Promise<ImageDataset> {
  const ds = await loadDataset(choice.dataName, choice.split);
  if (model && model.clf.meta.dataset !== ds.name)
    throw new ModelFormatError(`The model in ${model.dir} was made for ${model.clf.meta.dataset}, not ${ds.name}.`);
  return choice.limit === undefined ? ds : takeFirst(ds, choice.limit);
}

/** Reads the model directory, then its data set (checked against the model, first --limit images). */
export async function loadModelAndData(choice: ModelDataChoice): Promise<{ clf: Classifier; ds: ImageDataset }> {
  const clf = await readModel(choice.modelDir, choice.inputScaling);
  return { clf, ds: await loadData(choice, { clf, dir: choice.modelDir }) };
}

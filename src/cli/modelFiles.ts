/**
 * The one place the command line turns `--model PATH` into a classifier: a directory that the train command
 * wrote (model.json + weights.bin), or an .onnx file, imported with `--input-mean`/`--input-std` when its graph
 * expects normalised input but does not normalise it itself. Every command that takes --model loads through
 * `readModel`, so each of them takes .onnx files alike.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Classifier } from '../core/models/classifier';
import { classifierFromOnnx, type InputScalingChoice } from '../core/models/onnx/importOnnx';
import { InvalidOptionError, ModelFormatError } from '../core/util/errors';
import type { OptionSpec, Values } from './args';
import { readModelDir } from './nodeFiles';

/** `--input-mean M[,M,M]` and `--input-std S[,S,S]`: (x − mean)/std before an imported graph. */
export const INPUT_SCALING_OPTION: OptionSpec = { 'input-mean': { type: 'string' }, 'input-std': { type: 'string' } };

function numbers(values: Values, name: string): number[] | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const list = typeof raw === 'string' ? raw.split(',').map((s) => Number(s.trim())) : [];
  if (list.length === 0 || list.some((v) => !Number.isFinite(v) || (typeof raw === 'string' && raw.trim() === ''))) {
    throw new InvalidOptionError(`--${name} needs one number or one per channel, comma-separated (e.g. 0.5,0.5,0.5).`);
  }
  return list;
}

/** --input-mean and --input-std, both or neither. */
export function inputScalingOption(values: Values): InputScalingChoice {
  const mean = numbers(values, 'input-mean');
  const std = numbers(values, 'input-std');
  if (!mean && !std) return { kind: 'unit' };
  if (!mean || !std) throw new InvalidOptionError('--input-mean and --input-std go together; give both.');
  if (std.some((s) => s <= 0)) throw new InvalidOptionError('--input-std must be positive.');
  return { kind: 'normalise', mean, std };
}

export const isOnnxPath = (path: string): boolean => path.toLowerCase().endsWith('.onnx');

/** The classifier at `path`: a model directory, or an .onnx file imported with `scaling`. */
export async function readModel(path: string, scaling: InputScalingChoice = { kind: 'unit' }): Promise<Classifier> {
  if (!isOnnxPath(path)) {
    if (scaling.kind !== 'unit') {
      throw new InvalidOptionError('--input-mean and --input-std apply to .onnx models; a model directory has none.');
    }
    return readModelDir(path);
  }
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new ModelFormatError(`No ONNX file at ${path}.`);
  return classifierFromOnnx(new Uint8Array(await readFile(path)), basename(path), scaling).clf;
}

/**
 * `classify --model DIR --image FILE… [--backend wasm|cpu]`
 * Prints one JSON line per picture, in the order given:
 *   {"file","label","probabilities","preprocess":{…}}
 * so a teacher can check a class's photos at once. Each picture goes through the app's own
 * preprocessing: for an MNIST model the photo reading of mnistPreprocess.ts (paper's light removed,
 * ink separated, strokes kept, MNIST's normalisation); for a colour model the CIFAR-10 path
 * (short side scaled, centre crop). A picture that cannot be read or holds no digit gets a line
 * {"file","error"} among the others and the exit status is 1; when no picture could be read, the
 * usual contract holds: nothing on stdout, one line on stderr.
 */
import * as tf from '@tensorflow/tfjs';
import { preprocessColour } from '../../core/image/colourPreprocess';
import { preprocessMnist } from '../../core/image/mnistPreprocess';
import { type Classifier, predictProbabilities } from '../../core/models/classifier';
import { InvalidOptionError, PlaygroundError } from '../../core/util/errors';
import { parseCommandArgs, requiredString } from '../args';
import { BACKEND_OPTION, MODEL_OPTION, startBackend } from '../commonOptions';
import { readImageFile } from '../imageFiles';
import { printJson } from '../nodeEnv';
import { readModelDir } from '../nodeFiles';

/** Takes the file names after `--image` (up to the next option) out of argv; `--image` may repeat. */
export function splitImageFiles(argv: string[]): { files: string[]; rest: string[] } {
  const files: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--image') {
      rest.push(argv[i]);
      continue;
    }
    while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) files.push(argv[++i]);
  }
  return { files, rest };
}

const round = (p: number) => Number(p.toFixed(6));

async function classifyFile(clf: Classifier, file: string): Promise<Record<string, unknown>> {
  const image = await readImageFile(file);
  const [h, w, c] = clf.meta.inputShape;
  let pixels: Float32Array;
  let preprocess: Record<string, unknown>;
  if (clf.meta.dataset === 'mnist') {
    const r = preprocessMnist(image.rgba, image.width, image.height);
    pixels = r.pixels;
    preprocess = {
      width: image.width,
      height: image.height,
      inverted: r.inverted,
      crop: r.crop,
      scale: round(r.scale),
      shift: r.shift,
      ...(r.photo ? { thresholds: r.photo.thresholds, removed: r.photo.removed } : {}),
    };
  } else {
    const r = preprocessColour(image.rgba, image.width, image.height, h);
    pixels = r.pixels;
    preprocess = { width: image.width, height: image.height, crop: r.crop, scale: round(r.scale) };
  }
  const x = tf.tensor4d(pixels, [1, h, w, c]);
  try {
    const probabilities = (await predictProbabilities(clf, x))[0];
    const label = probabilities.indexOf(Math.max(...probabilities));
    return { file, label: clf.meta.classNames[label] ?? label, probabilities: probabilities.map(round), preprocess };
  } finally {
    x.dispose();
  }
}

export async function classifyCommand(argv: string[]): Promise<void> {
  const { files, rest } = splitImageFiles(argv);
  const v = parseCommandArgs('classify', rest, { ...MODEL_OPTION, ...BACKEND_OPTION });
  const modelDir = requiredString(v, 'model');
  if (files.length === 0) throw new InvalidOptionError('classify needs --image FILE… (one or more pictures).');
  await startBackend(v);
  const clf = await readModelDir(modelDir);
  const lines: Record<string, unknown>[] = [];
  let failure: PlaygroundError | null = null;
  for (const file of files) {
    try {
      lines.push(await classifyFile(clf, file));
    } catch (err) {
      if (!(err instanceof PlaygroundError)) throw err;
      failure = err;
      lines.push({ file, error: err.message });
    }
  }
  if (failure && lines.every((line) => 'error' in line)) throw failure;
  for (const line of lines) printJson(line);
  if (failure) process.exitCode = 1;
}

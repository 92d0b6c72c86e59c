/**
 * `certify --model DIR --data mnist|cifar10 --method ibp|crown|smoothing [--eps E,…] [--sigma S] [--n N] [--n0 N0]
 *  [--alpha A] [--radii R,…] [--limit N] [--split test] [--batch B] [--seed S] [--radius on|off]
 *  [--image FILE [--label L]]`
 *
 * Prints {"model","method","backend","n","cleanAccuracy","results":[{"eps"|"radius","certifiedAccuracy"}],
 * "images":[{"index","label","prediction","certifiedRadius"}],"seconds"}. IBP (Gowal et al. 2018) and CROWN
 * (Zhang et al. 2018) certify L∞ balls, each image's radius found by bisection; randomized smoothing (Cohen,
 * Rosenfeld & Kolter 2019) certifies L2 balls with probability 1 − α and may abstain (prediction null).
 * --radius off skips the per-image bisection (IBP/CROWN; certifiedRadius null), the slow part of CROWN.
 * --image certifies one picture (MNIST preprocessing as in the app; its label is the model's prediction
 * unless --label gives it).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../../core/data/dataset';
import { preprocessMnist } from '../../core/image/mnistPreprocess';
import { CERTIFY_METHODS, type CertifyOptions, certifyDataset } from '../../core/verify/certifyDataset';
import { PlaygroundError } from '../../core/util/errors';
import { choiceOption, numberOption, parseCommandArgs, requiredString, stringOption, switchOption } from '../args';
import {
  MODEL_DATA_BATCH_OPTIONS,
  batchOption,
  loadModelAndData,
  modelDataOptions,
  startBackend,
} from '../commonOptions';
import { readImageFile } from '../imageFiles';
import { fieldListOption, numberFieldOption, schemaSpec } from '../schemaArgs';
import { CERTIFY_CLI_EPS, CERTIFY_CLI_RADII, CERTIFY_FIELDS } from '../../core/options/certifyOptions';
import { printJson } from '../nodeEnv';
import { inputScalingOption, readModel } from '../modelFiles';
import type { InputScalingChoice } from '../../core/models/onnx/importOnnx';

export async function certifyCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('certify', argv, {
    ...MODEL_DATA_BATCH_OPTIONS,
    ...schemaSpec(Object.values(CERTIFY_FIELDS)),
    method: { type: 'string' },
    seed: { type: 'string' },
    image: { type: 'string' },
    label: { type: 'string' },
    radius: { type: 'string' },
  });
  const method = choiceOption(v, 'method', CERTIFY_METHODS);
  if (method === undefined) throw new PlaygroundError('certify needs --method ibp, crown or smoothing.');
  const imagePath = stringOption(v, 'image');
  const choice = imagePath
    ? { modelDir: requiredString(v, 'model'), dataName: stringOption(v, 'data', 'mnist'), split: 'test' as const }
    : modelDataOptions(v, { min: 1 });
  const smoothingOnly = ['sigma', 'n', 'n0', 'alpha', 'radii'].find((k) => v[k] !== undefined);
  const radius = switchOption(v, 'radius', true);
  if (method === 'smoothing' && v.radius !== undefined) {
    throw new PlaygroundError('--radius is for IBP and CROWN; smoothing always reports its L2 radius.');
  }
  if (method !== 'smoothing' && smoothingOnly) {
    throw new PlaygroundError(`--${smoothingOnly} is a randomized-smoothing option; use it with --method smoothing.`);
  }
  if (method === 'smoothing' && v.eps !== undefined) {
    throw new PlaygroundError('Smoothing certifies L2 radii: give --radii, not --eps.');
  }
  const seed = numberOption(v, 'seed', 0, { min: 0, integer: true })!;
  const options: CertifyOptions =
    method === 'smoothing'
      ? {
          method,
          sigma: numberFieldOption(v, CERTIFY_FIELDS.sigma) ?? missing('--sigma'),
          n: numberFieldOption(v, CERTIFY_FIELDS.n),
          n0: numberFieldOption(v, CERTIFY_FIELDS.n0),
          alpha: numberFieldOption(v, CERTIFY_FIELDS.alpha),
          radii: fieldListOption(v, CERTIFY_FIELDS.radii)?.map(Number) ?? CERTIFY_CLI_RADII,
          batchSize: batchOption(v),
          seed,
        }
      : {
          method,
          eps: fieldListOption(v, CERTIFY_FIELDS.eps)?.map(Number) ?? CERTIFY_CLI_EPS[choice.dataName] ?? [0.1],
          batchSize: batchOption(v),
          ...(radius ? {} : { radius: false as const }),
        };
  const labelOption = numberOption(v, 'label', undefined, { min: 0, integer: true });
  if (labelOption !== undefined && !imagePath) throw new PlaygroundError('--label goes with --image.');

  const backend = await startBackend(v);
  const { clf, ds } = imagePath
    ? await singleImage(choice.modelDir, imagePath, labelOption, inputScalingOption(v))
    : await loadModelAndData(choice as ReturnType<typeof modelDataOptions>);
  const result = await certifyDataset(clf, ds, options);
  printJson({
    model: choice.modelDir,
    method,
    backend,
    data: ds.name,
    ...(imagePath ? { image: imagePath } : { split: choice.split }),
    n: result.n,
    cleanAccuracy: result.cleanAccuracy,
    ...(result.method === 'smoothing'
      ? {
          smoothing: result.smoothing,
          note: 'randomized smoothing certifies L2 radii with probability 1 − α; an abstention counts as wrong',
        }
      : { norm: 'linf' }),
    results: result.results,
    images: result.images,
    seconds: result.seconds,
  });
}

function missing(flag: string): never {
  throw new PlaygroundError(`Smoothing needs the noise level: give ${flag} (the σ the model was trained with).`);
}

/** One picture as a one-image data set, labelled by --label or by the model's own prediction. */
async function singleImage(modelDir: string, path: string, label: number | undefined, scaling: InputScalingChoice) {
  const clf = await readModel(modelDir, scaling);
  if (clf.meta.dataset !== 'mnist') {
    throw new PlaygroundError(
      `--image reads digit images for MNIST models; ${modelDir} is a ${clf.meta.dataset} model.`,
    );
  }
  const [h, w, c] = clf.meta.inputShape;
  const numClasses = clf.meta.classNames.length;
  if (label !== undefined && label >= numClasses) throw new PlaygroundError(`--label must be below ${numClasses}.`);
  const image = await readImageFile(path);
  const { pixels } = preprocessMnist(image.rgba, image.width, image.height);
  const bytes = Uint8Array.from(pixels, (p) => Math.round(255 * Math.min(1, Math.max(0, p))));
  const predicted = tf.tidy(() => tf.argMax(clf.logits(tf.tensor4d(bytes, [1, h, w, c]).div(255)), 1));
  const prediction = (await predicted.data())[0];
  predicted.dispose();
  const ds: ImageDataset = {
    name: 'mnist',
    split: 'test',
    count: 1,
    height: h,
    width: w,
    channels: c,
    images: bytes,
    labels: Uint8Array.of(label ?? prediction),
    classNames: clf.meta.classNames,
  };
  return { clf, ds };
}

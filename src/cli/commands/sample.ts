/**
 * `sample --model DIR [--class c|all] [--n N] [--steps K] [--sgld-step A] [--sgld-noise S] [--from noise|FILE]
 *   [--seed S] --out GRID.png [--judge DIR]`
 *
 * Draws samples from a classifier read as an energy model (JEM, Grathwohl et al., ICLR 2020, §5.1): K SGLD steps on
 * −f(x)[c] for class c (--class all: N/10 chains per class, one grid row per class), or on E(x) = −logsumexp f(x)
 * without --class. Chains start from uniform noise or from a picture (--from FILE). The step and noise are in the
 * paper's [−1, 1] units, as `train --jem on` takes them; without them the model's own training values are used.
 * With --judge DIR the samples are also classified by that model: the share it assigns to the class they were drawn
 * for is printed beside the sampling model's own share. The grid goes to --out; one JSON object to stdout.
 */
import { checkOutputFile, writingOut } from '../outputPaths';
import {
  chainClasses,
  classAgreement,
  drawSamples,
  imageGrid,
  repeatedStarts,
  uniformStarts,
} from '../../core/eval/jemSampling';
import { predictProbabilities } from '../../core/models/classifier';
import { fromPaperUnits } from '../../core/train/jem/sgld';
import { InvalidOptionError } from '../../core/util/errors';
import * as tf from '@tensorflow/tfjs';
import { numberOption, parseCommandArgs, requiredString, stringOption } from '../args';
import { BACKEND_OPTION, MODEL_OPTION, startBackend } from '../commonOptions';
import { readImageFile, writePng } from '../imageFiles';
import { preprocessMnist } from '../../core/image/mnistPreprocess';
import { trainedSgld } from '../jemArgs';
import { printJson } from '../nodeEnv';
import { readModelDir } from '../nodeFiles';

export const DEFAULT_SAMPLE_STEPS = 100;

export async function sampleCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('sample', argv, {
    ...MODEL_OPTION,
    ...BACKEND_OPTION,
    class: { type: 'string' },
    n: { type: 'string' },
    steps: { type: 'string' },
    'sgld-step': { type: 'string' },
    'sgld-noise': { type: 'string' },
    from: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    judge: { type: 'string' },
  });
  const modelDir = requiredString(v, 'model');
  const out = requiredString(v, 'out');
  const classText = stringOption(v, 'class');
  const which = classText === undefined ? null : classText === 'all' ? 'all' : Number(classText);
  if (typeof which === 'number' && !Number.isInteger(which))
    throw new InvalidOptionError(`--class takes a class number or all; got "${classText}".`);
  const n = numberOption(v, 'n', which === 'all' ? 100 : 10, { min: 1, max: 10_000, integer: true })!;
  const steps = numberOption(v, 'steps', DEFAULT_SAMPLE_STEPS, { min: 0, max: 10_000, integer: true })!;
  const seed = numberOption(v, 'seed', 1, { min: 0, integer: true })!;
  const from = stringOption(v, 'from', 'noise');
  if (from === 'buffer') {
    throw new InvalidOptionError('--from buffer needs the replay buffer, which model directories do not keep yet.');
  }
  await checkOutputFile(out);
  const backend = await startBackend(v);
  const started = performance.now();
  const clf = await readModelDir(modelDir);
  const judge = stringOption(v, 'judge') !== undefined ? await readModelDir(requiredString(v, 'judge')) : undefined;
  const shape = clf.meta.inputShape;
  const k = clf.meta.classNames.length;
  if (judge && (judge.meta.inputShape.join() !== shape.join() || judge.meta.classNames.length !== k))
    throw new InvalidOptionError('The judge model must take the same images and classes as the sampling model.');
  const classes = chainClasses(which, n, k);
  const trained = trainedSgld(clf.meta.training?.command);
  const units = fromPaperUnits({
    stepSize: numberOption(v, 'sgld-step', trained.step, { min: 0, max: 1e4 })!,
    noise: numberOption(v, 'sgld-noise', trained.noise, { min: 0, max: 10 })!,
    dataNoise: 0,
  });
  const size = shape[0] * shape[1] * shape[2];
  const starts = from === 'noise' ? uniformStarts(n, size, seed) : repeatedStarts(await pictureStart(from, shape), n);
  const result = await drawSamples(clf, {
    starts,
    classes,
    sgld: { steps, stepSize: units.stepSize, noise: units.noise, range: [0, 1] },
    seed,
  });
  const columns = which === 'all' ? n / k : Math.min(n, 10);
  const grid = imageGrid(result.samples, shape, columns);
  await writingOut(out, () => writePng(out, grid.pixels, grid.width, grid.height, shape[2]));
  const mean = (a: Float32Array) => a.reduce((s, x) => s + x, 0) / a.length;
  const judged = judge && classes ? await judgeSamples(judge, result.samples, shape, classes, k) : undefined;
  printJson({
    model: modelDir,
    backend,
    out,
    n,
    class: which ?? 'none (unconditional)',
    from,
    steps,
    sgld: { stepSize: units.stepSize, noise: units.noise, units: 'input [0, 1]' },
    energy: { start: mean(result.energyStart), end: mean(result.energyEnd) },
    ...(classes ? { selfAgreement: classAgreement(result.predicted, classes, k) } : {}),
    ...(judged ? { judge: { model: requiredString(v, 'judge'), ...judged } } : {}),
    seconds: (performance.now() - started) / 1000,
  });
}

async function pictureStart(path: string, shape: [number, number, number]): Promise<Float32Array> {
  if (shape[2] !== 1) throw new InvalidOptionError('--from FILE reads digit pictures for MNIST models only.');
  const image = await readImageFile(path);
  return preprocessMnist(image.rgba, image.width, image.height).pixels;
}

async function judgeSamples(
  judge: Awaited<ReturnType<typeof readModelDir>>,
  samples: Float32Array,
  shape: [number, number, number],
  classes: number[],
  k: number,
) {
  const x = tf.tensor4d(samples, [classes.length, ...shape]);
  const probs = await predictProbabilities(judge, x);
  x.dispose();
  const predicted = probs.map((p) => p.indexOf(Math.max(...p)));
  return classAgreement(predicted, classes, k);
}

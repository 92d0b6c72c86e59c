/**
 * `train --arch cnn --data mnist --epochs E [--seed S] [--batch B] [--lr LR] --out DIR`
 * Trains on the full training split, measures accuracy on the full test split, writes the model
 * directory; progress on stderr, one JSON summary on stdout.
 */
import { parseBackendName } from '../../core/backend/backends';
import { accuracy } from '../../core/metrics/accuracy';
import { buildMnistCnn, MNIST_CNN_ARCH } from '../../core/models/mnistCnn';
import type { ModelMeta } from '../../core/models/modelMeta';
import { modelToFiles } from '../../core/models/modelIO';
import { asClassifier } from '../../core/models/classifier';
import { takeFirst } from '../../core/data/dataset';
import { trainClassifier } from '../../core/train/trainClassifier';
import { InvalidOptionError } from '../../core/util/errors';
import { numberOption, parseCommandArgs, requiredString } from '../args';
import { initNodeBackend, printJson } from '../nodeEnv';
import { loadDataset, writeModelDir } from '../nodeFiles';

const ARCHS = ['cnn'] as const;

export async function trainCommand(argv: string[], commandLine: string): Promise<void> {
  const v = parseCommandArgs(argv, {
    arch: { type: 'string' },
    data: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string' },
  });
  const arch = requiredString(v, 'arch');
  if (!(ARCHS as readonly string[]).includes(arch)) {
    throw new InvalidOptionError(`--arch "${arch}" is not available yet; choose one of: ${ARCHS.join(', ')}.`);
  }
  const dataName = requiredString(v, 'data');
  const out = requiredString(v, 'out');
  const epochs = numberOption(v, 'epochs', undefined, { min: 1, max: 1000, integer: true });
  if (epochs === undefined) throw new InvalidOptionError('--epochs is required.');
  const seed = numberOption(v, 'seed', 1, { min: 0, integer: true })!;
  const batchSize = numberOption(v, 'batch', 64, { min: 1, max: 4096, integer: true })!;
  const learningRate = numberOption(v, 'lr', 2e-3, { min: 1e-7, max: 1 })!;
  const limit = numberOption(v, 'limit', undefined, { min: 1, integer: true });
  const backend = await initNodeBackend(parseBackendName(typeof v.backend === 'string' ? v.backend : 'wasm'));

  let train = await loadDataset(dataName, 'train');
  if (limit !== undefined) train = takeFirst(train, limit);
  const test = await loadDataset(dataName, 'test');

  const model = buildMnistCnn(seed);
  const summary = await trainClassifier(model, train, {
    epochs,
    batchSize,
    learningRate,
    seed,
    // Step decay: ×0.3 at 50 % and 75 % of the epochs (no decay for runs of one epoch).
    lrMilestones: epochs > 1 ? [Math.floor(epochs / 2), Math.floor((3 * epochs) / 4)] : [],
    lrDecay: 0.3,
    reportEvery: 100,
    onReport: (r) =>
      process.stderr.write(
        `epoch ${r.epoch + 1}/${epochs} batch ${r.batch}/${r.batchesPerEpoch} loss ${r.loss.toFixed(4)} ` +
          `acc ${(100 * r.trainAccuracy).toFixed(2)}% ${r.samplesPerSecond.toFixed(0)} samples/s lr ${r.learningRate.toExponential(2)}\n`,
      ),
  });
  const meta: ModelMeta = {
    arch: MNIST_CNN_ARCH,
    dataset: 'mnist',
    inputShape: [28, 28, 1],
    classNames: train.classNames.slice(),
    description: `Small MNIST CNN (12,810 parameters) trained ${epochs} epochs on ${train.count} MNIST training images.`,
    training: {
      command: commandLine,
      epochs,
      batchSize,
      seed,
      trainExamples: train.count,
      seconds: Math.round(summary.seconds),
      backend,
    },
  };
  const testAccuracy = await accuracy(asClassifier(model, meta).logits, test);
  meta.heldOutAccuracy = { value: testAccuracy, n: test.count, split: 'test' };
  await writeModelDir(out, await modelToFiles(model, meta));
  printJson({
    out,
    arch,
    data: dataName,
    backend,
    trainExamples: train.count,
    epochs,
    batchSize,
    learningRate,
    seed,
    seconds: summary.seconds,
    samplesPerSecond: summary.samplesPerSecond,
    finalLoss: summary.finalLoss,
    testAccuracy,
    testExamples: test.count,
  });
}

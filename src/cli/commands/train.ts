/**
 * `train --arch cnn|yan-cnn|odenet|tisode|mlp|homogeneous-cnn|cifar-cnn --data mnist|cifar10 --epochs E [--seed S]
 * --out DIR [options]`
 * Trains on the full training split, measures accuracy on the full test split, writes the model
 * directory; progress on stderr, one JSON summary on stdout.
 *
 * The recipe of each architecture (optimizer, batch, schedule, augmentation) lives in
 * src/core/train/recipes.ts, shared with the training lab; the flags override parts of it
 * (`--optimizer adam|sgd|loss-based`, `--lr`, `--batch`, `--weight-decay`, `--noise`, `--ss-weight`, `--ss-start`).
 * `--norm none|batch|group` normalises after each conv of cnn, cifar-cnn and res-cnn (`--depth D` blocks at
 * `--width W`); `--adv-bn split` builds split batch norm (BN_clean, BN_adv) for Xie & Yuille's experiments.
 * `cifar-cnn` takes the `cnn` recipe. On CIFAR-10 (read from $CIFAR10_DIR) every architecture
 * also gets random-crop + horizontal-flip augmentation (`--crop-flip on|off`).
 */
import { checkOutputFolder, writingOut } from '../outputPaths';
import { accuracy } from '../../core/metrics/accuracy';
import { asClassifier } from '../../core/models/classifier';
import { modelToFiles } from '../../core/models/modelIO';
import { parseArchitecture } from '../../core/models/architectures';
import { INITIALISATIONS } from '../../core/models/layers/initialisations';
import { NORMALISATIONS } from '../../core/models/normalisationNames';
import type { ModelSize } from '../../core/models/yanModels';
import { SOLVERS } from '../../core/ode/solverNames';
import { isYanArchitecture, trainingRecipe, type OptimizerKind, type RecipeOverrides } from '../../core/train/recipes';
import { setUpTrainingRun } from '../../core/train/trainingRun';
import { InvalidOptionError } from '../../core/util/errors';
import { choiceOption, numberOption, parseCommandArgs, requiredString, switchOption } from '../args';
import {
  BACKEND_OPTION,
  BATCH_OPTION,
  DATA_OPTION,
  LIMIT_OPTION,
  batchOption,
  loadData,
  startBackend,
} from '../commonOptions';
import { printJson } from '../nodeEnv';
import { writeModelDir } from '../nodeFiles';
import { describeJem, JEM_OPTION_SPEC, parseJemTraining } from '../jemArgs';
import { describeRobustness, parseTrainingDefense, TRAINING_DEFENSE_OPTION_SPEC } from '../trainingDefenseArgs';

const SIZES: readonly ModelSize[] = ['classroom', 'paper'];
const OPTIMIZERS: readonly OptimizerKind[] = ['adam', 'sgd', 'loss-based'];

/** Test images used for the held-out accuracy in progress reports (the final figure uses all). */
const REPORT_HELD_OUT = 1000;

export async function trainCommand(argv: string[], commandLine: string): Promise<void> {
  const v = parseCommandArgs('train', argv, {
    ...DATA_OPTION,
    ...LIMIT_OPTION,
    ...BATCH_OPTION,
    ...BACKEND_OPTION,
    arch: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    lr: { type: 'string' },
    out: { type: 'string' },
    size: { type: 'string' },
    channels: { type: 'string' },
    solver: { type: 'string' },
    steps: { type: 'string' },
    'weight-decay': { type: 'string' },
    noise: { type: 'string' },
    'ss-weight': { type: 'string' },
    'ss-start': { type: 'string' },
    width: { type: 'string' },
    depth: { type: 'string' },
    init: { type: 'string' },
    bias: { type: 'string' },
    'crop-flip': { type: 'string' },
    optimizer: { type: 'string' },
    norm: { type: 'string' },
    ...TRAINING_DEFENSE_OPTION_SPEC,
    ...JEM_OPTION_SPEC,
  });
  const arch = parseArchitecture(requiredString(v, 'arch'));
  const dataName = requiredString(v, 'data');
  const out = requiredString(v, 'out');
  const epochs = numberOption(v, 'epochs', undefined, { min: 1, max: 1000, integer: true });
  if (epochs === undefined) throw new InvalidOptionError('--epochs is required.');
  const seed = numberOption(v, 'seed', 1, { min: 0, integer: true })!;
  // The first --limit training images (all by default); the test figure always uses the whole test split.
  const limit = numberOption(v, 'limit', undefined, { min: 1, integer: true });
  const size = choiceOption(v, 'size', SIZES, 'classroom');
  const solver = choiceOption(v, 'solver', SOLVERS);
  // Held-out accuracy in the progress lines for the slow (ODE-paper) models.
  const isYan = isYanArchitecture(arch);
  const init = choiceOption(v, 'init', INITIALISATIONS);
  const useBias = switchOption(v, 'bias');
  const noise = switchOption(v, 'noise');
  const cropFlip = switchOption(v, 'crop-flip');
  const optimizer = choiceOption(v, 'optimizer', OPTIMIZERS);
  // The architecture's recipe (src/core/train/recipes.ts), with whatever the flags change.
  const overrides: RecipeOverrides = {
    batchSize: batchOption(v),
    optimizer,
    learningRate: numberOption(v, 'lr', undefined, { min: 1e-7, max: 1 }),
    weightDecay: numberOption(v, 'weight-decay', undefined, { min: 0, max: 0.5 }),
    noiseAugmentation: noise,
    cropFlipAugmentation: cropFlip ?? dataName === 'cifar10',
    steadyStateWeight: numberOption(v, 'ss-weight', undefined, { min: 0 }),
    steadyStateStart: numberOption(v, 'ss-start', undefined, { min: 0, integer: true }),
  };
  const recipe = trainingRecipe(arch, epochs, seed, overrides);
  const { batchSize, weightDecay = 0, noiseAugmentation = false, cropFlipAugmentation = false } = recipe;
  const learningRate = recipe.optimizer.learningRate;
  const defense = parseJemTraining(v) ?? parseTrainingDefense(v, dataName);
  await checkOutputFolder(out);
  const backend = await startBackend(v);

  const train = await loadData({ dataName, split: 'train', limit });
  const test = await loadData({ dataName, split: 'test', limit: undefined });
  const { built, trainer } = setUpTrainingRun(
    {
      arch,
      build: {
        size,
        channels: numberOption(v, 'channels', undefined, { min: 1, max: 256, integer: true }),
        solver,
        steps: numberOption(v, 'steps', undefined, { min: 1, max: 1000, integer: true }),
        width: numberOption(v, 'width', undefined, { min: 1, max: 16384, integer: true }),
        depth: numberOption(v, 'depth', undefined, { min: 1, max: 64, integer: true }),
        useBias,
        init,
        norm: { norm: choiceOption(v, 'norm', NORMALISATIONS, 'none')!, splitBatchNorm: v['adv-bn'] === 'split' },
      },
      recipe: overrides,
      defense: defense?.defense,
      epochs,
      seed,
      robustProbe: defense?.robustProbe,
      certifiedProbe: defense?.certifiedProbe,
      heldOutExamples: isYan || defense ? REPORT_HELD_OUT : 0,
      reportEvery: 100,
    },
    train,
    test,
  );
  await trainer.run({
    onReport: (r) =>
      process.stderr.write(
        `epoch ${r.epoch + 1}/${epochs} batch ${r.batch}/${r.batchesPerEpoch} loss ${r.loss.toFixed(4)} ` +
          `acc ${(100 * r.trainAccuracy).toFixed(2)}%` +
          (r.heldOutAccuracy !== undefined ? ` held-out ${(100 * r.heldOutAccuracy).toFixed(2)}%` : '') +
          (r.auxiliaryLoss !== undefined ? ` ss ${r.auxiliaryLoss.toFixed(4)}` : '') +
          describeRobustness(r) +
          describeJem(r) +
          ` ${r.samplesPerSecond.toFixed(0)} samples/s lr ${r.learningRate.toExponential(2)}\n`,
      ),
  });
  const summary = trainer.summary();
  trainer.dispose();
  if (summary.divergence) {
    const d = summary.divergence;
    process.stderr.write(
      `DIVERGED at epoch ${d.epoch + 1}, batch ${d.batch + 1}: ${d.reason}; ` +
        'the run stopped and the weights of the last report were restored.\n',
    );
  }
  const meta = {
    ...built.meta,
    description:
      `${built.meta.description.replace(/\.$/, '')}, trained ${epochs} epochs on ` +
      `${describeTrainingData(train.name, train.count)}` +
      (trainer.config.objective ? ` with ${trainer.config.objective.description}` : '') +
      (summary.divergence
        ? ` (stopped at epoch ${summary.divergence.epoch + 1}, batch ${summary.divergence.batch + 1}: ` +
          `${summary.divergence.reason}; weights from the last report before it)`
        : summary.stoppedEarly
          ? ' (stopped early: robust accuracy collapsed)'
          : '') +
      '.',
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
  const testAccuracy = await accuracy(asClassifier(built.model, meta).logits, test);
  const fullMeta = { ...meta, heldOutAccuracy: { value: testAccuracy, n: test.count, split: 'test' } };
  const files = await modelToFiles(built.model, fullMeta);
  await writingOut(out, () => writeModelDir(out, files));
  printJson({
    out,
    arch,
    data: dataName,
    backend,
    parameters: built.model.countParams(),
    trainExamples: train.count,
    epochs,
    batchSize,
    learningRate,
    weightDecay,
    noiseAugmentation,
    cropFlipAugmentation,
    seed,
    seconds: summary.seconds,
    samplesPerSecond: summary.samplesPerSecond,
    finalLoss: summary.finalLoss,
    testAccuracy,
    testExamples: test.count,
    ...(trainer.config.objective ? { defense: trainer.config.objective.description } : {}),
    ...(summary.catastrophicOverfitting ? { catastrophicOverfitting: summary.catastrophicOverfitting } : {}),
    ...(summary.divergence ? { divergence: summary.divergence } : {}),
  });
}

/** Full training-split sizes: a model that saw fewer images says so in its description. */
const FULL_TRAIN_SIZE: Record<string, number> = { mnist: 60_000, cifar10: 50_000 };
const DATASET_LABEL: Record<string, string> = { mnist: 'MNIST', cifar10: 'CIFAR-10' };

function describeTrainingData(name: string, count: number): string {
  const label = DATASET_LABEL[name] ?? name;
  const images = `${count.toLocaleString('en')} ${label} training images`;
  const full = FULL_TRAIN_SIZE[name];
  if (name === 'mnist' || full === undefined || count >= full) return images;
  return (
    `only ${images} (a sample of the ${full.toLocaleString('en')}; far weaker than a model trained on all of ` + `them)`
  );
}

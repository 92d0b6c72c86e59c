/**
 * `train --arch cnn|yan-cnn|odenet|tisode|mlp|homogeneous-cnn|cifar-cnn --data mnist|cifar10 --epochs E [--seed S]
 * --out DIR [options]`
 * Trains on the full training split, measures accuracy on the full test split, writes the model
 * directory; progress on stderr, one JSON summary on stdout.
 *
 * The recipe of each architecture (optimizer, batch, schedule, augmentation) lives in
 * src/core/train/recipes.ts, shared with the training lab; the flags override parts of it
 * (`--optimizer adam|sgd|loss-based`, `--lr`, `--batch`, `--weight-decay`, `--noise`, `--ss-weight`, `--ss-start`).
 * `cifar-cnn` takes the `cnn` recipe. On CIFAR-10 (read from $CIFAR10_DIR) every architecture
 * also gets random-crop + horizontal-flip augmentation (`--crop-flip on|off`).
 */
import { parseBackendName } from '../../core/backend/backends';
import { takeFirst } from '../../core/data/dataset';
import { accuracy } from '../../core/metrics/accuracy';
import { asClassifier } from '../../core/models/classifier';
import { modelToFiles } from '../../core/models/modelIO';
import { parseArchitecture } from '../../core/models/architectures';
import { buildModel } from '../../core/models/registry';
import { INITIALISATIONS, type Initialisation } from '../../core/models/layers/initialisations';
import { SOLVERS, type SolverName } from '../../core/ode/solverNames';
import { isYanArchitecture, trainingRecipe, type OptimizerKind } from '../../core/train/recipes';
import { Trainer, type TrainerConfig } from '../../core/train/trainer';
import { InvalidOptionError } from '../../core/util/errors';
import { numberOption, parseCommandArgs, requiredString } from '../args';
import { initNodeBackend, printJson } from '../nodeEnv';
import { loadDataset, writeModelDir } from '../nodeFiles';

/** Test images used for the held-out accuracy in progress reports (the final figure uses all). */
const REPORT_HELD_OUT = 1000;

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
  });
  const arch = parseArchitecture(requiredString(v, 'arch'));
  const dataName = requiredString(v, 'data');
  const out = requiredString(v, 'out');
  const epochs = numberOption(v, 'epochs', undefined, { min: 1, max: 1000, integer: true });
  if (epochs === undefined) throw new InvalidOptionError('--epochs is required.');
  const seed = numberOption(v, 'seed', 1, { min: 0, integer: true })!;
  const limit = numberOption(v, 'limit', undefined, { min: 1, integer: true });
  const size = typeof v.size === 'string' ? v.size : 'classroom';
  if (size !== 'paper' && size !== 'classroom')
    throw new InvalidOptionError(`--size must be paper or classroom, got "${size}".`);
  const solver = typeof v.solver === 'string' ? v.solver : undefined;
  if (solver !== undefined && !(SOLVERS as readonly string[]).includes(solver)) {
    throw new InvalidOptionError(`--solver must be one of ${SOLVERS.join(', ')}, got "${solver}".`);
  }
  // Held-out accuracy in the progress lines for the slow (ODE-paper) models.
  const isYan = isYanArchitecture(arch);
  const init = typeof v.init === 'string' ? v.init : undefined;
  if (init !== undefined && !(INITIALISATIONS as readonly string[]).includes(init)) {
    throw new InvalidOptionError(`--init must be one of ${INITIALISATIONS.join(', ')}, got "${init}".`);
  }
  if (typeof v.bias === 'string' && v.bias !== 'on' && v.bias !== 'off')
    throw new InvalidOptionError('--bias must be on or off.');
  if (typeof v.noise === 'string' && v.noise !== 'on' && v.noise !== 'off')
    throw new InvalidOptionError('--noise must be on or off.');
  if (typeof v['crop-flip'] === 'string' && v['crop-flip'] !== 'on' && v['crop-flip'] !== 'off')
    throw new InvalidOptionError('--crop-flip must be on or off.');
  if (typeof v.optimizer === 'string' && !['adam', 'sgd', 'loss-based'].includes(v.optimizer)) {
    throw new InvalidOptionError(`--optimizer must be adam, sgd or loss-based, got "${v.optimizer}".`);
  }
  // The architecture's recipe (src/core/train/recipes.ts), with whatever the flags change.
  const recipe = trainingRecipe(arch, epochs, seed, {
    batchSize: numberOption(v, 'batch', undefined, { min: 1, max: 4096, integer: true }),
    optimizer: typeof v.optimizer === 'string' ? (v.optimizer as OptimizerKind) : undefined,
    learningRate: numberOption(v, 'lr', undefined, { min: 1e-7, max: 1 }),
    weightDecay: numberOption(v, 'weight-decay', undefined, { min: 0, max: 0.5 }),
    noiseAugmentation: typeof v.noise === 'string' ? v.noise === 'on' : undefined,
    cropFlipAugmentation: typeof v['crop-flip'] === 'string' ? v['crop-flip'] === 'on' : dataName === 'cifar10',
    steadyStateWeight: numberOption(v, 'ss-weight', undefined, { min: 0 }),
    steadyStateStart: numberOption(v, 'ss-start', undefined, { min: 0, integer: true }),
  });
  const {
    batchSize,
    weightDecay = 0,
    noiseAugmentation: noise = false,
    cropFlipAugmentation: cropFlip = false,
  } = recipe;
  const learningRate = recipe.optimizer.learningRate;
  const backend = await initNodeBackend(parseBackendName(typeof v.backend === 'string' ? v.backend : 'wasm'));

  let train = await loadDataset(dataName, 'train');
  if (limit !== undefined) train = takeFirst(train, limit);
  const test = await loadDataset(dataName, 'test');
  const built = buildModel(arch, {
    seed,
    dataset: train.name,
    classNames: train.classNames,
    size,
    channels: numberOption(v, 'channels', undefined, { min: 1, max: 256, integer: true }),
    solver: solver as SolverName | undefined,
    steps: numberOption(v, 'steps', undefined, { min: 1, max: 1000, integer: true }),
    width: numberOption(v, 'width', undefined, { min: 1, max: 16384, integer: true }),
    depth: numberOption(v, 'depth', undefined, { min: 1, max: 64, integer: true }),
    useBias: typeof v.bias === 'string' ? v.bias === 'on' : undefined,
    init: init as Initialisation | undefined,
  });
  const config: TrainerConfig = {
    ...recipe,
    reportEvery: 100,
    heldOut: isYan ? takeFirst(test, REPORT_HELD_OUT) : undefined,
  };
  const trainer = new Trainer(built.model, train, config);
  await trainer.run({
    onReport: (r) =>
      process.stderr.write(
        `epoch ${r.epoch + 1}/${epochs} batch ${r.batch}/${r.batchesPerEpoch} loss ${r.loss.toFixed(4)} ` +
          `acc ${(100 * r.trainAccuracy).toFixed(2)}%` +
          (r.heldOutAccuracy !== undefined ? ` held-out ${(100 * r.heldOutAccuracy).toFixed(2)}%` : '') +
          (r.auxiliaryLoss !== undefined ? ` ss ${r.auxiliaryLoss.toFixed(4)}` : '') +
          ` ${r.samplesPerSecond.toFixed(0)} samples/s lr ${r.learningRate.toExponential(2)}\n`,
      ),
  });
  const summary = trainer.summary();
  trainer.dispose();
  const meta = {
    ...built.meta,
    description:
      `${built.meta.description.replace(/\.$/, '')}, trained ${epochs} epochs on ` +
      `${describeTrainingData(train.name, train.count)}.`,
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
  await writeModelDir(out, await modelToFiles(built.model, fullMeta));
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
    noiseAugmentation: noise,
    cropFlipAugmentation: cropFlip,
    seed,
    seconds: summary.seconds,
    samplesPerSecond: summary.samplesPerSecond,
    finalLoss: summary.finalLoss,
    testAccuracy,
    testExamples: test.count,
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

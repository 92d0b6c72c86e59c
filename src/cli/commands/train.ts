/**
 * `train --arch cnn|yan-cnn|odenet|tisode|mlp|homogeneous-cnn|cifar-cnn --data mnist|cifar10 --epochs E [--seed S]
 * --out DIR [options]`
 * Trains on the full training split (or its first `--limit N`), measures accuracy on the full test split (or its
 * first `--test-limit N`), writes the model directory; progress on stderr, one JSON summary on stdout.
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
import { parseArchitecture, type Architecture } from '../../core/models/architectures';
import type { Initialisation } from '../../core/models/layers/initialisations';
import type { Normalisation } from '../../core/models/normalisationNames';
import type { ModelSize } from '../../core/models/yanModels';
import type { SolverName } from '../../core/ode/solverNames';
import type { OptionValue } from '../../core/options/field';
import { MODEL_FIELDS, OPTIMIZER_FIELDS, TRAINING_RUN_FIELDS } from '../../core/options/trainingOptions';
import { isYanArchitecture, trainingRecipe, type OptimizerKind, type RecipeOverrides } from '../../core/train/recipes';
import type { TrainReport, TrainSummary } from '../../core/train/trainerConfig';
import { setUpTrainingRun, type TrainingRunSpec } from '../../core/train/trainingRun';
import { InvalidOptionError } from '../../core/util/errors';
import { parseCommandArgs, requiredString, type Values } from '../args';
import { BACKEND_OPTION, BATCH_OPTION, DATA_OPTION, batchOption, loadData, startBackend } from '../commonOptions';
import { printJson } from '../nodeEnv';
import { writeModelDir } from '../nodeFiles';
import { describeJem, JEM_OPTION_SPEC, parseJemTraining } from '../jemArgs';
import { fieldOption, schemaSpec } from '../schemaArgs';
import { TRAIN_FIELDS } from '../trainFlags';
import {
  describeRobustness,
  parseTrainingDefense,
  TRAINING_DEFENSE_OPTION_SPEC,
  type ParsedDefense,
} from '../trainingDefenseArgs';

/** What the flags ask for: the run, where it goes, and what it is trained on. */
interface TrainRequest {
  arch: Architecture;
  dataName: string;
  out: string;
  epochs: number;
  seed: number;
  /** The first N training images; all when absent. */
  limit?: number;
  /** The first N test images, for the recorded accuracy; all when absent. */
  testLimit?: number;
  build: TrainingRunSpec['build'];
  overrides: RecipeOverrides;
  defense?: ParsedDefense;
}

/** The flags as a training run; every value checked by its schema field. */
export function parseTrainRequest(v: Values): TrainRequest {
  const arch = parseArchitecture(requiredString(v, 'arch'));
  const dataName = requiredString(v, 'data');
  const ctx = { arch, dataset: dataName, size: typeof v.size === 'string' ? v.size : undefined };
  const flag = (field: (typeof TRAIN_FIELDS)[number]): OptionValue | undefined => fieldOption(v, field, ctx);
  const epochs = flag(TRAINING_RUN_FIELDS.epochs) as number | undefined;
  if (epochs === undefined) throw new InvalidOptionError('--epochs is required.');
  const cropFlip = flag(OPTIMIZER_FIELDS.cropFlip) as boolean | undefined;
  return {
    arch,
    dataName,
    out: requiredString(v, 'out'),
    epochs,
    seed: flag(TRAINING_RUN_FIELDS.seed) as number,
    limit: flag(TRAINING_RUN_FIELDS.trainExamples) as number | undefined,
    testLimit: flag(TRAINING_RUN_FIELDS.testExamples) as number | undefined,
    build: {
      size: flag(MODEL_FIELDS.size) as ModelSize,
      channels: flag(MODEL_FIELDS.channels) as number | undefined,
      solver: flag(MODEL_FIELDS.solver) as SolverName,
      steps: flag(MODEL_FIELDS.steps) as number,
      width: flag(MODEL_FIELDS.width) as number | undefined,
      depth: flag(MODEL_FIELDS.depth) as number | undefined,
      useBias: flag(MODEL_FIELDS.bias) as boolean,
      init: flag(MODEL_FIELDS.init) as Initialisation,
      norm: { norm: flag(MODEL_FIELDS.norm) as Normalisation, splitBatchNorm: v['adv-bn'] === 'split' },
    },
    // The architecture's recipe (src/core/train/recipes.ts), with whatever the flags change.
    overrides: {
      batchSize: batchOption(v),
      optimizer: flag(OPTIMIZER_FIELDS.optimizer) as OptimizerKind | undefined,
      learningRate: flag(OPTIMIZER_FIELDS.learningRate) as number | undefined,
      weightDecay: flag(OPTIMIZER_FIELDS.weightDecay) as number | undefined,
      noiseAugmentation: flag(OPTIMIZER_FIELDS.noise) as boolean | undefined,
      cropFlipAugmentation: cropFlip ?? dataName === 'cifar10',
      steadyStateWeight: flag(OPTIMIZER_FIELDS.steadyStateWeight) as number | undefined,
      steadyStateStart: flag(OPTIMIZER_FIELDS.steadyStateStart) as number | undefined,
    },
    defense: parseJemTraining(v) ?? parseTrainingDefense(v, dataName),
  };
}

/** One progress line on stderr. */
function progressLine(r: TrainReport, epochs: number): string {
  return (
    `epoch ${r.epoch + 1}/${epochs} batch ${r.batch}/${r.batchesPerEpoch} loss ${r.loss.toFixed(4)} ` +
    `acc ${(100 * r.trainAccuracy).toFixed(2)}%` +
    (r.heldOutAccuracy !== undefined ? ` held-out ${(100 * r.heldOutAccuracy).toFixed(2)}%` : '') +
    (r.auxiliaryLoss !== undefined ? ` ss ${r.auxiliaryLoss.toFixed(4)}` : '') +
    describeRobustness(r) +
    describeJem(r) +
    ` ${r.samplesPerSecond.toFixed(0)} samples/s lr ${r.learningRate.toExponential(2)}\n`
  );
}

/** How the run ended, for the model's description: a divergence, an early stop, or nothing. */
function howItEnded(summary: TrainSummary): string {
  if (summary.divergence) {
    const d = summary.divergence;
    const where = `epoch ${d.epoch + 1}, batch ${d.batch + 1}`;
    return ` (stopped at ${where}: ${d.reason}; weights from the last report before it)`;
  }
  return summary.stoppedEarly ? ' (stopped early: robust accuracy collapsed)' : '';
}

export async function trainCommand(argv: string[], commandLine: string): Promise<void> {
  const v = parseCommandArgs('train', argv, {
    ...DATA_OPTION,
    ...BATCH_OPTION,
    ...BACKEND_OPTION,
    ...schemaSpec(TRAIN_FIELDS),
    out: { type: 'string' },
    ...TRAINING_DEFENSE_OPTION_SPEC,
    ...JEM_OPTION_SPEC,
  });
  const req = parseTrainRequest(v);
  const { arch, dataName, out, epochs, seed, defense } = req;
  const recipe = trainingRecipe(arch, epochs, seed, req.overrides);
  const { batchSize, weightDecay = 0, noiseAugmentation = false, cropFlipAugmentation = false } = recipe;
  await checkOutputFolder(out);
  const backend = await startBackend(v);

  const train = await loadData({ dataName, split: 'train', limit: req.limit });
  const test = await loadData({ dataName, split: 'test', limit: req.testLimit });
  const { built, trainer } = setUpTrainingRun(
    {
      arch,
      build: req.build,
      recipe: req.overrides,
      defense: defense?.defense,
      epochs,
      seed,
      robustProbe: defense?.robustProbe,
      certifiedProbe: defense?.certifiedProbe,
      // Held-out accuracy in the progress lines for the slow (ODE-paper) models and the defended ones.
      heldOutExamples: isYanArchitecture(arch) || defense ? TRAINING_RUN_FIELDS.heldOutExamples.default : 0,
      reportEvery: TRAINING_RUN_FIELDS.reportEvery.default,
    },
    train,
    test,
  );
  await trainer.run({ onReport: (r) => process.stderr.write(progressLine(r, epochs)) });
  const summary = trainer.summary();
  trainer.dispose();
  if (summary.divergence) {
    const d = summary.divergence;
    process.stderr.write(
      `DIVERGED at epoch ${d.epoch + 1}, batch ${d.batch + 1}: ${d.reason}; ` +
        'the run stopped and the weights of the last report were restored.\n',
    );
  }
  const objective = trainer.config.objective;
  const meta = {
    ...built.meta,
    description:
      `${built.meta.description.replace(/\.$/, '')}, trained ${epochs} epochs on ` +
      `${describeTrainingData(train.name, train.count)}` +
      (objective ? ` with ${objective.description}` : '') +
      howItEnded(summary) +
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
    learningRate: recipe.optimizer.learningRate,
    weightDecay,
    noiseAugmentation,
    cropFlipAugmentation,
    seed,
    seconds: summary.seconds,
    samplesPerSecond: summary.samplesPerSecond,
    finalLoss: summary.finalLoss,
    testAccuracy,
    testExamples: test.count,
    ...(objective ? { defense: objective.description } : {}),
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

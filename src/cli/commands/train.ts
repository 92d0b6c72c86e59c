/**
 * `train --arch cnn|yan-cnn|odenet|tisode|mlp|homogeneous-cnn --data mnist --epochs E [--seed S] --out DIR [options]`
 * Trains on the full training split, measures accuracy on the full test split, writes the model
 * directory; progress on stderr, one JSON summary on stdout.
 *
 * Recipes: `cnn` (the attack lab's model) uses Adam 2e-3, batch 64, learning rate ×0.3 at 50 % and
 * 75 % of the epochs. The Yan et al. models use the paper's recipe scaled to the epoch count:
 * Adam 1e-3, weight decay 5e-4, batch 128, ×0.2 at 30/60/90 % of the epochs, Gaussian-noise
 * augmentation, and for TisODE the steady-state loss with weight 0.01 from epoch min(5, E/3).
 */
import { parseBackendName } from '../../core/backend/backends';
import { takeFirst } from '../../core/data/dataset';
import { accuracy } from '../../core/metrics/accuracy';
import { asClassifier } from '../../core/models/classifier';
import { modelToFiles } from '../../core/models/modelIO';
import { buildModel, parseArchitecture } from '../../core/models/registry';
import { INITIALISATIONS, type Initialisation } from '../../core/models/layers/exactNormal';
import { SOLVERS, type SolverName } from '../../core/ode/solvers';
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
  });
  const arch = parseArchitecture(requiredString(v, 'arch'));
  const dataName = requiredString(v, 'data');
  const out = requiredString(v, 'out');
  const epochs = numberOption(v, 'epochs', undefined, { min: 1, max: 1000, integer: true });
  if (epochs === undefined) throw new InvalidOptionError('--epochs is required.');
  const seed = numberOption(v, 'seed', 1, { min: 0, integer: true })!;
  const limit = numberOption(v, 'limit', undefined, { min: 1, integer: true });
  const size = typeof v.size === 'string' ? v.size : 'classroom';
  if (size !== 'paper' && size !== 'classroom') throw new InvalidOptionError(`--size must be paper or classroom, got "${size}".`);
  const solver = typeof v.solver === 'string' ? v.solver : undefined;
  if (solver !== undefined && !(SOLVERS as readonly string[]).includes(solver)) {
    throw new InvalidOptionError(`--solver must be one of ${SOLVERS.join(', ')}, got "${solver}".`);
  }
  // The Yan et al. recipe (weight decay, noise augmentation, milestones) for the ODE-paper models only.
  const isYan = arch === 'yan-cnn' || arch === 'odenet' || arch === 'tisode';
  const init = typeof v.init === 'string' ? v.init : undefined;
  if (init !== undefined && !(INITIALISATIONS as readonly string[]).includes(init)) {
    throw new InvalidOptionError(`--init must be one of ${INITIALISATIONS.join(', ')}, got "${init}".`);
  }
  if (typeof v.bias === 'string' && v.bias !== 'on' && v.bias !== 'off') throw new InvalidOptionError('--bias must be on or off.');
  const batchSize = numberOption(v, 'batch', isYan ? 128 : 64, { min: 1, max: 4096, integer: true })!;
  const learningRate = numberOption(v, 'lr', isYan ? 1e-3 : 2e-3, { min: 1e-7, max: 1 })!;
  const weightDecay = numberOption(v, 'weight-decay', isYan ? 5e-4 : 0, { min: 0, max: 0.5 })!;
  const noise = typeof v.noise === 'string' ? v.noise !== 'off' : isYan;
  if (typeof v.noise === 'string' && v.noise !== 'on' && v.noise !== 'off') throw new InvalidOptionError('--noise must be on or off.');
  const ssWeight = numberOption(v, 'ss-weight', 0.01, { min: 0 })!;
  const ssStart = numberOption(v, 'ss-start', Math.min(5, Math.floor(epochs / 3)), { min: 0, integer: true })!;
  const backend = await initNodeBackend(parseBackendName(typeof v.backend === 'string' ? v.backend : 'wasm'));

  let train = await loadDataset(dataName, 'train');
  if (limit !== undefined) train = takeFirst(train, limit);
  const test = await loadDataset(dataName, 'test');
  const built = buildModel(arch, {
    seed,
    size,
    channels: numberOption(v, 'channels', undefined, { min: 1, max: 256, integer: true }),
    solver: solver as SolverName | undefined,
    steps: numberOption(v, 'steps', undefined, { min: 1, max: 1000, integer: true }),
    width: numberOption(v, 'width', undefined, { min: 1, max: 16384, integer: true }),
    depth: numberOption(v, 'depth', undefined, { min: 1, max: 64, integer: true }),
    useBias: typeof v.bias === 'string' ? v.bias === 'on' : undefined,
    init: init as Initialisation | undefined,
  });
  const milestones = isYan
    ? [0.3, 0.6, 0.9].map((f) => Math.round(f * epochs)).filter((e) => e > 0)
    : epochs > 1
      ? [Math.floor(epochs / 2), Math.floor((3 * epochs) / 4)]
      : [];
  const config: TrainerConfig = {
    epochs,
    batchSize,
    seed,
    optimizer: { kind: 'adam', learningRate },
    weightDecay,
    lrMilestones: milestones,
    lrDecay: isYan ? 0.2 : 0.3,
    noiseAugmentation: noise,
    auxiliaryLoss: arch === 'tisode' ? { weight: ssWeight, startEpoch: ssStart } : undefined,
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
    description: `${built.meta.description.replace(/\.$/, '')}, trained ${epochs} epochs on ${train.count.toLocaleString('en')} MNIST training images.`,
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
    seed,
    seconds: summary.seconds,
    samplesPerSecond: summary.samplesPerSecond,
    finalLoss: summary.finalLoss,
    testAccuracy,
    testExamples: test.count,
  });
}

/**
 * `stability --model DIR --data mnist [--limit N] [--eps 0.5,1,2] [--samples S] [--form F] [--seed S]`
 * `stability --widths 16,64,256 --depths 1,2 --inits he,lecun,ntk --data mnist [same options]`
 * `  [--train-epochs E --train-limit N --lr R --lr-decay F --lr-milestones 2,3 --batch B]`
 *
 * Perturbation stability against the L2 radius ε (Zhu et al., NeurIPS 2022), of a saved
 * model or — without --model — of freshly initialised MLPs over width × depth × initialisation.
 * Each result carries the Monte-Carlo estimate of the chosen form, its standard error, and the
 * closed form ε²‖J‖_F²/(d+2) of the first-order squared form. The computation is
 * src/core/eval/stabilityAnalysis.ts, shared with the app's stability panel. With --train-epochs every network
 * of the sweep is first trained (SGD, the rate cut by --lr-decay at the milestones; trainedStability.ts) on the
 * first --train-limit training images, and each row carries its lazy-training ratio after every epoch.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, range } from '../../core/data/dataset';
import { mlpStabilityAgainstEps, stabilityAgainstEps } from '../../core/eval/stabilityAnalysis';
import { INITIALISATIONS, type Initialisation, LAZY_INITIALISATIONS } from '../../core/models/layers/initialisations';
import { STABILITY_FORM_LABELS, STABILITY_FORMS, type StabilityForm } from '../../core/metrics/stabilityForms';
import { resolveSweepTraining, sweepTrainingHook, type SweepTraining } from '../../core/eval/trainedStability';
import { InvalidOptionError } from '../../core/util/errors';
import { choiceOption, numberOption, parseCommandArgs, stringOption, switchOption, type Values } from '../args';
import { MODEL_DATA_OPTIONS, dataOptions, loadData, startBackend } from '../commonOptions';
import { ARCH_SIZE_DEFAULTS } from '../../core/options/trainingOptions';
import { MLP_CONTEXT, STABILITY_FIELDS, STABILITY_RADII, SWEEP_FIELDS } from '../../core/options/stabilityOptions';
import { numberListOption, stringListOption } from '../listArgs';
import { fieldListOption, numberFieldOption, schemaSpec } from '../schemaArgs';
import { printJson } from '../nodeEnv';
import { inputScalingOption, readModel } from '../modelFiles';

const IMAGES = STABILITY_FIELDS.images;

export async function stabilityCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('stability', argv, {
    ...MODEL_DATA_OPTIONS,
    ...schemaSpec([...Object.values(STABILITY_FIELDS), ...Object.values(SWEEP_FIELDS)].filter((f) => f !== IMAGES)),
    form: { type: 'string' },
    seed: { type: 'string' },
    widths: { type: 'string' },
    depths: { type: 'string' },
    inits: { type: 'string' },
    bias: { type: 'string' },
    'train-epochs': { type: 'string' },
    'train-limit': { type: 'string' },
    lr: { type: 'string' },
    'lr-decay': { type: 'string' },
    'lr-milestones': { type: 'string' },
    batch: { type: 'string' },
  });
  // --model is optional here: without it, the MLP sweep.
  const modelDir = stringOption(v, 'model');
  const choice = dataOptions(v, { min: IMAGES.min, max: IMAGES.max, fallback: IMAGES.default });
  const { dataName, split } = choice;
  const epsList = (fieldListOption(v, STABILITY_FIELDS.eps) as number[] | undefined) ?? [...STABILITY_RADII];
  const samples = numberFieldOption(v, STABILITY_FIELDS.samples)!;
  const form: StabilityForm = choiceOption(v, 'form', STABILITY_FORMS, 'first-order-squared');
  const seed = numberOption(v, 'seed', 0, { min: 0, integer: true })!;
  const sweep = modelDir === undefined;
  if (sweep && v.widths === undefined)
    throw new InvalidOptionError('Give --model DIR, or --widths (with --depths and --inits) for the MLP sweep.');
  if (!sweep && (v.widths !== undefined || v.depths !== undefined || v.inits !== undefined)) {
    throw new InvalidOptionError('--widths, --depths and --inits describe the MLP sweep: leave out --model for it.');
  }
  const widths = (fieldListOption(v, SWEEP_FIELDS.widths, MLP_CONTEXT) as number[] | undefined) ?? [];
  const depths = (fieldListOption(v, SWEEP_FIELDS.depths, MLP_CONTEXT) as number[] | undefined) ?? [
    ARCH_SIZE_DEFAULTS.mlp.depth,
  ];
  const inits = stringListOption(v, 'inits', INITIALISATIONS, [...LAZY_INITIALISATIONS]) as Initialisation[];
  const useBias = switchOption(v, 'bias', false);
  const training = parseSweepTraining(v, sweep);

  const backend = await startBackend(v);
  const started = performance.now();
  const clf = modelDir === undefined ? undefined : await readModel(modelDir, inputScalingOption(v));
  const ds = await loadData(choice, clf && modelDir !== undefined ? { clf, dir: modelDir } : undefined);
  const { x, y } = batchTensors(ds, range(0, ds.count));
  y.dispose();
  const common = {
    backend,
    data: dataName,
    split,
    n: ds.count,
    form,
    label: STABILITY_FORM_LABELS[form],
    norm: 'l2',
    samples,
    seed,
  };
  try {
    if (clf) {
      const curve = await stabilityAgainstEps(clf.logits, x, { eps: epsList, samples, form, seed });
      printJson({ model: modelDir, ...common, results: curve.points, seconds: (performance.now() - started) / 1000 });
      return;
    }
    const trainSet = training ? await loadData({ dataName, split: 'train', limit: training.examples }) : undefined;
    const points = await mlpStabilityAgainstEps(
      { widths, depths, inits, useBias, seed, classes: ds.classNames.length },
      x,
      { eps: epsList, samples, form, seed },
      trainSet && training ? { prepare: sweepTrainingHook(trainSet, training, seed, ds) } : {},
    );
    printJson({
      mode: 'mlp-sweep',
      trained: training !== undefined,
      ...(training && trainSet ? { training: { ...training, examples: trainSet.count, optimizer: 'sgd' } } : {}),
      useBias,
      ...common,
      points,
      seconds: (performance.now() - started) / 1000,
    });
  } finally {
    tf.dispose(x);
  }
}

/** --train-epochs and its companions; undefined when the sweep measures at initialisation. */
function parseSweepTraining(v: Values, sweep: boolean): SweepTraining | undefined {
  const epochs = numberOption(v, 'train-epochs', undefined, { min: 1, max: 200, integer: true });
  const companions = ['train-limit', 'lr', 'lr-decay', 'lr-milestones', 'batch'].filter((k) => v[k] !== undefined);
  if (epochs === undefined) {
    if (companions.length > 0) throw new InvalidOptionError(`--${companions[0]} needs --train-epochs.`);
    return undefined;
  }
  if (!sweep) throw new InvalidOptionError('--train-epochs trains the MLP sweep: leave out --model for it.');
  return resolveSweepTraining({
    epochs,
    examples: numberOption(v, 'train-limit', undefined, { min: 1, max: 60_000, integer: true }),
    learningRate: numberOption(v, 'lr', undefined, { min: 1e-6, max: 5 }),
    lrDecay: numberOption(v, 'lr-decay', undefined, { min: 1e-6, max: 1 }),
    lrMilestones: numberListOption(v, 'lr-milestones', undefined, { min: 0, max: 199, integer: true }),
    batchSize: numberOption(v, 'batch', undefined, { min: 1, max: 4096, integer: true }),
  });
}

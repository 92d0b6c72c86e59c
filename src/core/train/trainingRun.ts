/**
 * A training run assembled from its spec: the model from the registry, the architecture's recipe with the run's
 * changes, the defense's training objective, and the probes that watch it (held-out accuracy, PGD robust
 * accuracy, IBP-certified accuracy, Lyu & Li's normalised margin). The training lab (through the worker) and the
 * `train` command both set their runs up here, so a defense means the same objective and the same probes in both.
 */
import { takeFirst, takeLast, type ImageDataset } from '../data/dataset';
import { PROBE_FIELDS } from '../options/defenseOptions';
import { checkValue, type OptionField } from '../options/field';
import { MODEL_FIELDS, OPTIMIZER_FIELDS, TRAINING_RUN_FIELDS } from '../options/trainingOptions';
import { InvalidOptionError } from '../util/errors';
import { countWeightLayers, isHomogeneousLike } from '../metrics/margins';
import type { Architecture } from '../models/architectures';
import { buildModel, type BuildOptions, type BuiltModel } from '../models/registry';
import { adversarialObjective } from './adversarialTraining';
import { certifiedObjective, gaussianNoiseObjective } from './certifiedTraining';
import type { AdversarialTrainingConfig, CertifiedTrainingConfig, NoiseTrainingConfig } from './defenseNames';
import { JemObjective, type JemConfig } from './jem/jemObjective';
import type { TrainingObjective } from './objective';
import { trainingRecipe, type RecipeOverrides } from './recipes';
import { Trainer } from './trainer';
import type { TrainerConfig } from './trainerConfig';

/** Training examples whose smallest margin gives the normalised margin (Lyu & Li 2020, §4). */
const MARGIN_SUBSET = 1000;

/** JEM's settings; the input shape, class count and seed come from the run's model. */
export type JemTrainingConfig = Omit<JemConfig, 'inputShape' | 'numClasses' | 'seed'>;

/**
 * What a run trains with besides cross-entropy: adversarial training (Goodfellow et al. 2015; Madry et al. 2018;
 * Wong et al. 2020; Zhang et al. 2019), certified training (IBP or CROWN-IBP with Gowal et al. 2018's ε and κ
 * schedules), Gaussian noise for randomized smoothing (Cohen et al. 2019), or JEM's generative term (Grathwohl et
 * al. 2020).
 */
export type DefenseSpec =
  | { kind: 'adversarial'; config: AdversarialTrainingConfig }
  | ({ kind: 'certified' } & CertifiedTrainingConfig)
  | ({ kind: 'noise' } & NoiseTrainingConfig)
  | ({ kind: 'jem' } & JemTrainingConfig);

/** What an objective needs to know of the model it trains. */
export interface ObjectiveContext {
  inputShape: [number, number, number];
  numClasses: number;
  seed: number;
}

/** PGD accuracy on held-out images at every report (the robust-accuracy curve). */
export interface RobustProbeSpec {
  /** Test images, from the END of the test split so that the first test images stay untouched by it. */
  examples: number;
  /** L∞ budget. */
  eps: number;
  /** PGD steps. */
  steps: number;
  /** Stop a run whose robust accuracy collapses (catastrophic overfitting) and restore its best weights. */
  stopOnCollapse?: boolean;
}

/** IBP-certified accuracy on held-out images at every report (the certified-accuracy curve). */
export interface CertifiedProbeSpec {
  /** Test images (from the end of the test split, as the robust probe's). */
  examples: number;
  /** L∞ radius. */
  eps: number;
}

export interface TrainingRunSpec {
  arch: Architecture;
  build: Omit<BuildOptions, 'seed' | 'dataset' | 'classNames'>;
  /** Changes to the architecture's default recipe (src/core/train/recipes.ts). */
  recipe?: RecipeOverrides;
  /** Standard training (cross-entropy) when absent. */
  defense?: DefenseSpec;
  epochs: number;
  /** Initialisation, data order, augmentation and the probes' random starts. */
  seed: number;
  robustProbe?: RobustProbeSpec;
  certifiedProbe?: CertifiedProbeSpec;
  /** The first N test images give the held-out accuracy in the reports; none when 0 or absent. */
  heldOutExamples?: number;
  /** A report every this many batches. */
  reportEvery: number;
  /** Track the normalised margin when the model is homogeneous-like (bias-free ReLU). */
  trackMargin?: boolean;
}

export interface TrainingRun {
  built: BuiltModel;
  trainer: Trainer;
}

/** What a run's training step minimises; plain cross-entropy (undefined) without a defense. */
export function defenseObjective(
  defense: DefenseSpec | undefined,
  model: ObjectiveContext,
): TrainingObjective | undefined {
  if (!defense) return undefined;
  if (defense.kind === 'adversarial') return adversarialObjective(defense.config);
  if (defense.kind === 'noise') return gaussianNoiseObjective({ sigma: defense.sigma });
  if (defense.kind === 'jem') {
    const { kind: _, ...config } = defense;
    return new JemObjective({ ...config, ...model });
  }
  const { kind: _, ...config } = defense;
  return certifiedObjective(config);
}

/** The trainer's probe fields; their images come from the end of the test split. */
function probeConfig(
  spec: TrainingRunSpec,
  test: ImageDataset,
): Pick<TrainerConfig, 'robustProbe' | 'certifiedProbe' | 'catastrophicOverfitting'> {
  const robust = spec.robustProbe;
  const certified = spec.certifiedProbe;
  return {
    robustProbe:
      robust && robust.examples > 0
        ? { data: takeLast(test, robust.examples), eps: robust.eps, steps: robust.steps, seed: spec.seed }
        : undefined,
    certifiedProbe:
      certified && certified.examples > 0
        ? { data: takeLast(test, certified.examples), eps: certified.eps }
        : undefined,
    catastrophicOverfitting: { stop: robust?.stopOnCollapse ?? false },
  };
}

const invalid = (message: string) => new InvalidOptionError(message);

/**
 * The run's numbers against the training schema (core/options/trainingOptions.ts, defenseOptions.ts): the same limits
 * the training lab's forms and `train`'s flags enforce. The defense's own settings are checked as its objective is
 * made (adversarialTraining.ts, certifiedTraining.ts), with the same fields.
 */
export function checkTrainingRunSpec(spec: TrainingRunSpec, dataset: string): void {
  const ctx = { dataset, arch: spec.arch };
  const check = (field: OptionField, value: unknown) => {
    if (value !== undefined) checkValue(field, value, ctx, invalid);
  };
  check(TRAINING_RUN_FIELDS.epochs, spec.epochs);
  check(TRAINING_RUN_FIELDS.seed, spec.seed);
  check(TRAINING_RUN_FIELDS.reportEvery, spec.reportEvery);
  check(TRAINING_RUN_FIELDS.heldOutExamples, spec.heldOutExamples);
  for (const key of ['steps', 'channels', 'width', 'depth'] as const) check(MODEL_FIELDS[key], spec.build[key]);
  check(OPTIMIZER_FIELDS.learningRate, spec.recipe?.learningRate);
  check(OPTIMIZER_FIELDS.weightDecay, spec.recipe?.weightDecay);
  check(OPTIMIZER_FIELDS.steadyStateWeight, spec.recipe?.steadyStateWeight);
  check(OPTIMIZER_FIELDS.steadyStateStart, spec.recipe?.steadyStateStart);
  check(PROBE_FIELDS.robustImages, spec.robustProbe?.examples);
  check(PROBE_FIELDS.certifiedImages, spec.certifiedProbe?.examples);
  check(PROBE_FIELDS.certifiedEps, spec.certifiedProbe?.eps);
}

/** Builds the model and its trainer for `spec` on `train`, probing on `test`. */
export function setUpTrainingRun(spec: TrainingRunSpec, train: ImageDataset, test: ImageDataset): TrainingRun {
  checkTrainingRunSpec(spec, train.name);
  const built = buildModel(spec.arch, {
    ...spec.build,
    seed: spec.seed,
    dataset: train.name,
    classNames: train.classNames,
  });
  // Colour images get random crops and flips unless the run says otherwise.
  const recipe = trainingRecipe(spec.arch, spec.epochs, spec.seed, {
    ...spec.recipe,
    cropFlipAugmentation: spec.recipe?.cropFlipAugmentation ?? train.name === 'cifar10',
  });
  // The normalised margin means something for Lyu & Li's bias-free nets only.
  const marginTracking =
    spec.trackMargin && isHomogeneousLike(built.model)
      ? { subset: takeFirst(train, MARGIN_SUBSET), layers: countWeightLayers(built.model) }
      : undefined;
  const heldOut = spec.heldOutExamples ? takeFirst(test, spec.heldOutExamples) : undefined;
  const trainer = new Trainer(built.model, train, {
    ...recipe,
    heldOut,
    reportEvery: spec.reportEvery,
    marginTracking,
    objective: defenseObjective(spec.defense, {
      inputShape: built.meta.inputShape,
      numClasses: built.meta.classNames.length,
      seed: spec.seed,
    }),
    ...probeConfig(spec, test),
  });
  return { built, trainer };
}

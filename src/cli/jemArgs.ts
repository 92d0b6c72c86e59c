/**
 * `train`'s JEM flags (Grathwohl et al., ICLR 2020): parsed and checked here; the core checks again.
 *
 *   --jem on [--sgld-steps 20] [--sgld-step 1] [--sgld-noise 0.01] [--buffer 10000] [--reinit 0.05]
 *   [--data-noise 0.03] [--energy-reg L] [--class-conditional on|off] [--jem-warmup E]
 *
 * `--jem-warmup E` trains E epochs of cross-entropy alone before the log p(x) term starts.
 *
 * The step, noise and data noise are in the paper's units (images in [−1, 1]); fromPaperUnits converts them
 * for the models' [0, 1] inputs (step ÷ 4, noise and data noise ÷ 2).
 */
import { refinedClassifier } from '../core/eval/jemRefinement';
import type { Classifier } from '../core/models/classifier';
import { fromPaperUnits } from '../core/train/jem/sgld';
import type { TrainReport } from '../core/train/trainer';
import type { DefenseSpec } from '../core/train/trainingRun';
import { InvalidOptionError } from '../core/util/errors';
import { numberOption, switchOption, type OptionSpec, type Values } from './args';
import type { ParsedDefense } from './trainingDefenseArgs';

export const JEM_OPTION_SPEC: OptionSpec = {
  jem: { type: 'string' },
  'sgld-steps': { type: 'string' },
  'sgld-step': { type: 'string' },
  'sgld-noise': { type: 'string' },
  buffer: { type: 'string' },
  reinit: { type: 'string' },
  'data-noise': { type: 'string' },
  'energy-reg': { type: 'string' },
  'class-conditional': { type: 'string' },
  'jem-warmup': { type: 'string' },
};

/** JEM's defaults (Grathwohl et al. §5 and their code), in the paper's [−1, 1] units. */
export const JEM_DEFAULTS = {
  sgldSteps: 20,
  sgldStep: 1,
  sgldNoise: 0.01,
  buffer: 10_000,
  reinit: 0.05,
  dataNoise: 0.03,
  energyReg: 0,
};

/** The JEM objective the flags ask for; undefined without `--jem on` (other JEM flags then are an error). */
export function parseJemTraining(v: Values): ParsedDefense | undefined {
  if (!switchOption(v, 'jem', false)) {
    const stray = Object.keys(JEM_OPTION_SPEC).find((k) => k !== 'jem' && v[k] !== undefined);
    if (stray) throw new InvalidOptionError(`--${stray} needs --jem on.`);
    return undefined;
  }
  for (const other of ['adv', 'certified', 'noise-sigma']) {
    if (v[other] !== undefined) throw new InvalidOptionError(`--jem and --${other} are different training objectives.`);
  }
  const units = fromPaperUnits({
    stepSize: numberOption(v, 'sgld-step', JEM_DEFAULTS.sgldStep, { min: 0, max: 1e4 })!,
    noise: numberOption(v, 'sgld-noise', JEM_DEFAULTS.sgldNoise, { min: 0, max: 10 })!,
    dataNoise: numberOption(v, 'data-noise', JEM_DEFAULTS.dataNoise, { min: 0, max: 2 })!,
  });
  const defense: DefenseSpec = {
    kind: 'jem',
    sgld: {
      steps: numberOption(v, 'sgld-steps', JEM_DEFAULTS.sgldSteps, { min: 1, max: 1000, integer: true })!,
      stepSize: units.stepSize,
      noise: units.noise,
      range: [0, 1],
    },
    bufferSize: numberOption(v, 'buffer', JEM_DEFAULTS.buffer, { min: 1, max: 200_000, integer: true })!,
    reinit: numberOption(v, 'reinit', JEM_DEFAULTS.reinit, { min: 0, max: 1 })!,
    dataNoise: units.dataNoise,
    energyRegularisation: numberOption(v, 'energy-reg', JEM_DEFAULTS.energyReg, { min: 0, max: 100 })!,
    classConditional: switchOption(v, 'class-conditional', false),
    classifierWarmupEpochs: numberOption(v, 'jem-warmup', 0, { min: 0, max: 1000, integer: true })!,
  };
  return { defense };
}

/** The progress line's JEM part: mean energies of data and samples since the last report. */
export function describeJem(r: TrainReport): string {
  const s = r.schedule;
  if (s?.energyData === undefined || s.energySample === undefined) return '';
  return ` E(data) ${s.energyData.toFixed(3)} E(samples) ${s.energySample.toFixed(3)}`;
}

export const REFINEMENT_OPTION_SPEC: OptionSpec = {
  'refine-steps': { type: 'string' },
  eot: { type: 'string' },
  'refine-step': { type: 'string' },
  'refine-noise': { type: 'string' },
};

/** The SGLD step and noise a JEM was trained with (paper units), from its recorded command; else JEM's defaults. */
export function trainedSgld(command: string | undefined): { step: number; noise: number } {
  const flag = (name: string) => {
    const m = command?.match(new RegExp(`--${name} (\\S+)`));
    return m ? Number(m[1]) : undefined;
  };
  return { step: flag('sgld-step') ?? JEM_DEFAULTS.sgldStep, noise: flag('sgld-noise') ?? JEM_DEFAULTS.sgldNoise };
}

/**
 * `eval`'s --refine-steps K [--eot S] [--refine-step A] [--refine-noise S]: JEM's refinement defence, attacked
 * through its steps with S noise draws; step and noise in the paper's units (the model's training values by default).
 */
export function parseRefinement(v: Values, clf: Classifier): { classifier: Classifier; record?: object } {
  const steps = numberOption(v, 'refine-steps', undefined, { min: 0, max: 1000, integer: true });
  if (steps === undefined) {
    const stray = Object.keys(REFINEMENT_OPTION_SPEC).find((k) => v[k] !== undefined);
    if (stray) throw new InvalidOptionError(`--${stray} needs --refine-steps K.`);
    return { classifier: clf };
  }
  const trained = trainedSgld(clf.meta.training?.command);
  const units = fromPaperUnits({
    stepSize: numberOption(v, 'refine-step', trained.step, { min: 0, max: 1e4 })!,
    noise: numberOption(v, 'refine-noise', trained.noise, { min: 0, max: 10 })!,
    dataNoise: 0,
  });
  const draws = numberOption(v, 'eot', 1, { min: 1, max: 1000, integer: true })!;
  const seed = numberOption(v, 'seed', 0, { min: 0, integer: true }) ?? 0;
  const classifier = refinedClassifier(clf, { steps, stepSize: units.stepSize, noise: units.noise, draws, seed });
  return {
    classifier,
    record: {
      steps,
      eotDraws: draws,
      stepSize: units.stepSize,
      noise: units.noise,
      units: 'input [0, 1]',
      note: 'the attack differentiates through the SGLD steps and averages the logits of the draws (EOT)',
    },
  };
}

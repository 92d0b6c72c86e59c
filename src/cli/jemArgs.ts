/**
 * `train`'s JEM flags (Grathwohl et al., ICLR 2020), each a field of core/options/jemOptions.ts JEM_FIELDS (limits,
 * defaults, --help); the core checks again.
 *
 *   --jem on [--sgld-steps 20] [--sgld-step 1] [--sgld-noise 0.01] [--buffer 10000] [--reinit 0.05]
 *   [--data-noise 0.03] [--energy-reg L] [--px-weight 1] [--class-conditional on|off] [--jem-warmup E]
 *
 * `--jem-warmup E` trains E epochs of cross-entropy alone before the log p(x) term starts.
 *
 * The step, noise and data noise are in the paper's units (images in [−1, 1]); fromPaperUnits converts them
 * for the models' [0, 1] inputs (step ÷ 4, noise and data noise ÷ 2).
 */
import { refinedClassifier } from '../core/eval/jemRefinement';
import type { Classifier } from '../core/models/classifier';
import { fromPaperUnits } from '../core/train/jem/sgld';
import type { TrainReport } from '../core/train/trainerConfig';
import type { DefenseSpec } from '../core/train/trainingRun';
import { InvalidOptionError } from '../core/util/errors';
import { JEM_FIELDS } from '../core/options/jemOptions';
import type { OptionField } from '../core/options/field';
import { numberOption, type OptionSpec, type Values } from './args';
import { fieldOption, numberFieldOption, schemaSpec } from './schemaArgs';
import type { ParsedDefense } from './trainingDefenseArgs';

export const JEM_OPTION_SPEC: OptionSpec = schemaSpec(Object.values(JEM_FIELDS));

/** The JEM objective the flags ask for; undefined without `--jem on` (other JEM flags then are an error). */
export function parseJemTraining(v: Values): ParsedDefense | undefined {
  if (!(fieldOption(v, JEM_FIELDS.jem) as boolean)) {
    const stray = Object.keys(JEM_OPTION_SPEC).find((k) => k !== 'jem' && v[k] !== undefined);
    if (stray) throw new InvalidOptionError(`--${stray} needs --jem on.`);
    return undefined;
  }
  for (const other of ['adv', 'certified', 'noise-sigma']) {
    if (v[other] !== undefined) throw new InvalidOptionError(`--jem and --${other} are different training objectives.`);
  }
  const num = (field: OptionField) => numberFieldOption(v, field)!;
  const units = fromPaperUnits({
    stepSize: num(JEM_FIELDS.sgldStep),
    noise: num(JEM_FIELDS.sgldNoise),
    dataNoise: num(JEM_FIELDS.dataNoise),
  });
  const defense: DefenseSpec = {
    kind: 'jem',
    sgld: { steps: num(JEM_FIELDS.sgldSteps), stepSize: units.stepSize, noise: units.noise, range: [0, 1] },
    bufferSize: num(JEM_FIELDS.buffer),
    reinit: num(JEM_FIELDS.reinit),
    dataNoise: units.dataNoise,
    energyRegularisation: num(JEM_FIELDS.energyReg),
    generativeWeight: num(JEM_FIELDS.pxWeight),
    classConditional: fieldOption(v, JEM_FIELDS.classConditional) as boolean,
    classifierWarmupEpochs: num(JEM_FIELDS.warmupEpochs),
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
  return {
    step: flag('sgld-step') ?? JEM_FIELDS.sgldStep.default,
    noise: flag('sgld-noise') ?? JEM_FIELDS.sgldNoise.default,
  };
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

/**
 * `train`'s JEM flags (Grathwohl et al., ICLR 2020): parsed and checked here; the core checks again.
 *
 *   --jem on [--sgld-steps 20] [--sgld-step 1] [--sgld-noise 0.01] [--buffer 10000] [--reinit 0.05]
 *   [--data-noise 0.03] [--energy-reg L] [--class-conditional on|off]
 *
 * The step, noise and data noise are in the paper's units (images in [−1, 1]); fromPaperUnits converts them
 * for the models' [0, 1] inputs (step ÷ 4, noise and data noise ÷ 2).
 */
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
  };
  return { defense };
}

/** The progress line's JEM part: mean energies of data and samples since the last report. */
export function describeJem(r: TrainReport): string {
  const s = r.schedule;
  if (s?.energyData === undefined || s.energySample === undefined) return '';
  return ` E(data) ${s.energyData.toFixed(3)} E(samples) ${s.energySample.toFixed(3)}`;
}

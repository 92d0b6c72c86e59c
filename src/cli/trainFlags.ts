/**
 * The flags of `train`, grouped as the command reads them, each a field of the training schema
 * (core/options/trainingOptions.ts, defenseOptions.ts). Kept free of tfjs so that `train --help` prints without
 * loading it.
 */
import { ADVERSARIAL_FIELDS, CERTIFIED_FIELDS, PROBE_FIELDS } from '../core/options/defenseOptions';
import { JEM_FIELDS } from '../core/options/jemOptions';
import { MODEL_FIELDS, OPTIMIZER_FIELDS, TRAINING_RUN_FIELDS } from '../core/options/trainingOptions';

/** The model, optimizer and run flags. */
export const TRAIN_FIELDS = [
  ...Object.values(MODEL_FIELDS),
  ...Object.values(OPTIMIZER_FIELDS),
  TRAINING_RUN_FIELDS.epochs,
  TRAINING_RUN_FIELDS.seed,
  TRAINING_RUN_FIELDS.trainExamples,
  TRAINING_RUN_FIELDS.testExamples,
];

/** --adv and its settings, with the robust probe that watches it. */
export const ADVERSARIAL_FLAG_FIELDS = [
  ...Object.values(ADVERSARIAL_FIELDS),
  PROBE_FIELDS.robustImages,
  PROBE_FIELDS.robustSteps,
  PROBE_FIELDS.stopOnCollapse,
];

/** --certified and its settings with the certified probe, and --noise-sigma. */
export const CERTIFIED_FLAG_FIELDS = [...Object.values(CERTIFIED_FIELDS), PROBE_FIELDS.certifiedImages];

/** Every flag `train --help` lists, in this order. */
export const TRAIN_HELP_FIELDS = [
  ...TRAIN_FIELDS,
  ...ADVERSARIAL_FLAG_FIELDS,
  ...CERTIFIED_FLAG_FIELDS,
  ...Object.values(JEM_FIELDS),
];

/**
 * `stability --model DIR --data mnist [--limit N] [--eps 0.5,1,2] [--samples S] [--form F] [--seed S]`
 * `stability --widths 16,64,256 --depths 1,2 --inits he,lecun,ntk --data mnist [same options]`
 *
 * Perturbation stability against the L2 radius ε (Zhu et al. 2022; ALGORITHMS.md §5), of a saved
 * model or — without --model — of freshly initialised MLPs over width × depth × initialisation.
 * Each result carries the Monte-Carlo estimate of the chosen form, its standard error, and the
 * closed form ε²‖J‖_F²/(d+2) of the first-order squared form. The computation is
 * src/core/eval/stabilityAnalysis.ts, shared with the app's stability panel.
 */
import * as tf from '@tensorflow/tfjs';
import { parseBackendName } from '../../core/backend/backends';
import { batchTensors, range, takeFirst, type Split } from '../../core/data/dataset';
import { mlpStabilityAgainstEps, stabilityAgainstEps } from '../../core/eval/stabilityAnalysis';
import { INITIALISATIONS, type Initialisation } from '../../core/models/layers/initialisations';
import {
  DEFAULT_STABILITY_SAMPLES,
  STABILITY_FORM_LABELS,
  STABILITY_FORMS,
  type StabilityForm,
} from '../../core/metrics/stabilityForms';
import { InvalidOptionError, ModelFormatError } from '../../core/util/errors';
import { numberOption, parseCommandArgs, requiredString } from '../args';
import { numberListOption, stringListOption, switchOption } from '../listArgs';
import { initNodeBackend, printJson } from '../nodeEnv';
import { loadDataset, readModelDir } from '../nodeFiles';

const DEFAULT_LIMIT = 100;
/** The whole evaluation set is differentiated at once (k backward passes): keep it modest. */
const MAX_LIMIT = 2000;
const DEFAULT_EPS = [0.5, 1, 2];

export async function stabilityCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs(argv, {
    model: { type: 'string' },
    data: { type: 'string' },
    split: { type: 'string' },
    limit: { type: 'string' },
    eps: { type: 'string' },
    samples: { type: 'string' },
    form: { type: 'string' },
    seed: { type: 'string' },
    widths: { type: 'string' },
    depths: { type: 'string' },
    inits: { type: 'string' },
    bias: { type: 'string' },
    backend: { type: 'string' },
  });
  const dataName = requiredString(v, 'data');
  const split = (typeof v.split === 'string' ? v.split : 'test') as Split;
  if (split !== 'test' && split !== 'train')
    throw new InvalidOptionError(`--split must be test or train, got "${split}".`);
  const limit = numberOption(v, 'limit', DEFAULT_LIMIT, { min: 1, max: MAX_LIMIT, integer: true })!;
  const epsList = numberListOption(v, 'eps', DEFAULT_EPS, { min: 0, max: 100 })!;
  const samples = numberOption(v, 'samples', DEFAULT_STABILITY_SAMPLES, { min: 1, max: 100_000, integer: true })!;
  const form = (typeof v.form === 'string' ? v.form : 'first-order-squared') as StabilityForm;
  if (!(STABILITY_FORMS as readonly string[]).includes(form))
    throw new InvalidOptionError(`--form must be one of ${STABILITY_FORMS.join(', ')}; got "${form}".`);
  const seed = numberOption(v, 'seed', 0, { min: 0, integer: true })!;
  const sweep = typeof v.model !== 'string';
  if (sweep && v.widths === undefined)
    throw new InvalidOptionError('Give --model DIR, or --widths (with --depths and --inits) for the MLP sweep.');
  if (!sweep && (v.widths !== undefined || v.depths !== undefined || v.inits !== undefined)) {
    throw new InvalidOptionError('--widths, --depths and --inits describe the MLP sweep: leave out --model for it.');
  }
  const widths = numberListOption(v, 'widths', [], { min: 1, max: 16384, integer: true })!;
  const depths = numberListOption(v, 'depths', [2], { min: 1, max: 64, integer: true })!;
  const inits = stringListOption(v, 'inits', INITIALISATIONS, [...INITIALISATIONS]) as Initialisation[];
  const useBias = switchOption(v, 'bias', false);

  const backend = await initNodeBackend(parseBackendName(typeof v.backend === 'string' ? v.backend : 'wasm'));
  const started = performance.now();
  const clf = sweep ? undefined : await readModelDir(v.model as string);
  let ds = await loadDataset(dataName, split);
  if (clf && clf.meta.dataset !== ds.name)
    throw new ModelFormatError(`The model in ${String(v.model)} was made for ${clf.meta.dataset}, not ${ds.name}.`);
  ds = takeFirst(ds, limit);
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
      printJson({ model: v.model, ...common, results: curve.points, seconds: (performance.now() - started) / 1000 });
      return;
    }
    const points = await mlpStabilityAgainstEps(
      { widths, depths, inits, useBias, seed, classes: ds.classNames.length },
      x,
      { eps: epsList, samples, form, seed },
    );
    printJson({
      mode: 'mlp-sweep',
      trained: false,
      useBias,
      ...common,
      points,
      seconds: (performance.now() - started) / 1000,
    });
  } finally {
    tf.dispose(x);
  }
}

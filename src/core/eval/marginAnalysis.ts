/**
 * Everything the margins view and the `margins` command show about one model, in one place
 * (Lyu & Li 2020; Moosavi-Dezfooli et al. 2016; Madry et al. 2018; Tsuzuku et al. 2018):
 *
 *   - logit margins q_n = z_y − max_{j≠y} z_j of clean images (summary + histogram), and of the
 *     same images after PGD-20 L∞ at ε (how far an attack pushes the distribution below 0);
 *   - Lyu & Li's normalised margin q_min/ρ^L;
 *   - the layer operator norms by power iteration, their product (a Lipschitz bound) and the L2
 *     radius it certifies, q/(√2·Π‖W‖₂), or why no bound is available (GroupNorm, ODE blocks…);
 *   - DeepFool's L2 distances and, optionally, the L∞ distance found by PGD with bisection on ε.
 *
 * For a correctly classified image the safe L2 radius lies between the certified bound and the
 * distance DeepFool achieved. The result is plain data (no tensors) so it crosses a worker
 * boundary and prints as JSON; every tensor made here is disposed before returning.
 */
import * as tf from '@tensorflow/tfjs';
import { DEEPFOOL_MAX_ITERATIONS, DEEPFOOL_OVERSHOOT } from '../attacks/deepfool';
import { MAX_STEPS } from '../options/attackOptions';
import { disposeAttackRun, runAttack } from '../attacks/runAttack';
import type { ImageDataset } from '../data/dataset';
import { histogram, histogramOfRange, type Histogram } from '../metrics/histogram';
import { collectLogits } from '../metrics/logitTable';
import {
  countWeightLayers,
  isHomogeneousLike,
  l2RadiusLowerBound,
  logitMargins,
  logitMarginsOfTable,
  normalizedMargin,
  predictionsOfTable,
} from '../metrics/margins';
import { layerOperatorNorms, lipschitzUpperBound, type LayerOperatorNorm } from '../metrics/operatorNorm';
import { parameterNorm } from '../metrics/parameterNorms';
import { summarize, type Summary } from '../metrics/summaryStats';
import type { Classifier } from '../models/classifier';
import { InvalidOptionError } from '../util/errors';
import { phases, throwIfCancelled, type LongTask } from '../util/progress';
import { MARGINS_FIELDS } from '../options/analysisOptions';
import { DEFAULT_BISECTION_EPS_MAX, DEFAULT_BISECTION_PGD_STEPS } from './minimalDistance';
import {
  deepFoolDistances,
  type DeepFoolDistanceSummary,
  forBatches,
  type PgdDistanceSummary,
  pgdDistances,
} from './marginDistances';

export const DEFAULT_MARGIN_BINS = MARGINS_FIELDS.histogramBins.default;
/** DeepFool costs one backward pass per class and iteration: fewer images than the margins. */
export const DEFAULT_DEEPFOOL_LIMIT = MARGINS_FIELDS.deepFoolImages.cliDefault.value;
/** The adversarial margin histogram and the PGD distances: PGD-20 L∞ (its ε is the caller's). */
export const MARGIN_PGD_STEPS = 20;
const DEFAULT_BATCH = 256;

export const MARGIN_DEFINITION = 'z_y - max_{j != y} z_j (negative = misclassified)';
export const L2_LOWER_BOUND_DEFINITION = 'q / (sqrt(2) * product), correctly classified images';

export interface MarginAnalysisOptions {
  bins?: number;
  /** DeepFool (and PGD bisection) on the first M images. */
  deepFoolLimit?: number;
  overshoot?: number;
  maxIterations?: number;
  /** Also the L∞ distance by PGD bisection on ε, on the DeepFool images. */
  pgdDistance?: boolean;
  epsMax?: number;
  /** PGD steps per bisection probe. */
  steps?: number;
  /** ε of the adversarial margin histogram (PGD L∞); null or 0 leaves it out. */
  adversarialEps?: number | null;
  adversarialSteps?: number;
  seed?: number;
  batchSize?: number;
}

/** One image of the scatter: its margin and the distances measured for it. */
export interface MarginExample {
  index: number;
  label: number;
  margin: number;
  correct: boolean;
  /**
   * ‖x_adv − x‖₂ DeepFool achieved (with overshoot, in [0,1]); null outside the DeepFool images, misclassified, or not
   * fooled.
   */
  deepFoolDistance: number | null;
  /** q/(√2·Π‖W‖₂) for a correctly classified image; null when misclassified or no bound exists. */
  certifiedL2: number | null;
  /** Smallest ε at which PGD broke the image; null when not measured, misclassified, or unbroken at ε_max. */
  pgdLinfDistance: number | null;
  /** The margin after PGD at `adversarial.eps`; null when not measured. */
  adversarialMargin: number | null;
}

export interface MarginAnalysisResult {
  n: number;
  accuracy: number;
  margins: { definition: string; summary: Summary; histogram: Histogram };
  normalizedMargin: { qMin: number; rho: number; layers: number; value: number; homogeneous: boolean };
  /** null when a layer has no operator norm the bound can use; `lipschitzMessage` says which. */
  lipschitz: {
    layers: LayerOperatorNorm[];
    product: number;
    l2LowerBound: { definition: string } & Summary;
  } | null;
  lipschitzMessage?: string;
  deepfool: DeepFoolDistanceSummary;
  pgdDistance?: PgdDistanceSummary;
  adversarial?: {
    attack: 'pgd';
    norm: 'linf';
    eps: number;
    steps: number;
    alpha: number;
    /** Share of images still classified correctly after the attack. */
    robustAccuracy: number;
    summary: Summary;
    /** Adversarial margins on edges spanning both distributions… */
    histogram: Histogram;
    /** …and the clean margins on the same edges, to draw the two side by side. */
    cleanHistogram: Histogram;
  };
  examples: MarginExample[];
  seconds: number;
}

function resolve(o: MarginAnalysisOptions, n: number) {
  const r = {
    bins: o.bins ?? DEFAULT_MARGIN_BINS,
    deepFoolLimit: Math.min(n, o.deepFoolLimit ?? DEFAULT_DEEPFOOL_LIMIT),
    overshoot: o.overshoot ?? DEEPFOOL_OVERSHOOT,
    maxIterations: o.maxIterations ?? DEEPFOOL_MAX_ITERATIONS,
    pgdDistance: o.pgdDistance ?? false,
    epsMax: o.epsMax ?? DEFAULT_BISECTION_EPS_MAX,
    steps: o.steps ?? DEFAULT_BISECTION_PGD_STEPS,
    adversarialEps: o.adversarialEps ?? null,
    adversarialSteps: o.adversarialSteps ?? MARGIN_PGD_STEPS,
    seed: o.seed ?? 0,
    batchSize: o.batchSize ?? DEFAULT_BATCH,
  };
  if (!(Number.isInteger(r.deepFoolLimit) && r.deepFoolLimit >= 0))
    throw new InvalidOptionError(`The DeepFool image count must be a whole number ≥ 0, got ${o.deepFoolLimit}.`);
  if (!(Number.isInteger(r.batchSize) && r.batchSize >= 1 && r.batchSize <= 4096))
    throw new InvalidOptionError(`The batch size must be 1 to 4096, got ${r.batchSize}.`);
  if (
    r.adversarialEps !== null &&
    !(Number.isFinite(r.adversarialEps) && r.adversarialEps >= 0 && r.adversarialEps <= 1)
  ) {
    throw new InvalidOptionError(`The adversarial margin ε must be between 0 and 1, got ${r.adversarialEps}.`);
  }
  if (!(Number.isInteger(r.adversarialSteps) && r.adversarialSteps >= 1 && r.adversarialSteps <= MAX_STEPS)) {
    throw new InvalidOptionError(`PGD steps must be 1 to ${MAX_STEPS}, got ${r.adversarialSteps}.`);
  }
  return r;
}

/** The operator norms and their product, or the reason the bound does not apply to this model. */
async function lipschitzOf(
  model: tf.LayersModel,
  seed: number,
): Promise<{ norms: LayerOperatorNorm[]; product: number } | { message: string }> {
  try {
    const norms = await layerOperatorNorms(model, { seed });
    return { norms, product: lipschitzUpperBound(norms) };
  } catch (err) {
    if (err instanceof InvalidOptionError) return { message: err.message };
    throw err;
  }
}

/** Histograms of adversarial and clean margins over one range covering both. */
function sharedHistograms(
  adversarial: number[],
  clean: ArrayLike<number>,
  bins: number,
): { histogram: Histogram; cleanHistogram: Histogram } {
  const both = histogramOfRange([...adversarial, ...Array.from(clean)], bins);
  const lo = both.edges[0];
  const hi = both.edges[both.edges.length - 1];
  return { histogram: histogram(adversarial, lo, hi, bins), cleanHistogram: histogram(clean, lo, hi, bins) };
}

type Resolved = ReturnType<typeof resolve>;

/** Phase 1: the clean logits, their margins, which images are correct, and ρ and L of the normalised margin. */
async function cleanMargins(clf: Classifier, ds: ImageDataset, o: Resolved, task: LongTask) {
  const table = await collectLogits(clf.logits, ds, clf.meta.classNames.length, { batchSize: o.batchSize, ...task });
  const margins = logitMarginsOfTable(table);
  const predictions = predictionsOfTable(table);
  const correct = Array.from(predictions, (p, i) => p === table.labels[i]);
  const qMin = margins.reduce((a, b) => Math.min(a, b), Infinity);
  const rho = await parameterNorm(clf.model);
  const layers = countWeightLayers(clf.model);
  return { table, margins, correct, qMin, rho, layers };
}

/** Phase 2: the layer operator norms and the L2 radius they certify for each correctly classified image. */
async function certifiedRadii(
  clf: Classifier,
  clean: { margins: Float64Array; correct: boolean[] },
  o: Resolved,
  task: LongTask,
) {
  task.onProgress?.({ fraction: 0, message: 'power iteration' });
  const lip = await lipschitzOf(clf.model, o.seed);
  const certified = Array.from(clean.margins, (q, i) =>
    'product' in lip && clean.correct[i] ? l2RadiusLowerBound(q, lip.product) : null,
  );
  return { lip, certified };
}

/** Phase 3: the margins after PGD L∞ at ε, on every image, in batches. */
async function adversarialMarginsOf(clf: Classifier, ds: ImageDataset, eps: number, o: Resolved, task: LongTask) {
  const margins: (number | null)[] = new Array<number | null>(ds.count).fill(null);
  let alpha = 0;
  await forBatches(ds, ds.count, o.batchSize, task, async (x, y, start, sub) => {
    const run = await runAttack(
      clf.logits,
      x,
      y,
      clf.meta.classNames.length,
      {
        method: 'pgd',
        norm: 'linf',
        eps,
        steps: o.adversarialSteps,
        restarts: 1,
        target: { kind: 'untargeted' },
        seed: o.seed,
      },
      sub,
    );
    try {
      alpha = run.options.alpha;
      const q = tf.tidy(() => logitMargins(clf.logits(run.adversarial), y));
      (await q.data()).forEach((v, i) => {
        margins[start + i] = v;
      });
      q.dispose();
    } finally {
      disposeAttackRun(run);
    }
  });
  return { margins, alpha };
}

export async function marginAnalysis(
  clf: Classifier,
  ds: ImageDataset,
  options: MarginAnalysisOptions = {},
  task?: LongTask,
): Promise<MarginAnalysisResult> {
  const started = performance.now();
  const o = resolve(options, ds.count);
  const m = o.deepFoolLimit;
  const adversarialEps = o.adversarialEps !== null && o.adversarialEps > 0 ? o.adversarialEps : null;
  // Rough relative costs: a forward pass; power iteration; PGD-20 on all; DeepFool (~5 iterations × classes); bisection
  // (~8 rounds × PGD).
  const phase = phases(task, {
    logits: ds.count,
    'operator norms': 200,
    'adversarial margins': adversarialEps !== null ? ds.count * o.adversarialSteps : 0,
    DeepFool: m * 50,
    'PGD bisection': o.pgdDistance ? m * o.steps * 8 : 0,
  });

  const clean = await cleanMargins(clf, ds, o, phase('logits'));
  const { table, margins, correct } = clean;
  throwIfCancelled(task);
  const { lip, certified } = await certifiedRadii(clf, clean, o, phase('operator norms'));
  const adversarial =
    adversarialEps !== null
      ? await adversarialMarginsOf(
          clf,
          ds,
          adversarialEps,
          o,
          phase('adversarial margins', `PGD-${o.adversarialSteps} at ε = ${adversarialEps}`),
        )
      : null;
  const deepfool = await deepFoolDistances(clf, ds, correct, o, phase('DeepFool'));
  const pgd = o.pgdDistance ? await pgdDistances(clf, ds, correct, o, phase('PGD bisection')) : null;

  const adv = adversarial ? adversarial.margins.filter((v): v is number => v !== null) : [];
  return {
    n: table.n,
    accuracy: correct.filter(Boolean).length / Math.max(1, table.n),
    margins: {
      definition: MARGIN_DEFINITION,
      summary: summarize(margins),
      histogram: histogramOfRange(margins, o.bins),
    },
    normalizedMargin: {
      qMin: clean.qMin,
      rho: clean.rho,
      layers: clean.layers,
      value: normalizedMargin(clean.qMin, clean.rho, clean.layers),
      homogeneous: isHomogeneousLike(clf.model),
    },
    lipschitz:
      'product' in lip
        ? {
            layers: lip.norms,
            product: lip.product,
            l2LowerBound: {
              definition: L2_LOWER_BOUND_DEFINITION,
              ...summarize(certified.filter((v): v is number => v !== null)),
            },
          }
        : null,
    ...('message' in lip ? { lipschitzMessage: lip.message } : {}),
    deepfool: deepfool.summary,
    ...(pgd ? { pgdDistance: pgd.summary } : {}),
    ...(adversarial && adversarialEps !== null
      ? {
          adversarial: {
            attack: 'pgd' as const,
            norm: 'linf' as const,
            eps: adversarialEps,
            steps: o.adversarialSteps,
            alpha: adversarial.alpha,
            robustAccuracy: adv.filter((q) => q > 0).length / Math.max(1, adv.length),
            summary: summarize(adv),
            ...sharedHistograms(adv, margins, o.bins),
          },
        }
      : {}),
    examples: Array.from(margins, (q, i) => ({
      index: i,
      label: table.labels[i],
      margin: q,
      correct: correct[i],
      deepFoolDistance: deepfool.perImage[i],
      certifiedL2: certified[i],
      pgdLinfDistance: pgd ? pgd.perImage[i] : null,
      adversarialMargin: adversarial ? adversarial.margins[i] : null,
    })),
    seconds: (performance.now() - started) / 1000,
  };
}

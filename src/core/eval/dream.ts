/**
 * A dream: class-conditional SGLD (Welling & Teh 2011) on −f(x)[y], from noise or a picture, one chain watched step
 * by step — what the model thinks a y looks like (Grathwohl et al., ICLR 2020, §5.1 draw from p(x | y) this way).
 * Any classifier can be walked on; a JEM's energy is low on the data and high elsewhere, so its walks end on
 * digits, while a standard classifier's mostly find noise that raises one logit (an adversarial pattern).
 *
 * The step and noise are those the model was trained with when its recorded command says (`--sgld-step`,
 * `--sgld-noise`, in the paper's [−1, 1] units), else JEM's defaults (α = 1, σ = 0.01 in those units).
 */
import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../models/classifier';
import { energyOf } from '../metrics/energyGradient';
import type { ModelMeta } from '../models/modelMeta';
import { DREAM_FIELDS } from '../options/dreamOptions';
import { checkValue } from '../options/field';
import { fromPaperUnits, sgldStep } from '../train/jem/sgld';
import { InvalidOptionError } from '../util/errors';
import { type LongTask, throwIfCancelled, yieldToEventLoop } from '../util/progress';

/** JEM's SGLD defaults in the paper's [−1, 1] units (Grathwohl et al. §5; their code's --sgld_lr, --sgld_std). */
const JEM_PAPER_SGLD = { step: 1, noise: 0.01 };
/** Frames kept of a chain, the start and the end included. */
export const DREAM_FRAMES = 8;

export interface DreamSpec {
  classIndex: number;
  steps: number;
  /** h × w × c values in [0, 1]: uniform noise or the picture. */
  start: Float32Array;
  seed: number;
}

export interface DreamResult {
  /** The chain at evenly spaced steps, the start (step 0) and the end included. */
  frames: { step: number; pixels: Float32Array }[];
  image: Float32Array;
  /** The dreaming model's softmax on the end, and −f(x)[y] at the start and the end. */
  probabilities: number[];
  classEnergyStart: number;
  classEnergyEnd: number;
  /** E(x) = −logsumexp f(x) at the end. */
  energyEnd: number;
  /** SGLD in input units, and where it came from. */
  stepSize: number;
  noise: number;
  settingsFrom: 'the model’s training' | 'JEM’s defaults';
}

/** The SGLD step and noise (input units) a model was trained with, else JEM's defaults. */
export function modelSgld(meta: ModelMeta): Pick<DreamResult, 'stepSize' | 'noise' | 'settingsFrom'> {
  const command = meta.training?.command;
  const flag = (name: string) => {
    const m = command?.match(new RegExp(`--${name} (\\S+)`));
    const v = m ? Number(m[1]) : Number.NaN;
    return Number.isFinite(v) ? v : undefined;
  };
  const step = flag('sgld-step');
  const noise = flag('sgld-noise');
  const trained = /--jem on/.test(command ?? '');
  const units = fromPaperUnits({
    stepSize: step ?? JEM_PAPER_SGLD.step,
    noise: noise ?? JEM_PAPER_SGLD.noise,
    dataNoise: 0,
  });
  return {
    stepSize: units.stepSize,
    noise: units.noise,
    settingsFrom: trained ? 'the model’s training' : 'JEM’s defaults',
  };
}

/** The steps at which frames are kept: 0, the end, and evenly between. */
export function frameSteps(steps: number, frames = DREAM_FRAMES): number[] {
  const n = Math.min(frames, steps + 1);
  return [...new Set(Array.from({ length: n }, (_, i) => Math.round((i * steps) / (n - 1))))];
}

/** Runs the chain, one step per event-loop turn so a Cancel gets through; progress after each step. */
export async function dream(clf: Classifier, spec: DreamSpec, task?: LongTask): Promise<DreamResult> {
  const [h, w, c] = clf.meta.inputShape;
  const ctx = { classes: String(clf.meta.classNames.length) };
  checkValue(DREAM_FIELDS.classIndex, spec.classIndex, ctx, (m) => new InvalidOptionError(m));
  checkValue(DREAM_FIELDS.steps, spec.steps, ctx, (m) => new InvalidOptionError(m));
  if (spec.start.length !== h * w * c)
    throw new InvalidOptionError(`The start has ${spec.start.length} values but the model takes ${h}×${w}×${c}.`);
  const sgld = modelSgld(clf.meta);
  const keep = new Set(frameSteps(spec.steps));
  const classes = tf.tensor1d([spec.classIndex], 'int32');
  let x = tf.tensor4d(spec.start, [1, h, w, c]);
  const frames: DreamResult['frames'] = [{ step: 0, pixels: Float32Array.from(spec.start) }];
  const classEnergy = (t: tf.Tensor4D) => tf.tidy(() => energyOf(clf.logits(t), classes).dataSync()[0]);
  try {
    const classEnergyStart = classEnergy(x);
    for (let k = 1; k <= spec.steps; k++) {
      throwIfCancelled(task);
      const seed = ((spec.seed >>> 0) * 7919 + k * 104_729 + 1) % 2_147_483_647;
      const next = sgldStep(clf.logits, x, { ...sgld, range: [0, 1] }, seed, classes);
      x.dispose();
      x = next;
      if (keep.has(k)) frames.push({ step: k, pixels: (await x.data()) as Float32Array });
      task?.onProgress?.({ fraction: k / spec.steps, message: `step ${k} of ${spec.steps}` });
      await yieldToEventLoop();
    }
    const [probabilities, energyEnd] = tf.tidy(() => {
      const z = clf.logits(x);
      return [Array.from(tf.softmax(z).dataSync()), energyOf(z).dataSync()[0]];
    });
    return {
      frames,
      image: (await x.data()) as Float32Array,
      probabilities,
      classEnergyStart,
      classEnergyEnd: classEnergy(x),
      energyEnd,
      ...sgld,
    };
  } finally {
    tf.dispose([x, classes]);
  }
}

/**
 * A classifier as the rest of the core sees it: a tfjs model that maps images in [0,1]
 * ([n,h,w,c]) to logits ([n,classes]), with its metadata. Attacks and metrics take only the
 * `logits` function, so any differentiable model fits.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelFormatError } from '../util/errors';
import type { ModelMeta } from './modelMeta';

export type LogitsFn = (x: tf.Tensor4D) => tf.Tensor2D;

export interface Classifier {
  model: tf.LayersModel;
  meta: ModelMeta;
  logits: LogitsFn;
}

/** Wraps a layers model, checking that its input and output shapes agree with the metadata. */
export function asClassifier(model: tf.LayersModel, meta: ModelMeta): Classifier {
  const inShape = model.inputs[0]?.shape;
  const outShape = model.outputs[0]?.shape;
  const [h, w, c] = meta.inputShape;
  if (inShape?.length !== 4 || inShape[1] !== h || inShape[2] !== w || inShape[3] !== c) {
    throw new ModelFormatError(`The model takes input ${fmt(inShape)}, but ${meta.dataset} images are ${h}×${w}×${c}.`);
  }
  if (outShape?.length !== 2 || outShape[1] !== meta.classNames.length) {
    throw new ModelFormatError(
      `The model outputs ${fmt(outShape)}, but ${meta.dataset} has ${meta.classNames.length} classes.`,
    );
  }
  // apply() with training: false keeps any dropout/normalisation in inference mode: attacks and
  // metrics differentiate the model as deployed.
  const logits: LogitsFn = (x) => model.apply(x, { training: false }) as tf.Tensor2D;
  return { model, meta, logits };
}

function fmt(shape: readonly (number | null)[] | undefined): string {
  return shape ? `[${shape.map((d) => (d === null ? 'N' : d)).join(', ')}]` : 'an unknown shape';
}

/**
 * Softmax probabilities for a batch, as plain arrays (one per example). Read back asynchronously:
 * WebGPU's synchronous read goes through an OffscreenCanvas and can lose the device (it does on
 * SwiftShader).
 */
export async function predictProbabilities(clf: Classifier, x: tf.Tensor4D): Promise<number[][]> {
  const probs = tf.tidy(() => tf.softmax(clf.logits(x)));
  try {
    return (await probs.array()) as number[][];
  } finally {
    probs.dispose();
  }
}

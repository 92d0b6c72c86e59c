/**
 * The Dream panel's worker side: the core's dream (core/eval/dream.ts) with the attack lab's current model, and the
 * reading of a second, shipped model (the standard CNN) on where the chain ended.
 */
import * as tf from '@tensorflow/tfjs';
import { dream } from '../core/eval/dream';
import { uniformStarts } from '../core/eval/jemSampling';
import { predictProbabilities } from '../core/models/classifier';
import { classifierFromFiles } from '../core/models/modelIO';
import type { ModelMeta } from '../core/models/modelMeta';
import { InvalidOptionError } from '../core/util/errors';
import type { DreamApi, DreamOutcome, DreamRequest } from './api';
import { fetchModelFiles } from './models';
import type { WorkerState } from './workerState';

/** A seed salt so the noise start differs from the SGLD noise drawn from the same seed. */
const START_SALT = 0x5bd1e995;

export function dreamApi(state: WorkerState): DreamApi {
  return {
    async dream(request, onProgress) {
      // In the attack area: a new picture, or the panel's Cancel, stops it.
      const task = state.startTask(onProgress, 'attack');
      const clf = state.requireModel();
      const [h, w, c] = clf.meta.inputShape;
      let start: Float32Array;
      if (request.start === 'picture') {
        if (!request.picture) throw new InvalidOptionError('There is no picture on screen to dream from.');
        start = request.picture;
      } else {
        start = uniformStarts(1, h * w * c, (request.seed ^ START_SALT) >>> 0);
      }
      const started = performance.now();
      const result = await dream(
        clf,
        { classIndex: request.classIndex, steps: request.steps, start, seed: request.seed },
        task,
      );
      const ms = performance.now() - started;
      const judge = request.judge ? await judgeReading(request.judge, clf.meta, result.image) : undefined;
      return { ...result, ms, ...(judge ? { judge } : {}) };
    },
  };
}

/** The judge's softmax on the dream, when it reads pictures of the dreaming model's shape and data set. */
async function judgeReading(
  judge: NonNullable<DreamRequest['judge']>,
  dreamer: ModelMeta,
  image: Float32Array,
): Promise<DreamOutcome['judge']> {
  const clf = await classifierFromFiles(await fetchModelFiles(judge.url), judge.name);
  try {
    const shape = clf.meta.inputShape;
    if (clf.meta.dataset !== dreamer.dataset || shape.join() !== dreamer.inputShape.join()) return undefined;
    const x = tf.tensor4d(image, [1, ...shape] as [number, number, number, number]);
    try {
      return { name: judge.name, probabilities: (await predictProbabilities(clf, x))[0] };
    } finally {
      x.dispose();
    }
  } finally {
    clf.model.dispose();
  }
}

/** The Dream panel's worker side: the core's dream (core/eval/dream.ts) with the attack lab's current model. */
import { dream } from '../core/eval/dream';
import { uniformStarts } from '../core/eval/jemSampling';
import { InvalidOptionError } from '../core/util/errors';
import type { DreamApi } from './api';
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
      return { ...result, ms: performance.now() - started };
    },
  };
}

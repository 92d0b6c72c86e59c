/**
 * The attack lab's methods: one attack on one image with the current model, and the same attack
 * over a grid of ε (the data behind the ε scrubber). The attack itself is the core's.
 */
import * as tf from '@tensorflow/tfjs';
import { disposeAttackRun, runAttack } from '../core/attacks/runAttack';
import { predictProbabilities } from '../core/models/classifier';
import { partOf, type LongTask, type Progress } from '../core/util/progress';
import type { AttackApi, AttackOutcome, AttackRequest } from './api';
import { asPrediction } from './models';
import type { WorkerState } from './workerState';

export function attackApi(state: WorkerState): AttackApi {
  return {
    async attack(request, onProgress) {
      return attackOnce(state, request, state.startTask(onProgress, 'attack'));
    },

    async attackSweep(request, epsValues, onProgress) {
      const task = state.startTask(onProgress, 'attack');
      const outcomes: AttackOutcome[] = [];
      const n = epsValues.length;
      for (let k = 0; k < n; k++) {
        // The sweep says which of its attacks runs, not each attack's restarts and steps: those read as the attack
        // itself running again, at another ε.
        const part = partOf(task, k, n);
        const progress = {
          ...part,
          onProgress: (p: Progress) => part.onProgress?.({ ...p, message: `${k + 1} of ${n}` }),
        };
        outcomes.push(
          await attackOnce(state, { ...request, options: { ...request.options, eps: epsValues[k] } }, progress),
        );
      }
      return outcomes;
    },

    cancelAttacks() {
      state.cancel('attack');
    },
  };
}

/** Attacks the request's image with the current model and reads everything the lab shows back to the host. */
async function attackOnce(state: WorkerState, request: AttackRequest, task: LongTask): Promise<AttackOutcome> {
  const clf = state.requireModel();
  const started = performance.now();
  const x = state.imageTensor(request.image);
  const y = tf.tensor1d([request.label], 'int32');
  try {
    const original = asPrediction((await predictProbabilities(clf, x))[0]);
    const run = await runAttack(clf.logits, x, y, clf.meta.classNames.length, request.options, task);
    try {
      // Asynchronous reads throughout: see predictProbabilities.
      const adversarialImage = (await run.adversarial.data()) as Float32Array;
      const adversarial = asPrediction((await predictProbabilities(clf, run.adversarial))[0]);
      const success = (await run.success.data())[0] === 1;
      const target = run.targets ? (await run.targets.data())[0] : undefined;
      return {
        original,
        adversarial,
        adversarialImage: adversarialImage.slice(),
        ...perturbationOf(adversarialImage, request.image),
        success,
        target,
        options: run.options,
        ms: performance.now() - started,
        backend: tf.getBackend(),
      };
    } finally {
      disposeAttackRun(run);
    }
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** δ = adversarial − image, with its L∞ and L2 norms, in double precision on the host. */
export function perturbationOf(
  adversarial: Float32Array,
  image: Float32Array,
): { perturbation: Float32Array; linf: number; l2: number } {
  const perturbation = new Float32Array(adversarial.length);
  let linf = 0;
  let sq = 0;
  for (let i = 0; i < perturbation.length; i++) {
    const d = adversarial[i] - image[i];
    perturbation[i] = d;
    linf = Math.max(linf, Math.abs(d));
    sq += d * d;
  }
  return { perturbation, linf, l2: Math.sqrt(sq) };
}

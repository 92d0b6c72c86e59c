/**
 * The training lab's methods: set up a comparison on MNIST or the stored CIFAR-10 training split,
 * train and resume it (trainingLab.ts), hand a trained model out as files, and save it in the
 * browser only after the copy read back from storage predicts like the trained model.
 */
import type { ModelComparison } from '../core/models/compareModels';
import { PlaygroundError } from '../core/util/errors';
import type { SavedModelInfo, TrainingApi } from './api';
import * as cifar10Store from './cifar10Store';
import * as savedModels from './savedModels';
import { TrainingLab } from './trainingLab';
import type { WorkerState } from './workerState';

/** Same weights on the same backend give the same logits; anything beyond float noise is a broken copy. */
const SAVED_COPY_TOLERANCE = 1e-4;

export function trainingApi(state: WorkerState): TrainingApi {
  const lab = new TrainingLab();

  const resumeTraining: TrainingApi['resumeTraining'] = async (onEvent, onProgress, onLive) => {
    const task = state.startTask(onProgress);
    return lab.run(onEvent, (p) => task.onProgress?.(p), task.isCancelled, onLive);
  };

  return {
    async startTraining(spec, onEvent, onProgress, onLive) {
      if ((spec.dataset ?? 'mnist') === 'cifar10') {
        state.cifar10Train ??= await cifar10Store.loadStoredSplit('train');
        if (!state.cifar10Train)
          throw new PlaygroundError(
            'No CIFAR-10 training images are stored: give the CIFAR-10 files first (choose CIFAR-10 in the header).',
          );
        lab.setUp(spec, state.cifar10Train, await state.testSetOf('cifar10'));
      } else {
        if (!state.mnistTrain) throw new PlaygroundError('The MNIST training set is not loaded yet.');
        lab.setUp(spec, state.mnistTrain, await state.requireTestSet());
      }
      return resumeTraining(onEvent, onProgress, onLive);
    },

    resumeTraining,

    async trainedModelFiles(runId) {
      return (await lab.files(runId)).files;
    },

    async saveTrainedModel(runId, name) {
      const { files, meta, parameters } = await lab.files(runId);
      await savedModels.saveModel(name, files, meta, parameters);
      return keepIfFaithful(name, await lab.checkSavedCopy(runId, await savedModels.savedModelFiles(name)));
    },
  };
}

/**
 * The saved-copy check: the model read back from IndexedDB must predict what the trained one
 * does; a copy that does not is deleted, so nothing broken stays in the list.
 */
async function keepIfFaithful(name: string, check: ModelComparison): Promise<SavedModelInfo> {
  if (!check.samePredictions || !(check.maxLogitDifference <= SAVED_COPY_TOLERANCE)) {
    await savedModels.deleteSavedModel(name);
    throw new PlaygroundError(
      `The copy of "${name}" read back from the browser's storage does not match the trained model (largest ` +
        `logit difference ${check.maxLogitDifference}); it was not kept.`,
    );
  }
  return savedModels.recordReadBack(name, { images: check.images, maxLogitDifference: check.maxLogitDifference });
}

/**
 * The worker side of certification: it loads the analysis view's models and the attack lab's picture, and hands
 * them to the core's experiments (src/core/verify/certificationCurves.ts, pictureCertificate.ts) with progress.
 */
import type { ImageDataset } from '../core/data/dataset';
import { partOf, type LongTask } from '../core/util/progress';
import { certificationCurves, checkCertificationSpec } from '../core/verify/certificationCurves';
import { certifyPicture } from '../core/verify/pictureCertificate';
import { checkDataset, loadAll } from './analysis';
import type { CertifyApi, CertifyModelsRequest, CertifyModelsResult, ModelCertification } from './api';
import type { WorkerState } from './workerState';

export function certifyApi(state: WorkerState): CertifyApi {
  return {
    async certifyModels(req, onProgress) {
      return certifyModels(req, await state.requireTestSet(), state.startTask(onProgress));
    },
    async certifyPicture(req, onProgress) {
      const task = state.startTask(onProgress);
      const clf = state.requireModel();
      const x = state.imageTensor(req.image);
      try {
        return await certifyPicture(clf, x, req, task);
      } finally {
        x.dispose();
      }
    },
  };
}

export async function certifyModels(
  req: CertifyModelsRequest,
  test: ImageDataset,
  task: LongTask,
): Promise<CertifyModelsResult> {
  const started = performance.now();
  checkCertificationSpec(req, test);
  const loaded = await loadAll(req.models);
  try {
    const models: ModelCertification[] = [];
    for (const [k, { name, classifier }] of loaded.entries()) {
      checkDataset(classifier, name, test);
      models.push(await certificationCurves(name, classifier, req, test, partOf(task, k, loaded.length, name)));
    }
    return { models, pgd: req.pgd, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const m of loaded) m.classifier.model.dispose();
  }
}

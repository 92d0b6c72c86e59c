/**
 * The BN_clean / BN_adv toggles (Xie & Yuille 2020, §4): the attack lab's switches the worker's current model and
 * reclassifies the picture; the analysis view's rides on every chosen model of its requests (the worker applies it to
 * the models that have split batch norm). Both start at BN_adv, the set a split model is saved on.
 */
import type { ModelMeta } from '../core/models/modelMeta';
import type { BatchNormRoute } from '../core/options/batchNormOptions';
import type { AnalysisModel } from '../worker/api';
import { useAnalysis } from './analysis/analysisStore';
import { useAppStore } from './appStore';
import { useAttackLab } from './attackLabStore';
import { repredictImage } from './imageActions';
import { SHIPPED_MODELS_BY_DATASET } from './shippedModels';
import { playground, runTask } from './workerSession';

/** Points the attack lab's model at one set; the outcome of an attack made with the other no longer applies. */
export async function chooseBatchNormRoute(route: BatchNormRoute): Promise<void> {
  const label = route === 'clean' ? 'BN_clean' : 'BN_adv';
  const summary = await runTask('model', `Switching to ${label}`, () => playground().setBatchNormRoute(route));
  if (!summary) return;
  useAppStore.setState({ model: summary });
  useAttackLab.setState({ outcome: null, sweep: null });
  await runTask('image', `Classifying with ${label}`, repredictImage);
}

/** The analysis view's set, for every chosen model and every model chosen later. */
export function setAnalysisBatchNorm(route: BatchNormRoute): void {
  useAnalysis.setState((s) => ({ bn: route, models: s.models.map((m) => ({ ...m, bn: route })) }));
}

/** Whether any of the analysis view's models has split batch norm (shipped: by their entry; saved: by their meta). */
export function anySplitBatchNorm(
  models: readonly AnalysisModel[],
  saved: readonly { name: string; meta: ModelMeta }[],
) {
  const shipped = [...SHIPPED_MODELS_BY_DATASET.mnist, ...SHIPPED_MODELS_BY_DATASET.cifar10];
  return models.some(({ ref }) =>
    ref.kind === 'shipped'
      ? shipped.some((s) => s.url === ref.url && s.splitBatchNorm === true)
      : saved.some((s) => s.name === ref.name && s.meta.splitBatchNorm === true),
  );
}

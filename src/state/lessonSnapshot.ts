/** The app's state as the lessons' completion checks read it (teaching/lessons/types.ts, AppSnapshot). */
import { useAnalysis } from './analysis/analysisStore';
import { useEnergy } from './analysis/energyStore';
import { useMargins } from './analysis/marginsStore';
import { useStability } from './analysis/stabilityStore';
import { useCertify } from './analysis/certifyStore';
import { usePictureCertificate } from './pictureCertificate';
import { useAppStore } from './appStore';
import { selectAttackOutcome, selectShownSweep, useAttackLab } from './attackLabStore';
import { useDatasets } from './datasetStore';
import { useDream } from './dreamStore';
import { usePresentation } from './presentationStore';
import { useSettings } from './settingsStore';
import { useTraining } from './training/trainingStore';
import { VIEW_IDS, shippedModelId, type ViewId } from './urlState';
import type { AppSnapshot } from './teaching/lessons/types';

/** The lab on screen, as the address's hash names it (#training-lab); none means the attack lab. */
export function currentView(): ViewId {
  const id = window.location.hash.replace(/^#/, '');
  return VIEW_IDS.find((v) => v === id) ?? 'attack-lab';
}

export function takeSnapshot(): AppSnapshot {
  const lab = useAttackLab.getState();
  const model = useAppStore.getState().model;
  const image = lab.image;
  // Only what belongs to the picture on screen counts (a result computed for a previous picture does not).
  const outcome = selectAttackOutcome(lab);
  const sweep = selectShownSweep(lab);
  const analysis = useAnalysis.getState();
  return {
    view: currentView(),
    dataset: useDatasets.getState().active,
    modelId: model ? shippedModelId(model.source) : null,
    image: image
      ? {
          index: image.source.kind === 'test' ? image.source.index : null,
          trueLabel: image.trueLabel,
          predicted: image.prediction.label,
          dreamedClass: image.source.kind === 'dream' ? image.source.classIndex : undefined,
        }
      : null,
    dream: dreamSnapshot(),
    attack: useSettings.getState().attack,
    outcome: outcome
      ? {
          method: outcome.options.method,
          norm: outcome.options.norm,
          eps: outcome.options.eps,
          success: outcome.success,
          label: outcome.adversarial.label,
          target: outcome.target ?? null,
          linf: outcome.linf,
          l2: outcome.l2,
        }
      : null,
    scrubbedEps: sweep ? sweep.points[sweep.selected].eps : null,
    presetId: useTraining.getState().presetId,
    trainingPhase: useTraining.getState().phase,
    analysis: {
      robustness: analysis.robustness !== null,
      calibration: analysis.calibration !== null,
      energy: (useEnergy.getState().results?.length ?? 0) > 0,
      margins: useMargins.getState().results !== null,
      stability: useStability.getState().results !== null,
      certify: useCertify.getState().result !== null,
      smoothing:
        useCertify.getState().result?.models.some((m) => m.smoothing !== null && !('error' in m.smoothing)) ?? false,
    },
    pictureCertified:
      usePictureCertificate.getState().certificate !== null && usePictureCertificate.getState().image === image,
    presenter: usePresentation.getState().presenter,
  };
}

function dreamSnapshot(): AppSnapshot['dream'] {
  const result = useDream.getState().result;
  return result ? { classIndex: result.classIndex, modelId: shippedModelId(result.modelSource) } : null;
}

/** Calls `listener` whenever any store a check reads changes, or the view does; returns the unsubscribe. */
export function onSnapshotChange(listener: () => void): () => void {
  const stores = [useAttackLab, useAppStore, useDatasets, useSettings, useTraining, useAnalysis, useEnergy, useMargins];
  const unsubscribe = [
    ...stores.map((s) => s.subscribe(listener)),
    useStability.subscribe(listener),
    useCertify.subscribe(listener),
    usePictureCertificate.subscribe(listener),
    useDream.subscribe(listener),
  ];
  window.addEventListener('hashchange', listener);
  return () => {
    for (const u of unsubscribe) u();
    window.removeEventListener('hashchange', listener);
  };
}

/** The analysis view's state: the chosen models, the settings, and results as they stream in. */
import { create } from 'zustand';
import { ANALYSIS_FIELDS } from '../../core/options/analysisOptions';
import { BATCH_NORM_FIELD, type BatchNormRoute } from '../../core/options/batchNormOptions';
import type { SweepSummary } from '../../core/eval/robustnessSweep';
import type { AnalysisModel, CalibrationResult, RobustnessCurvesResult } from '../../worker/api';
import { SHIPPED_MODELS } from '../shippedModels';
import { YAN_IMAGES } from './yanProtocol';

interface AnalysisState {
  models: AnalysisModel[];
  images: number;
  seeds: number[];
  /** Streamed while a sweep runs; replaced by the final result's summary. */
  summaries: SweepSummary[];
  robustness: RobustnessCurvesResult | null;
  calibration: CalibrationResult[] | null;
  bins: number;
  running: 'robustness' | 'calibration' | null;
  /** Which sweep the curves show: Yan et al.'s protocol or the strong evaluation. */
  protocol: 'yan' | 'strong';
  /** JEM's refinement before classifying, for the robustness sweeps: K SGLD steps, S EOT draws. */
  refinement: { steps: number; draws: number };
  /** The batch norm set of models with split batch norm (batchNormActions.setAnalysisBatchNorm). */
  bn: BatchNormRoute;
}

export const useAnalysis = create<AnalysisState>()(() => ({
  // Yan et al.'s three (CNN, ODENet, TisODE): the view compares at most three models at once.
  models: SHIPPED_MODELS.slice(0, 3).map((m) => ({ name: m.title, ref: { kind: 'shipped' as const, url: m.url } })),
  images: YAN_IMAGES,
  seeds: [1],
  summaries: [],
  robustness: null,
  calibration: null,
  bins: ANALYSIS_FIELDS.bins.default as number,
  running: null,
  protocol: 'yan',
  refinement: {
    steps: ANALYSIS_FIELDS.refineSteps.default as number,
    draws: ANALYSIS_FIELDS.eotDraws.default as number,
  },
  bn: BATCH_NORM_FIELD.default,
}));

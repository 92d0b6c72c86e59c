/** The analysis view's state: the chosen models, the settings, and results as they stream in. */
import { create } from 'zustand';
import type { SweepSummary } from '../../core/eval/robustnessSweep';
import type { AnalysisModel, CalibrationResult, RobustnessResult } from '../../worker/api';
import { SHIPPED_MODELS } from '../shippedModels';
import { YAN_IMAGES } from './yanProtocol';

interface AnalysisState {
  models: AnalysisModel[];
  images: number;
  seeds: number[];
  /** Streamed while a sweep runs; replaced by the final result's summary. */
  summaries: SweepSummary[];
  robustness: RobustnessResult | null;
  calibration: CalibrationResult[] | null;
  bins: number;
  running: 'robustness' | 'calibration' | null;
}

export const useAnalysis = create<AnalysisState>()(() => ({
  models: SHIPPED_MODELS.map((m) => ({ name: m.title, ref: { kind: 'shipped' as const, url: m.url } })),
  images: YAN_IMAGES,
  seeds: [1],
  summaries: [],
  robustness: null,
  calibration: null,
  bins: 15,
  running: null,
}));

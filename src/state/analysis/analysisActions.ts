/** What the analysis view's buttons do: run the Yan protocol or calibration for the chosen models. */
import * as Comlink from 'comlink';
import type { SweepSummary } from '../../core/eval/robustnessSweep';
import type { AnalysisModel } from '../../worker/api';
import { playground, runTask } from '../workerSession';
import { useAnalysis } from './analysisStore';
import { YAN_GROUPS } from './yanProtocol';

export function toggleModel(model: AnalysisModel, on: boolean): void {
  useAnalysis.setState((s) => ({
    models: on
      ? [...s.models.filter((m) => m.name !== model.name), model].slice(-3)
      : s.models.filter((m) => m.name !== model.name),
  }));
}

export function setImages(images: number): void {
  useAnalysis.setState({ images });
}

export function setSeeds(count: number): void {
  useAnalysis.setState({ seeds: Array.from({ length: count }, (_, i) => i + 1) });
}

export function setBins(bins: number): void {
  useAnalysis.setState({ bins });
}

export async function runYanProtocol(): Promise<void> {
  const { models, images, seeds } = useAnalysis.getState();
  useAnalysis.setState({ summaries: [], robustness: null, running: 'robustness' });
  const onSummary = Comlink.proxy((s: SweepSummary) =>
    useAnalysis.setState((st) => ({ summaries: [...st.summaries, s] })),
  );
  const result = await runTask('analysis', `Yan et al. protocol on ${images} images`, (onProgress) =>
    playground().evaluateRobustness({ models, groups: YAN_GROUPS, images, seeds }, onSummary, onProgress),
  );
  useAnalysis.setState({ running: null, ...(result ? { robustness: result, summaries: result.summary } : {}) });
}

export async function runCalibration(): Promise<void> {
  const { models, images, bins } = useAnalysis.getState();
  useAnalysis.setState({ calibration: null, running: 'calibration' });
  const result = await runTask('analysis', `Calibration on ${images} images`, (onProgress) =>
    playground().calibrate({ models, images, bins }, onProgress),
  );
  useAnalysis.setState({ running: null, calibration: result ?? null });
}

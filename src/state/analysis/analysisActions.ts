/** What the analysis view's buttons do: run the Yan protocol or calibration for the chosen models. */
import * as Comlink from 'comlink';
import type { SweepSummary } from '../../core/eval/robustnessSweep';
import type { AnalysisModel } from '../../worker/api';
import { batchPerFrame } from '../frameBatch';
import { playground, runTask } from '../workerSession';
import { useAnalysis } from './analysisStore';
import { STRONG_GROUPS } from './strongEvaluation';
import { YAN_GROUPS } from './yanProtocol';

export function toggleModel(model: AnalysisModel, on: boolean): void {
  useAnalysis.setState((s) => ({
    models: on
      ? [...s.models.filter((m) => m.name !== model.name), { ...model, bn: s.bn }].slice(-3)
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

/** Tells the summaries of the current run from late ones of an earlier run. */
let robustnessRun = 0;

/** Yan et al.'s protocol (noise, FGSM, PGD-10) on the chosen models. */
export function runYanProtocol(): Promise<void> {
  return runSweep('yan', YAN_GROUPS, 'Yan et al. protocol');
}

/** PGD, APGD-CE and AutoAttack-lite at equal iterations (Croce & Hein 2020) on the chosen models. */
/** JEM's refinement for the next robustness sweep: K SGLD steps before classifying, S EOT draws. */
export function setRefinement(patch: Partial<{ steps: number; draws: number }>): void {
  useAnalysis.setState((s) => ({ refinement: { ...s.refinement, ...patch } }));
}

export function runStrongEvaluation(): Promise<void> {
  return runSweep('strong', STRONG_GROUPS, 'Strong evaluation (PGD, APGD-CE, AutoAttack-lite)');
}

async function runSweep(
  protocol: 'yan' | 'strong',
  groups: Parameters<ReturnType<typeof playground>['evaluateRobustness']>[0]['groups'],
  label: string,
): Promise<void> {
  const { models, images, seeds, refinement } = useAnalysis.getState();
  const run = ++robustnessRun;
  useAnalysis.setState({ summaries: [], robustness: null, running: 'robustness', protocol });
  // Summaries join the charts once a frame. They travel on the callback's own message port, so one
  // may arrive after the final result, which holds them all: those are dropped.
  const summaries = batchPerFrame((items: SweepSummary[]) => {
    if (run === robustnessRun && useAnalysis.getState().robustness === null) {
      useAnalysis.setState((st) => ({ summaries: [...st.summaries, ...items] }));
    }
  });
  const onSummary = Comlink.proxy((s: SweepSummary) => summaries.push(s));
  const result = await runTask('analysis', `${label} on ${images} images`, (onProgress) =>
    playground().evaluateRobustness({ models, groups, images, seeds, refinement }, onSummary, onProgress),
  );
  summaries.flush();
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

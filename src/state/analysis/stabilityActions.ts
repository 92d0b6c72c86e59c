/** What the stability panel's controls do. */
import * as Comlink from 'comlink';
import type { StabilityForm } from '../../core/metrics/stability';
import type { StabilitySweepPoint, StabilitySweepRequest } from '../../worker/api';
import { playground, runTask } from '../workerSession';
import { useAnalysis } from './analysisStore';
import { useStability } from './stabilityStore';

export function setStabilitySettings(
  s: Partial<{ images: number; eps: number[]; form: StabilityForm; samples: number }>,
): void {
  useStability.setState(s);
}

export function setSweepSettings(s: Partial<StabilitySweepRequest>): void {
  useStability.setState((st) => ({ sweep: { ...st.sweep, ...s } }));
}

export async function runStability(): Promise<void> {
  const { models } = useAnalysis.getState();
  const { images, eps, form, samples } = useStability.getState();
  useStability.setState({ results: null });
  const result = await runTask('analysis', `Stability on ${images} images`, (onProgress) =>
    playground().analyseStability({ models, images, eps, form, samples }, onProgress),
  );
  useStability.setState({ results: result ?? null });
}

/** Tells the points of the current sweep from late ones of an earlier sweep. */
let sweepRun = 0;

export async function runStabilitySweep(): Promise<void> {
  const { sweep, form } = useStability.getState();
  const run = ++sweepRun;
  const request: StabilitySweepRequest = { ...sweep, form };
  useStability.setState({ sweepPoints: [], sweepResult: null, sweepRequest: request });
  // Points travel on the callback's own message port, so one may arrive after the final result:
  // keep one point per index, and none from an earlier run.
  const onPoint = Comlink.proxy((p: StabilitySweepPoint) => {
    if (run !== sweepRun) return;
    useStability.setState((st) => ({
      sweepPoints: [...st.sweepPoints.filter((q) => q.index !== p.index), p].sort((a, b) => a.index - b.index),
    }));
  });
  const configs = sweep.widths.length * sweep.depths.length * sweep.inits.length;
  const result = await runTask('analysis', `MLP stability sweep (${configs} networks)`, (onProgress) =>
    playground().stabilitySweep(request, onPoint, onProgress),
  );
  useStability.setState((st) =>
    result ? { sweepResult: result, sweepPoints: result.points } : { sweepPoints: st.sweepPoints },
  );
}

/** Attacking the current image, then sweeping ε for the scrubber. */
import type { AttackOptions, Norm } from '../core/attacks/types';
import type { AttackOutcome, AttackRequest } from '../worker/api';
import { MAX_EPS, toAttackOptions } from './attackSettings';
import { useLab } from './labStore';
import { useSettings } from './settingsStore';
import { playground, runTask } from './workerSession';

/** The chosen ε sits at this index of the sweep, the middle of 2·SWEEP_HALF + 1 points. */
const SWEEP_HALF = 5;

/**
 * The ε values behind the scrubber: 0, ε/5, …, ε, …, 2ε (11 points), capped at the norm's limit.
 * Centring the chosen ε shows both how much less still fools the model and what more buys;
 * a fixed range such as 0–0.5 would waste most of the slider on a small ε, or cut off an L2 one.
 * Each value is computed as ε·i/5, so the middle one equals ε exactly.
 */
export function sweepEpsValues(eps: number, norm: Norm): number[] {
  const values: number[] = [];
  for (let i = 0; i <= 2 * SWEEP_HALF; i++) {
    const v = (eps * i) / SWEEP_HALF;
    if (v <= MAX_EPS[norm] + 1e-12) values.push(v);
  }
  return values;
}

async function sweep(request: AttackRequest, options: AttackOptions, outcome: AttackOutcome): Promise<void> {
  const epsValues = sweepEpsValues(options.eps, options.norm);
  const outcomes = await runTask('sweep', 'Sweeping ε for the scrubber', (onProgress) =>
    playground().attackSweep(request, epsValues, onProgress),
  );
  if (!outcomes || useLab.getState().outcome !== outcome) return;
  // At the chosen ε keep the outcome already on screen, so its numbers do not shift when the sweep lands.
  const points = epsValues.map((eps, i) => ({ eps, outcome: i === SWEEP_HALF ? outcome : outcomes[i] }));
  useLab.setState({ sweep: { points, selected: SWEEP_HALF } });
}

/** Attacks the picture on screen with the settings in the controls, then sweeps ε for the scrubber. */
export async function attackCurrentImage(): Promise<void> {
  const image = useLab.getState().image;
  const options = toAttackOptions(useSettings.getState().attack);
  if (!image || !options) return;
  // A photo has no known label: the attack moves it away from what the model sees now.
  const request: AttackRequest = { image: image.pixels, label: image.trueLabel ?? image.prediction.label, options };
  useLab.setState({ outcome: null, sweep: null });
  const outcome = await runTask('attack', `Running ${options.method.toUpperCase()}`, (onProgress) =>
    playground().attack(request, onProgress),
  );
  if (!outcome || useLab.getState().image !== image) return;
  useLab.setState({ outcome });
  if (options.eps > 0) await sweep(request, options, outcome);
}

export function scrubTo(index: number): void {
  const sweepState = useLab.getState().sweep;
  if (sweepState && index >= 0 && index < sweepState.points.length) {
    useLab.setState({ sweep: { ...sweepState, selected: index } });
  }
}

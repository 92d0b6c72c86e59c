/** Attacking the current image, then sweeping ε for the scrubber. */
import type { AttackOptions, Norm } from '../core/attacks/types';
import type { AttackOutcome, AttackRequest } from '../worker/api';
import { MAX_EPS } from '../core/options/attackOptions';
import { toAttackOptions } from './attackSettings';
import type { Progress } from '../core/util/progress';
import { useAppStore } from './appStore';
import { type AttackJob, useAttackLab } from './attackLabStore';
import { whenPictureClassified } from './imageActions';
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

let lastJobId = 0;

/** Whether `job` is still the lab's job (a new picture or a cancel may have dropped it meanwhile). */
function isOwnJob(job: AttackJob): boolean {
  return useAttackLab.getState().job?.id === job.id;
}

function setPhase(job: AttackJob, phase: AttackJob['phase'], label: string): AttackJob {
  const next = { ...job, phase, label };
  if (isOwnJob(job)) useAttackLab.setState({ job: next });
  return next;
}

/** Whether picture `imageId` is still the one on screen, with no other being classified in its place. */
function isShown(imageId: number): boolean {
  const s = useAttackLab.getState();
  return s.image?.id === imageId && s.pendingImage === null;
}

/**
 * Runs one attack-lab call in the worker as the app's task. If the picture was replaced meanwhile, or a new attack took
 * the job's place, the call was cancelled on purpose (imageActions stops the old picture's work, a new Attack stops the
 * sweep): that is no failure to report, and its result is dropped rather than shown beside another picture.
 */
async function forPicture<T>(
  imageId: number,
  job: AttackJob,
  label: string,
  work: (onProgress: (p: Progress) => void) => Promise<T>,
): Promise<T | undefined> {
  const wanted = () => isShown(imageId) && isOwnJob(job);
  const result = await runTask(job.phase === 'sweep' ? 'sweep' : 'attack', label, async (onProgress) => {
    try {
      return await work(onProgress);
    } catch (err) {
      if (!wanted()) return undefined;
      throw err;
    }
  });
  return result !== undefined && isShown(imageId) ? result : undefined;
}

/** What the sweep's progress says: what it is for, then which of its attacks runs ("3 of 10"). */
export const SWEEP_LABEL = 'Sweeping ε for the scrubber';

async function sweep(
  job: AttackJob,
  imageId: number,
  request: AttackRequest,
  options: AttackOptions,
  outcome: AttackOutcome,
): Promise<void> {
  const epsValues = sweepEpsValues(options.eps, options.norm);
  // The chosen ε is already attacked: its outcome stays on screen, so its numbers do not shift when the sweep lands.
  const others = epsValues.filter((_, i) => i !== SWEEP_HALF);
  const sweepJob = setPhase(job, 'sweep', SWEEP_LABEL);
  const outcomes = await forPicture(imageId, sweepJob, SWEEP_LABEL, (onProgress) =>
    playground().attackSweep(request, others, onProgress),
  );
  if (!outcomes || !isOwnJob(sweepJob) || useAttackLab.getState().outcome?.outcome !== outcome) return;
  const points = epsValues.map((eps, i) => ({
    eps,
    outcome: i === SWEEP_HALF ? outcome : outcomes[i < SWEEP_HALF ? i : i - 1],
  }));
  useAttackLab.setState({ sweep: { imageId, points, selected: SWEEP_HALF } });
}

/** A sweep still running is only the scrubber's data: a new Attack stops it rather than wait for it. */
function stopSweep(): void {
  const { job } = useAttackLab.getState();
  if (job?.phase !== 'sweep') return;
  useAttackLab.setState({ job: null });
  void playground().cancelAttacks();
}

/**
 * Attacks the picture on screen with the settings in the controls, then sweeps ε for the scrubber. Pressed while a
 * new picture is still being classified, the attack waits for it, visibly queued, and then attacks the new picture:
 * the one the user chose last. One attack job at a time: the button is disabled while an attack is queued or runs,
 * and pressed during the ε sweep that follows one it stops the sweep and attacks at once.
 */
export async function attackCurrentImage(): Promise<void> {
  const { attack, dataset } = useSettings.getState();
  const options = toAttackOptions(attack, dataset);
  if (!options) return;
  stopSweep();
  if (useAttackLab.getState().job) return;
  const name = options.method.toUpperCase();
  lastJobId += 1;
  let job: AttackJob = { id: lastJobId, phase: 'queued', label: `${name} waits for the new picture to be classified` };
  useAttackLab.setState({ job });
  try {
    await whenPictureClassified();
    const image = useAttackLab.getState().image;
    if (!image || !isOwnJob(job)) return;
    // A photo has no known label: the attack moves it away from what the model sees now.
    const request: AttackRequest = { image: image.pixels, label: image.trueLabel ?? image.prediction.label, options };
    useAttackLab.setState({ outcome: null, sweep: null });
    job = setPhase(job, 'attack', `Running ${name}`);
    const outcome = await forPicture(image.id, job, job.label, (onProgress) =>
      playground().attack(request, onProgress),
    );
    if (!outcome || !isOwnJob(job)) return;
    useAttackLab.setState({ outcome: { imageId: image.id, outcome } });
    if (options.eps > 0) await sweep(job, image.id, request, options, outcome);
  } finally {
    if (isOwnJob(job)) useAttackLab.setState({ job: null });
  }
}

/** The lab's Cancel: drops an attack still queued, or stops the one running (and its sweep). */
export function cancelAttack(): void {
  const { job } = useAttackLab.getState();
  if (!job) return;
  if (job.phase === 'queued') {
    useAttackLab.setState({ job: null });
    useAppStore.setState({ notice: 'The queued attack was cancelled before it started.' });
    return;
  }
  void playground().cancelAttacks();
}

export function scrubTo(index: number): void {
  const sweepState = useAttackLab.getState().sweep;
  if (sweepState && index >= 0 && index < sweepState.points.length) {
    useAttackLab.setState({ sweep: { ...sweepState, selected: index } });
  }
}

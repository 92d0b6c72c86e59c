/**
 * The one worker that hosts the core, and the way every action calls it: as a task with a label
 * and progress, whose failure becomes a message in the store. The UI thread never runs a model.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../core/util/progress';
import type { PlaygroundApi } from '../worker/api';
import { createPlaygroundWorker } from '../worker/client';
import { latestPerFrame } from './frameBatch';
import { useAppStore, type TaskKind } from './appStore';
import { useSettings } from './settingsStore';

let remote: Comlink.Remote<PlaygroundApi> | null = null;

/** The worker, started on first use. */
export function playground(): Comlink.Remote<PlaygroundApi> {
  remote ??= createPlaygroundWorker();
  return remote;
}

/** WebGPU reports a lost device with one of these; the worker then needs another backend. */
// Chromium words it several ways, e.g. "A valid external Instance reference no longer exists" on SwiftShader.
const GPU_LOST =
  /device was lost|GPU device lost|device is lost|device was destroyed|Instance reference no longer exists/i;

export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return String(err);
}

function isCancelled(err: unknown): boolean {
  return err instanceof Error && (err.name === 'CancelledError' || /^cancelled/i.test(err.message));
}

async function recoverFromLostGpu(): Promise<string> {
  useSettings.getState().setBackendChoice('auto');
  const report = await playground().setBackend('auto');
  useAppStore.setState({ backend: report });
  return `The GPU device was lost, so the playground switched to ${report.name}: ${report.reason}. Try again.`;
}

async function reportFailure(err: unknown): Promise<void> {
  if (isCancelled(err)) {
    useAppStore.setState({ notice: errorMessage(err) });
    return;
  }
  let message = errorMessage(err);
  if (GPU_LOST.test(message)) {
    try {
      message = await recoverFromLostGpu();
    } catch (again) {
      message = `The GPU device was lost and no other backend could start: ${errorMessage(again)}`;
    }
  }
  useAppStore.setState({ error: message });
}

/**
 * Runs `work` as the current task: clears the last error, shows `label` and the progress the
 * worker streams, and turns a rejection into the error banner. Resolves undefined on failure.
 */
let lastTaskId = 0;

export async function runTask<T>(
  kind: TaskKind,
  label: string,
  work: (onProgress: (p: Progress) => void) => Promise<T>,
): Promise<T | undefined> {
  const id = ++lastTaskId;
  useAppStore.setState({ task: { id, kind, label, progress: null }, error: null, notice: null });
  const isCurrent = () => useAppStore.getState().task?.id === id;
  // Progress can arrive many times a frame: the bar shows the latest once a frame.
  const latest = latestPerFrame((progress: Progress) => {
    const task = useAppStore.getState().task;
    if (task && isCurrent()) useAppStore.setState({ task: { ...task, progress } });
  });
  const onProgress = Comlink.proxy((progress: Progress) => latest.push(progress));
  try {
    return await work(onProgress);
  } catch (err) {
    await reportFailure(err);
    return undefined;
  } finally {
    latest.discard();
    if (isCurrent()) useAppStore.setState({ task: null });
    void refreshTensorCount(); // show the count after the work, not up to one poll later
  }
}

let countPending = false;
/** Asks the worker for tf.memory().numTensors for the status line (skipped while one is pending). */
export async function refreshTensorCount(): Promise<void> {
  if (countPending) return;
  countPending = true;
  try {
    const { numTensors } = await playground().memory();
    useAppStore.setState({ numTensors });
  } catch {
    // The next poll tries again; the count is informative only.
  } finally {
    countPending = false;
  }
}

/** Renames the running task (a multi-step task such as startup). */
export function setTaskLabel(label: string): void {
  const task = useAppStore.getState().task;
  if (task) useAppStore.setState({ task: { ...task, label, progress: null } });
}

/** Shows an error that arose on the UI side (a file that is not an image). */
export function showError(message: string): void {
  useAppStore.setState({ error: message, notice: null });
}

export function dismissMessages(): void {
  useAppStore.setState({ error: null, notice: null });
}

export function cancelTask(): void {
  void playground().cancel();
}

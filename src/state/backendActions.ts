/** Backend and model choices made after startup, and the live tensor count. */
import type { BackendChoice } from '../worker/api';
import { followModelDataset } from './datasetActions';
import { repredictImage } from './imageActions';
import { useAppStore } from './appStore';
import { useAttackLab } from './attackLabStore';
import { useSettings } from './settingsStore';
import { playground, runTask, refreshTensorCount } from './workerSession';

/** How often the status line asks the worker for tf.memory(). */
export const MEMORY_POLL_MS = 2000;

/** The user's choice of backend (the automatic one is core/backend/chooseBackend.ts's). */
export async function switchBackend(choice: BackendChoice): Promise<void> {
  useSettings.getState().setBackendChoice(choice);
  const report = await runTask('backend', `Switching backend to ${choice}`, () => playground().setBackend(choice));
  if (report) useAppStore.setState({ backend: report });
}

/** Destroys the WebGPU device on purpose; the worker's fallback then updates the status line. */
export async function simulateGpuLoss(): Promise<void> {
  await runTask('backend', 'Losing the GPU device', () => playground().simulateDeviceLoss());
}

/** Splits the chosen files into model.json and its one weights file, or says what is missing. */
function pickModelFiles(files: File[]): { json: File; weights: File } {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const others = files.filter((f) => !f.name.toLowerCase().endsWith('.json'));
  if (jsons.length !== 1 || others.length !== 1) {
    throw new Error(
      `Choose exactly two files: model.json and its weights file (e.g. weights.bin). Got: ` +
        `${files.map((f) => f.name).join(', ') || 'nothing'}.`,
    );
  }
  return { json: jsons[0], weights: others[0] };
}

export async function loadModelFiles(files: File[]): Promise<void> {
  const summary = await runTask('model', 'Loading the model files', async () => {
    const { json, weights } = pickModelFiles(files);
    const [text, bytes] = await Promise.all([json.text(), weights.arrayBuffer()]);
    return playground().loadModelFiles(text, new Uint8Array(bytes), json.name);
  });
  if (!summary) return;
  useAppStore.setState({ model: summary });
  useAttackLab.setState({ outcome: null, sweep: null });
  if (await followModelDataset(summary)) return; // a CIFAR-10 model brings the colour images, and back
  await runTask('image', 'Classifying with the new model', repredictImage);
}

/** Polls the worker's tensor count; returns the function that stops polling. */
export function startMemoryPolling(): () => void {
  void refreshTensorCount();
  const timer = window.setInterval(() => void refreshTensorCount(), MEMORY_POLL_MS);
  return () => window.clearInterval(timer);
}

/** Makes a shipped model (served from public/models/) the current model. */
export async function loadShippedModel(url: string): Promise<void> {
  const summary = await runTask('model', 'Loading the model', () => playground().loadModel(url));
  if (!summary) return;
  useAppStore.setState({ model: summary });
  useAttackLab.setState({ outcome: null, sweep: null });
  await runTask('image', 'Classifying with the new model', repredictImage);
}

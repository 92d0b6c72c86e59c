/**
 * Bringing a model in as ONNX and taking one out: the file the user dropped waits here, with what the worker
 * found in it, until the user confirms the input scaling (asked only when the graph does not normalise its
 * input itself); then the worker imports it and keeps it in this browser, so every model list offers it. Also
 * whether the current model's card ("About this model") is open, and the .onnx download.
 */
import { create } from 'zustand';
import type { InputScalingChoice, OnnxSummary } from '../core/models/onnx/importOnnx';
import { followModelDataset } from './datasetActions';
import { repredictImage } from './imageActions';
import { useAppStore } from './appStore';
import { useAttackLab } from './attackLabStore';
import { refreshSavedModels } from './training/trainingActions';
import { playground, runTask } from './workerSession';

interface OnnxImportState {
  pending: { name: string; bytes: Uint8Array; summary: OnnxSummary } | null;
  cardOpen: boolean;
}

export const useOnnxImport = create<OnnxImportState>()(() => ({ pending: null, cardOpen: false }));

/** Per-channel statistics of the training sets, the usual normalisation of models trained on them. */
export const DATASET_STATISTICS = {
  mnist: { mean: [0.1307], std: [0.3081] },
  cifar10: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
} as const;

export const isOnnxFile = (file: File): boolean => file.name.toLowerCase().endsWith('.onnx');

/** Reads the dropped file and asks the worker what it holds; the dialog then shows it. */
export async function startOnnxImport(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const summary = await runTask('model', `Reading ${file.name}`, () => playground().inspectOnnx(bytes, file.name));
  if (summary) useOnnxImport.setState({ pending: { name: file.name, bytes, summary } });
}

export function cancelOnnxImport(): void {
  useOnnxImport.setState({ pending: null });
}

/** Imports the pending file with the scaling the user chose and makes it the current model. */
export async function confirmOnnxImport(scaling: InputScalingChoice): Promise<void> {
  const pending = useOnnxImport.getState().pending;
  if (!pending) return;
  useOnnxImport.setState({ pending: null });
  const summary = await runTask('model', `Importing ${pending.name}`, () =>
    playground().importOnnx(pending.bytes, pending.name, scaling),
  );
  if (!summary) return;
  useAppStore.setState({ model: summary });
  useAttackLab.setState({ outcome: null, sweep: null });
  await refreshSavedModels();
  if (await followModelDataset(summary)) return;
  await runTask('image', 'Classifying with the new model', repredictImage);
}

export function setModelCardOpen(open: boolean): void {
  useOnnxImport.setState({ cardOpen: open });
}

/** The current model as .onnx bytes (the worker refuses, by name, layers ONNX cannot express). */
export function exportCurrentModelOnnx(): Promise<Uint8Array | undefined> {
  return runTask('model', 'Writing the model as ONNX', () => playground().exportOnnx());
}

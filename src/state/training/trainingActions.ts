/**
 * What the training lab's buttons do: edit the comparison, train (fetching the training split
 * the first time), stop, resume, save to the browser, download, and hand a model to the attack lab.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../../core/util/progress';
import type {
  TrainingEvent,
  TrainingOutcome,
  TrainingRunSpec,
  TrainingLiveEvent,
  TrainingSpec,
} from '../../worker/api';
import { followModelDataset } from '../datasetActions';
import { batchPerFrame, latestPerFrame } from '../frameBatch';
import { repredictImage } from '../imageActions';
import { useAppStore } from '../appStore';
import { useAttackLab } from '../attackLabStore';
import { MNIST_BASE } from '../startup';
import { playground, runTask, setTaskLabel } from '../workerSession';
import type { DatasetName } from '../../core/data/dataset';
import { architecturesFor } from '../../core/models/architectures';
import { TRAINING_PRESETS } from '../teaching/presets';
import { useTraining } from './trainingStore';

export function choosePreset(id: string): void {
  const preset = TRAINING_PRESETS.find((p) => p.id === id);
  if (preset) useTraining.setState({ presetId: id, spec: preset.spec });
}

/** Switches the comparison's data; architectures that cannot read it become the data set's default. */
export function chooseTrainingDataset(dataset: DatasetName): void {
  useTraining.setState((s) => ({
    spec: {
      ...s.spec,
      dataset,
      runs: s.spec.runs.map((r) =>
        architecturesFor(dataset).includes(r.arch)
          ? r
          : { ...r, arch: dataset === 'cifar10' ? 'cifar-cnn' : 'cnn', build: {} },
      ),
    },
  }));
}

export function updateSpec(patch: Partial<TrainingSpec>): void {
  useTraining.setState((s) => ({ spec: { ...s.spec, ...patch } }));
}

export function updateRun(id: string, patch: Partial<TrainingRunSpec>): void {
  useTraining.setState((s) => ({
    spec: { ...s.spec, runs: s.spec.runs.map((r) => (r.id === id ? { ...r, ...patch } : r)) },
  }));
}

export function addRun(): void {
  useTraining.setState((s) => {
    const id = ['A', 'B', 'C'].find((x) => !s.spec.runs.some((r) => r.id === x));
    if (!id) return s;
    return { spec: { ...s.spec, runs: [...s.spec.runs, { id, label: `Model ${id}`, arch: 'cnn', build: {} }] } };
  });
}

export function removeRun(id: string): void {
  useTraining.setState((s) => ({ spec: { ...s.spec, runs: s.spec.runs.filter((r) => r.id !== id) } }));
}

/** Curve points, added to the charts once a frame however fast the runs report. */
const curvePoints = batchPerFrame((events: TrainingEvent[]) =>
  useTraining.setState((s) => {
    const curves = { ...s.curves };
    for (const e of events) {
      const point = { ...e.report, x: e.report.epoch + e.report.batch / e.report.batchesPerEpoch };
      curves[e.runId] = [...(curves[e.runId] ?? []), point];
    }
    return { curves };
  }),
);
const onEvent = Comlink.proxy((e: TrainingEvent) => curvePoints.push(e));

/** Each JEM run's latest buffer grid (the worker sends about one a second) and any divergence, once a frame. */
const liveEvents = batchPerFrame((events: TrainingLiveEvent[]) =>
  useTraining.setState((s) => {
    const sampleGrids = { ...s.sampleGrids };
    const divergences = { ...s.divergences };
    for (const e of events) {
      if (e.kind === 'samples') sampleGrids[e.runId] = e;
      else divergences[e.runId] = { label: e.label, message: e.message };
    }
    return { sampleGrids, divergences };
  }),
);
const onLive = Comlink.proxy((e: TrainingLiveEvent) => liveEvents.push(e));

const latestProgress = latestPerFrame((p: Progress) => useTraining.setState({ progress: p }));

/** Progress goes to both the training lab's bar and the status line. */
function trainingProgress(onTaskProgress: (p: Progress) => void) {
  return Comlink.proxy((p: Progress) => {
    onTaskProgress(p);
    latestProgress.push(p);
  });
}

function beginStretch(): void {
  const fraction = useTraining.getState().progress?.fraction ?? 0;
  useTraining.setState({ phase: 'training', stretch: { startedMs: performance.now(), startFraction: fraction } });
}

async function finish(outcome: TrainingOutcome | undefined): Promise<void> {
  curvePoints.flush();
  liveEvents.flush();
  latestProgress.flush();
  if (!outcome) {
    // Failed (the banner says why): the runs are still there to resume or save.
    useTraining.setState({ phase: useTraining.getState().runs.length > 0 ? 'stopped' : 'idle', stretch: null });
    return;
  }
  useTraining.setState({ phase: outcome.state, runs: outcome.runs, stretch: null });
  if (outcome.state === 'finished') {
    // Finished models go to the browser's storage at once, so the attack lab can pick them.
    const stamp = new Date().toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });
    for (const r of outcome.runs.filter((x) => x.state === 'finished')) await saveRun(r.id, `${r.label} (${stamp})`);
  }
}

export async function startTraining(): Promise<void> {
  const { spec } = useTraining.getState();
  curvePoints.discard();
  liveEvents.discard();
  latestProgress.discard();
  useTraining.setState({
    phase: 'loading-data',
    curves: {},
    sampleGrids: {},
    divergences: {},
    runs: [],
    progress: null,
    savedRuns: {},
  });
  const cifar = spec.dataset === 'cifar10';
  const outcome = await runTask(
    'training',
    cifar ? 'Reading the CIFAR-10 training images' : 'Loading the MNIST training set',
    async (onProgress) => {
      const api = playground();
      // CIFAR-10 comes from the browser's storage: the worker reads it in startTraining.
      if (!cifar) await api.loadTrainingSet(MNIST_BASE, onProgress);
      setTaskLabel(`Training ${spec.runs.map((r) => r.label).join(' vs ')}`);
      useTraining.setState({ progress: { fraction: 0, message: 'building the models' } });
      beginStretch();
      return api.startTraining(spec, onEvent, trainingProgress(onProgress), onLive);
    },
  );
  await finish(outcome);
}

export async function resumeTraining(): Promise<void> {
  const outcome = await runTask('training', 'Training (resumed)', async (onProgress) => {
    beginStretch();
    return playground().resumeTraining(onEvent, trainingProgress(onProgress), onLive);
  });
  await finish(outcome);
}

export async function saveRun(runId: string, name: string): Promise<void> {
  const info = await runTask('model', `Saving "${name}" in the browser`, () =>
    playground().saveTrainedModel(runId, name),
  );
  if (!info) return;
  // What was saved: the run as it stands now (a resumed run trains on, and may be saved again).
  const samples = useTraining.getState().runs.find((r) => r.id === runId)?.summary.samples ?? 0;
  useTraining.setState((s) => ({ savedRuns: { ...s.savedRuns, [runId]: { name, samples } } }));
  await refreshSavedModels();
}

/** A run's model.json and weights as files to download (the view hands them to the browser); null if it failed. */
export async function runModelFiles(
  runId: string,
  baseName: string,
): Promise<{ blob: Blob; fileName: string }[] | null> {
  const files = await runTask('model', 'Preparing the model files', () => playground().trainedModelFiles(runId));
  if (!files) return null;
  const slug =
    baseName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'model';
  return [
    { blob: new Blob([files.modelJson], { type: 'application/json' }), fileName: `${slug}.json` },
    {
      blob: new Blob([files.weights as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
      fileName: `${slug}.weights.bin`,
    },
  ];
}

export async function refreshSavedModels(): Promise<void> {
  const saved = await playground()
    .listSavedModels()
    .catch(() => []);
  useTraining.setState({ saved });
}

export async function deleteSavedModel(name: string): Promise<void> {
  await runTask('model', `Deleting "${name}"`, () => playground().deleteSavedModel(name));
  await refreshSavedModels();
}

/** Makes a saved model the attack lab's model and re-classifies the current image with it. */
export async function switchToSavedModel(name: string): Promise<void> {
  const summary = await runTask('model', `Loading "${name}"`, () => playground().loadSavedModel(name));
  if (!summary) return;
  useAppStore.setState({ model: summary });
  useAttackLab.setState({ outcome: null, sweep: null });
  if (await followModelDataset(summary)) return; // an MNIST model while CIFAR-10 is on: back to digits
  await runTask('image', 'Classifying with the new model', repredictImage);
}

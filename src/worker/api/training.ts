/** The training lab: up to three models trained side by side, stopped, resumed, downloaded or saved. */
import type { DatasetName } from '../../core/data/dataset';
import type { Architecture } from '../../core/models/architectures';
import type { BuildOptions } from '../../core/models/registry';
import type { CertifiedProbeSpec, DefenseSpec, RobustProbeSpec } from '../../core/train/trainingRun';
import type { RecipeOverrides } from '../../core/train/recipes';
import type { TrainReport, TrainSummary } from '../../core/train/trainerConfig';
import type { BufferGrid } from '../../core/train/jem/bufferGrid';
import type { Progress } from '../../core/util/progress';
import type { SavedModelInfo } from './model';

/** One model of a training-lab comparison. */
export interface TrainingRunSpec {
  /** Tells the runs apart in events ("A", "B", "C"). */
  id: string;
  /** Shown in legends, e.g. "ODENet (classroom)". */
  label: string;
  arch: Architecture;
  build: Omit<BuildOptions, 'seed'>;
  /** Changes to the architecture's default recipe (src/core/train/recipes.ts). */
  recipe?: RecipeOverrides;
  /** A defense the run trains with; standard training when absent. */
  defense?: DefenseSpec;
}

/** A run's defense and the comparison's probes, as the core's training run defines them. */
export type {
  CertifiedProbeSpec,
  DefenseSpec as RunDefense,
  RobustProbeSpec,
} from '../../core/train/trainingRun';

export interface TrainingSpec {
  /** The data the models train on (MNIST by default; CIFAR-10 once the user has given its files). */
  dataset?: DatasetName;
  runs: TrainingRunSpec[];
  epochs: number;
  /** One seed for all runs: initialisation, data order and augmentation. */
  seed: number;
  /** The first N images of the training split. */
  trainExamples: number;
  /** The first N test images give the live held-out accuracy. */
  heldOutExamples: number;
  /** Interleaved: one batch of each model in turn, so the curves grow together. */
  schedule: 'interleaved' | 'sequential';
  /** A report (a point on every curve) every this many batches of a run. */
  reportEvery: number;
  /** The robust-accuracy curve; none when absent. */
  robustProbe?: RobustProbeSpec;
  /** The certified-accuracy curve; none when absent. */
  certifiedProbe?: CertifiedProbeSpec;
}

export interface TrainingEvent {
  runId: string;
  report: TrainReport;
}

/** A JEM run's live replay-buffer grid (core/train/jem/bufferGrid.ts), posted at most about once a second. */
export interface TrainingSampleGrid extends BufferGrid {
  runId: string;
  /** Training examples the run had seen when the grid was taken. */
  samples: number;
}

/** What a run tells the page besides its curve points: a JEM run's buffer grid, or that the run diverged. */
export type TrainingLiveEvent =
  | ({ kind: 'samples' } & TrainingSampleGrid)
  | { kind: 'diverged'; runId: string; label: string; message: string };

export interface TrainingRunStatus {
  id: string;
  label: string;
  state: 'waiting' | 'training' | 'stopped' | 'finished' | 'diverged';
  /** Why a run diverged. */
  message?: string;
  description: string;
  parameters: number;
  summary: TrainSummary;
}

export interface TrainingOutcome {
  state: 'finished' | 'stopped';
  runs: TrainingRunStatus[];
}

export interface TrainingApi {
  /**
   * Builds the models of a comparison and trains them; resolves 'stopped' after cancel(). JEM runs also post their
   * replay buffer's grid, and a run that diverges says so at once, to `onLive`.
   */
  startTraining(
    spec: TrainingSpec,
    onEvent: (e: TrainingEvent) => void,
    onProgress?: (p: Progress) => void,
    onLive?: (e: TrainingLiveEvent) => void,
  ): Promise<TrainingOutcome>;
  /** Continues a stopped comparison where it stopped. */
  resumeTraining(
    onEvent: (e: TrainingEvent) => void,
    onProgress?: (p: Progress) => void,
    onLive?: (e: TrainingLiveEvent) => void,
  ): Promise<TrainingOutcome>;
  /** A trained (or partly trained) model as model.json text + weights, for a download. */
  trainedModelFiles(runId: string): Promise<{ modelJson: string; weights: Uint8Array }>;
  /** Keeps a trained model in the browser (IndexedDB) under `name`, after checking the copy read back. */
  saveTrainedModel(runId: string, name: string): Promise<SavedModelInfo>;
}

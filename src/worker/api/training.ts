/** The training lab: up to three models trained side by side, stopped, resumed, downloaded or saved. */
import type { DatasetName } from '../../core/data/dataset';
import type { Architecture } from '../../core/models/architectures';
import type { BuildOptions } from '../../core/models/registry';
import type {
  AdversarialTrainingConfig,
  CertifiedTrainingConfig,
  NoiseTrainingConfig,
} from '../../core/train/defenseNames';
import type { RecipeOverrides } from '../../core/train/recipes';
import type { TrainReport, TrainSummary } from '../../core/train/trainer';
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
  defense?: RunDefense;
}

/**
 * How a training-lab run defends itself: adversarial training, certified training (IBP or CROWN-IBP with Gowal et
 * al.'s ε and κ schedules), or Gaussian noise for randomized smoothing.
 */
export type RunDefense =
  | { kind: 'adversarial'; config: AdversarialTrainingConfig }
  | ({ kind: 'certified' } & CertifiedTrainingConfig)
  | ({ kind: 'noise' } & NoiseTrainingConfig);

/** IBP-certified accuracy on held-out images at every report, for every run (the certified-accuracy curve). */
export interface CertifiedProbeSpec {
  /** Test images (from the end of the test split, as the robust probe's). */
  examples: number;
  /** L∞ radius. */
  eps: number;
}

/** PGD accuracy on held-out images at every report, for every run of a comparison (the robust-accuracy curve). */
export interface RobustProbeSpec {
  /** Test images (from the end of the test split, apart from the held-out accuracy's first ones). */
  examples: number;
  /** L∞ budget. */
  eps: number;
  /** PGD steps. */
  steps: number;
  /** Stop a run whose robust accuracy collapses (catastrophic overfitting) and restore its best weights. */
  stopOnCollapse?: boolean;
}

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
  /** Builds the models of a comparison and trains them; resolves 'stopped' after cancel(). */
  startTraining(
    spec: TrainingSpec,
    onEvent: (e: TrainingEvent) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<TrainingOutcome>;
  /** Continues a stopped comparison where it stopped. */
  resumeTraining(onEvent: (e: TrainingEvent) => void, onProgress?: (p: Progress) => void): Promise<TrainingOutcome>;
  /** A trained (or partly trained) model as model.json text + weights, for a download. */
  trainedModelFiles(runId: string): Promise<{ modelJson: string; weights: Uint8Array }>;
  /** Keeps a trained model in the browser (IndexedDB) under `name`, after checking the copy read back. */
  saveTrainedModel(runId: string, name: string): Promise<SavedModelInfo>;
}

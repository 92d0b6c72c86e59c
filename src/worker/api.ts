/**
 * The one typed interface between the UI and the worker that hosts the core. The UI holds a
 * Comlink proxy of `PlaygroundApi`; callbacks (progress) cross as Comlink proxies. Images cross
 * as Float32Arrays of height × width × channels values in [0,1], row-major, channels last.
 */
import type { ReferenceArchitecture } from '../core/bench/referenceArchitectures';
import type { ReferenceFigures } from '../core/bench/referenceSuite';
import type { BackendName } from '../core/backend/backends';
import type { AttackOptions, ResolvedAttackOptions } from '../core/attacks/types';
import type { ModelMeta } from '../core/models/modelMeta';
import type { Progress } from '../core/util/progress';
import type { PreprocessResult } from '../core/image/mnistPreprocess';
import type { ColourPreprocessResult } from '../core/image/colourPreprocess';
import type { DatasetName, Split } from '../core/data/dataset';
import type { Architecture, BuildOptions } from '../core/models/registry';
import type { RecipeOverrides } from '../core/train/recipes';
import type { TrainReport, TrainSummary } from '../core/train/trainer';
import type { SweepAttack, SweepSummary } from '../core/eval/robustnessSweep';
import type { SanityCheck } from '../core/eval/sanityChecks';
import type { CalibrationReport } from '../core/metrics/temperatureScaling';
import type { EnergyAnalysisResult, OodSource } from '../core/eval/energyAnalysis';
import type { MarginAnalysisResult } from '../core/eval/marginAnalysis';
import type { MlpSweepRow, ProbeTraining, StabilityCurve } from '../core/eval/stabilityAnalysis';
import type { StabilityForm } from '../core/metrics/stability';
import type { Initialisation } from '../core/models/layers/exactNormal';

export type BackendChoice = BackendName | 'auto';

export interface BackendReport {
  /** The backend tfjs runs on now. */
  name: BackendName;
  /** Why this one: shown in the status line, e.g. "WebGPU adapter is software (SwiftShader); wasm is faster". */
  reason: string;
  /** The WebGPU adapter's description, when one was found. */
  adapter?: string;
  /** Backends the worker tried and could not start, with why. */
  unavailable: { name: BackendName; why: string }[];
}

export interface ModelSummary {
  /** Where it came from: a URL or "file:<name>". */
  source: string;
  meta: ModelMeta;
  parameters: number;
  loadMs: number;
}

export interface GalleryItem {
  /** Index in the test split. */
  index: number;
  label: number;
  pixels: Float32Array;
  /** The shape of `pixels` (28×28×1 for MNIST, 32×32×3 for CIFAR-10). */
  height: number;
  width: number;
  channels: number;
}

/**
 * Where CIFAR-10 comes from: files the user chose (the archive, or its .bin files), or an address serving the archive.
 */
export type Cifar10Source = { kind: 'files'; files: { name: string; data: Blob }[] } | { kind: 'url'; url: string };

/** What this browser holds of CIFAR-10 (IndexedDB), known without reading the images. */
export interface Cifar10Stored {
  classNames: string[];
  counts: Partial<Record<Split, number>>;
  /** Bytes of images and labels stored. */
  bytes: number;
  /** The file names or the address it was read from. */
  source: string;
  savedAt: string;
  /** False when the browser refused to store it (full, private mode): it works for this visit only. */
  persisted: boolean;
  notPersistedBecause?: string;
}

export interface Prediction {
  probabilities: number[];
  /** argmax of probabilities */
  label: number;
}

export interface AttackRequest {
  /** h × w × c values in [0,1]. */
  image: Float32Array;
  /** The true label, or the model's clean prediction when it is unknown (a dropped photo). */
  label: number;
  options: AttackOptions;
}

export interface AttackOutcome {
  original: Prediction;
  adversarial: Prediction;
  adversarialImage: Float32Array;
  /** adversarialImage − image. */
  perturbation: Float32Array;
  linf: number;
  l2: number;
  /** Untargeted: prediction ≠ label. Targeted: prediction = target. */
  success: boolean;
  /** The class aimed at, for targeted attacks. */
  target?: number;
  /** Every parameter that ran, defaults filled in. */
  options: ResolvedAttackOptions;
  ms: number;
  /** The tfjs backend the attack actually ran on. */
  backend: string;
}

/** What "Benchmark this device" measures (same code as `npm run bench` in Node). */
export interface DeviceBenchmark {
  backend: string;
  batch: number;
  fgsmImagesPerSecond: number;
  pgd20ImagesPerSecond: number;
  fgsmSingleImageMs: number;
  /** Fetching and building the current model again, ms. */
  modelLoadMs: number;
  /** Adam steps of a fresh MNIST CNN on test images (batch 128), samples/s. */
  trainingSamplesPerSecond: number;
  /** The same for every architecture at classroom size, samples/s. */
  trainingByArchitecture: Record<string, number>;
}

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

export interface SavedModelInfo {
  name: string;
  meta: ModelMeta;
  parameters: number;
  savedAt: string;
  bytes: number;
  /** Read back from storage right after saving and compared with the trained model. */
  readBack?: { images: number; maxLogitDifference: number };
}

/** A model for the analysis view: shipped (served) or saved in this browser. */
export interface AnalysisModel {
  /** Shown in legends and tables; distinct within a request. */
  name: string;
  ref: { kind: 'shipped'; url: string } | { kind: 'saved'; name: string };
}

export interface RobustnessRequest {
  models: AnalysisModel[];
  /** One attack and its own ε grid (σ in pixel units for Gaussian noise) per group. */
  groups: { attack: SweepAttack; eps: number[] }[];
  /** The first N test images. */
  images: number;
  seeds: number[];
}

export interface RobustnessResult {
  n: number;
  clean: { model: string; accuracy: number }[];
  summary: SweepSummary[];
  /** Carlini et al.'s sanity checks the numbers allow. */
  checks: SanityCheck[];
  seconds: number;
}

export interface CalibrationRequest {
  models: AnalysisModel[];
  images: number;
  bins: number;
}

export interface CalibrationResult {
  name: string;
  /** T fitted on one half of the images, reliability before/after on the other half. */
  report: CalibrationReport;
}

/** JEM energy score of test images against out-of-distribution sets, per model. */
export interface EnergyRequest {
  models: AnalysisModel[];
  /** The first N test images (and as many noise, inverted and adversarial images). */
  images: number;
  sources: OodSource[];
  /** ε of the PGD-10 L∞ adversarial set. */
  adversarialEps: number;
  /** The user's images, preprocessed for the active data set, n × h × w × c. */
  userImages?: Float32Array;
}

export interface EnergyResult {
  name: string;
  result: EnergyAnalysisResult;
}

/** Margins panel: logit margins, certified radii and DeepFool / PGD distances per model. */
export interface MarginsRequest {
  models: AnalysisModel[];
  /** The first N test images (margins, adversarial margins). */
  images: number;
  /** DeepFool (and PGD bisection) on the first M of them. */
  deepFoolImages: number;
  /** ε of the adversarial margins (PGD-20, L∞). */
  eps: number;
  /** Also the L∞ distance by PGD bisection on ε. */
  pgdDistance: boolean;
}

export interface MarginsResult {
  name: string;
  result: MarginAnalysisResult;
}

/** Stability panel: perturbation stability against the L2 radius ε per model. */
export interface StabilityRequest {
  models: AnalysisModel[];
  images: number;
  eps: number[];
  form: StabilityForm;
  samples: number;
}

export interface StabilityResult {
  name: string;
  curve: StabilityCurve;
}

/** The MLP width × depth × initialisation sweep at one ε, on the first N test images. */
export interface StabilitySweepRequest {
  widths: number[];
  depths: number[];
  inits: Initialisation[];
  eps: number;
  images: number;
  samples: number;
  form?: StabilityForm;
  /** Train each network briefly first (plain SGD) to measure the lazy-training ratio; false: freshly initialised. */
  train?: boolean;
}

/** One finished configuration of the sweep, streamed as it finishes. */
export interface StabilitySweepPoint extends MlpSweepRow {
  /** ‖θ − θ₀‖/‖θ₀‖ after the probe training; null when untrained. */
  lazyTrainingRatio: number | null;
  seconds: number;
  index: number;
  total: number;
}

export interface StabilitySweepResult {
  /** What the networks went through before being measured; null: freshly initialised. */
  training: (ProbeTraining & { data: string }) | null;
  form: StabilityForm;
  label: string;
  points: StabilitySweepPoint[];
  seconds: number;
}

export interface MemoryReport {
  numTensors: number;
  numBytes: number;
}

export interface PlaygroundApi {
  /**
   * Starts tfjs: `auto` picks per chooseBackend's rules. `wasmBase` is the URL prefix of the .wasm files.
   * `onBackendChange` fires when the worker switches backend on its own (lost GPU device).
   */
  init(choice: BackendChoice, wasmBase: string, onBackendChange?: (r: BackendReport) => void): Promise<BackendReport>;
  /** Switches backend (user override or after a lost GPU device). Loaded models carry over. */
  setBackend(choice: BackendChoice): Promise<BackendReport>;
  /**
   * Destroys the WebGPU device, as a driver reset would; the worker falls back and reports it through init's callback.
   */
  simulateDeviceLoss(): Promise<void>;
  /** Fetches (or reads from the browser cache) the MNIST test split. */
  loadTestSet(baseUrl: string, onProgress?: (p: Progress) => void): Promise<{ count: number; fromCache: boolean }>;
  /** Test images, optionally of one class only, `limit` from `offset` within that selection. */
  gallery(query: {
    classFilter?: number;
    offset: number;
    limit: number;
    dataset?: DatasetName;
  }): Promise<GalleryItem[]>;
  /** What CIFAR-10 data this browser has stored, or null; reads no images. */
  cifar10Stored(): Promise<Cifar10Stored | null>;
  /** Makes the stored CIFAR-10 test split the one `gallery({ dataset: 'cifar10' })` shows; null when none is stored. */
  loadCifar10(): Promise<Cifar10Stored | null>;
  /**
   * Reads CIFAR-10 (archive streamed, or .bin files, or an address), stores it in the browser and loads its test split;
   * cancellable.
   */
  importCifar10(source: Cifar10Source, onProgress?: (p: Progress) => void): Promise<Cifar10Stored>;
  /** Deletes the stored CIFAR-10 data and drops it from memory. */
  forgetCifar10(): Promise<void>;
  /** Loads a model served at `url` (a model.json). Replaces the current one. */
  loadModel(url: string): Promise<ModelSummary>;
  /** Loads a model from dropped files: model.json text and the weights file. */
  loadModelFiles(modelJson: string, weights: Uint8Array, name: string): Promise<ModelSummary>;
  predict(image: Float32Array): Promise<Prediction>;
  /** Turns decoded RGBA pixels of any size into the model's input (MNIST convention). */
  preprocess(rgba: Uint8ClampedArray, width: number, height: number): Promise<PreprocessResult>;
  /**
   * Turns decoded RGBA pixels of any size into a colour model's side × side × 3 input (short side scaled, centre crop).
   */
  preprocessColour(
    rgba: Uint8ClampedArray,
    width: number,
    height: number,
    side: number,
  ): Promise<ColourPreprocessResult>;
  attack(request: AttackRequest, onProgress?: (p: Progress) => void): Promise<AttackOutcome>;
  /** Attacks at each ε of `epsValues` (same other options): the data behind the ε scrubber. */
  attackSweep(
    request: AttackRequest,
    epsValues: number[],
    onProgress?: (p: Progress) => void,
  ): Promise<AttackOutcome[]>;
  /** Measures attack and training throughput on the current backend with the loaded model. */
  benchmark(onProgress?: (p: Progress) => void): Promise<DeviceBenchmark>;
  /** The side-by-side suite of the native PyTorch reference (`npm run bench -- --suite reference`). */
  benchmarkReference(
    archs: ReferenceArchitecture[],
    onProgress?: (p: Progress) => void,
  ): Promise<{ reference: ReferenceFigures[] }>;
  /** Fetches (or reads from the browser cache) the MNIST training split: 47 MB the first time. */
  loadTrainingSet(baseUrl: string, onProgress?: (p: Progress) => void): Promise<{ count: number; fromCache: boolean }>;
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
  /** Keeps a trained model in the browser (IndexedDB) under `name`. */
  saveTrainedModel(runId: string, name: string): Promise<SavedModelInfo>;
  listSavedModels(): Promise<SavedModelInfo[]>;
  /** Makes a saved model the current model (attack lab). */
  loadSavedModel(name: string): Promise<ModelSummary>;
  deleteSavedModel(name: string): Promise<void>;
  /** Accuracy against ε for each model and attack group; summaries stream in as they finish. */
  evaluateRobustness(
    req: RobustnessRequest,
    onSummary: (s: SweepSummary) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<RobustnessResult>;
  /** Reliability diagrams, ECE/MCE and temperature scaling per model. */
  calibrate(req: CalibrationRequest, onProgress?: (p: Progress) => void): Promise<CalibrationResult[]>;
  /** Energy-score histograms and AUROCs, test images against noise, inverted, adversarial and the user's images. */
  analyseEnergy(req: EnergyRequest, onProgress?: (p: Progress) => void): Promise<EnergyResult[]>;
  /**
   * Clean and adversarial logit margins, normalised margin, Lipschitz-certified radii, DeepFool and PGD distances per
   * model.
   */
  analyseMargins(req: MarginsRequest, onProgress?: (p: Progress) => void): Promise<MarginsResult[]>;
  /** Perturbation stability against ε per model (Monte Carlo and, for the first-order squared form, closed form). */
  analyseStability(req: StabilityRequest, onProgress?: (p: Progress) => void): Promise<StabilityResult[]>;
  /** Stability of MLPs over width × depth × initialisation; each configuration streams in as it finishes. */
  stabilitySweep(
    req: StabilitySweepRequest,
    onPoint: (p: StabilitySweepPoint) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<StabilitySweepResult>;
  /** Asks the running long task to stop; it rejects with a CancelledError message (training resolves 'stopped'). */
  cancel(): void;
  memory(): Promise<MemoryReport>;
}

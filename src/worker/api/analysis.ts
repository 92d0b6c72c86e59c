/**
 * The analysis view: robustness sweeps, calibration, energy, margins and stability over up to three
 * models at once (shipped or saved in this browser), on the first N test images.
 */
import type { EnergyAnalysisResult } from '../../core/eval/energyAnalysis';
import type { OodSource } from '../../core/eval/oodSources';
import type { MarginAnalysisResult } from '../../core/eval/marginAnalysis';
import type { SweepAttack, SweepSummary } from '../../core/eval/robustnessSweep';
import type { SanityCheck } from '../../core/eval/sanityChecks';
import type { MlpSweepRow, ProbeTraining, StabilityCurve } from '../../core/eval/stabilityAnalysis';
import type { CalibrationReport } from '../../core/metrics/temperatureScaling';
import type { StabilityForm } from '../../core/metrics/stabilityForms';
import type { BatchNormRoute } from '../../core/models/layers/batchNorm';
import type { Initialisation } from '../../core/models/layers/initialisations';
import type { Progress } from '../../core/util/progress';

/** A model for the analysis view: shipped (served) or saved in this browser. */
export interface AnalysisModel {
  /** Shown in legends and tables; distinct within a request. */
  name: string;
  ref: { kind: 'shipped'; url: string } | { kind: 'saved'; name: string };
  /** The batch norm set a model with split batch norm evaluates with (ignored by every other model). */
  bn?: BatchNormRoute;
}

export interface RobustnessRequest {
  models: AnalysisModel[];
  /** One attack and its own ε grid (σ in pixel units for Gaussian noise) per group. */
  groups: { attack: SweepAttack; eps: number[] }[];
  /** The first N test images. */
  images: number;
  seeds: number[];
  /** JEM's refinement: K SGLD steps before classifying, averaged over S noise draws; none when absent or K = 0. */
  refinement?: { steps: number; draws: number };
}

/** The analysis view's accuracy-against-ε curves of several models (core's RobustnessResult: one model, one threat). */
export interface RobustnessCurvesResult {
  n: number;
  clean: { model: string; accuracy: number }[];
  summary: SweepSummary[];
  /** Carlini et al.'s sanity checks the numbers allow. */
  checks: SanityCheck[];
  seconds: number;
  /** The refinement the models ran with (steps and step sizes in input units), when any. */
  refinement?: { steps: number; draws: number };
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
  /** The first-order squared form unless given. */
  form?: StabilityForm;
  /** Train each network briefly first (plain SGD) to measure the lazy-training ratio; false: freshly initialised. */
  train: boolean;
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

export interface AnalysisApi {
  /** Accuracy against ε for each model and attack group; summaries stream in as they finish. */
  evaluateRobustness(
    req: RobustnessRequest,
    onSummary: (s: SweepSummary) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<RobustnessCurvesResult>;
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
}

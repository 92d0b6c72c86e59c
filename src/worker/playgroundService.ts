/**
 * The worker side of PlaygroundApi: owns the tfjs backend, the loaded model and the test set,
 * and runs every model computation off the UI thread. Long tasks poll `cancelRequested`.
 */
import * as tf from '@tensorflow/tfjs';
import { disposeAttackRun, runAttack } from '../core/attacks/runAttack';
import { BENCH_BATCH, benchmarkAttacks } from '../core/bench/attackBenchmark';
import { benchmarkArchitectures } from '../core/bench/architectureBenchmark';
import {
  benchmarkReferenceSuite,
  parseReferenceArchitectures,
  type ReferenceArchitecture,
  type ReferenceFigures,
} from '../core/bench/referenceSuite';
import { benchmarkTraining } from '../core/bench/trainingBenchmark';
import { buildMnistCnn } from '../core/models/mnistCnn';
import type { DatasetName, ImageDataset } from '../core/data/dataset';
import { preprocessColour, type ColourPreprocessResult } from '../core/image/colourPreprocess';
import { exampleAsFloat } from '../core/data/dataset';
import { preprocessMnist, type PreprocessResult } from '../core/image/mnistPreprocess';
import { predictProbabilities, type Classifier } from '../core/models/classifier';
import { classifierFromFiles, type ModelFiles } from '../core/models/modelIO';
import { ModelFormatError, PlaygroundError } from '../core/util/errors';
import type { LongTask, Progress } from '../core/util/progress';
import type {
  AttackOutcome,
  AttackRequest,
  Cifar10Source,
  Cifar10Stored,
  CalibrationRequest,
  CalibrationResult,
  EnergyRequest,
  EnergyResult,
  MarginsRequest,
  MarginsResult,
  StabilityRequest,
  StabilityResult,
  StabilitySweepPoint,
  StabilitySweepRequest,
  StabilitySweepResult,
  RobustnessRequest,
  RobustnessResult,
  SavedModelInfo,
  TrainingEvent,
  TrainingOutcome,
  TrainingSpec,
  BackendChoice,
  BackendReport,
  DeviceBenchmark,
  GalleryItem,
  MemoryReport,
  ModelSummary,
  PlaygroundApi,
  Prediction,
} from './api';
import type { SweepSummary } from '../core/eval/robustnessSweep';
import { BackendSession } from './backendSession';
import {
  analyseEnergy,
  analyseMargins,
  analyseStability,
  calibrate,
  evaluateRobustness,
  fetchModelFiles,
  stabilitySweep,
} from './analysis';
import * as cifar10Store from './cifar10Store';
import { loadMnistSplit } from './mnistSplits';
import * as savedModels from './savedModels';
import { TrainingLab } from './trainingLab';

/** Same weights on the same backend give the same logits; anything beyond float noise is a broken copy. */
const SAVED_COPY_TOLERANCE = 1e-4;

export class PlaygroundService implements PlaygroundApi {
  private readonly backends = new BackendSession();
  private testSet: ImageDataset | undefined;
  /** CIFAR-10's test split, once read from the browser's storage or imported. */
  private cifar10Test: ImageDataset | undefined;
  /** Read from IndexedDB the first time the training lab needs it. */
  private cifar10Train: ImageDataset | undefined;
  private trainSet: ImageDataset | undefined;
  private readonly trainingLab = new TrainingLab();
  private classifier: Classifier | undefined;
  /** The files of the loaded model, kept so it can be rebuilt on another backend. */
  private modelFiles: { files: ModelFiles; source: string } | undefined;
  private cancelRequested = false;

  async init(
    choice: BackendChoice,
    wasmBase: string,
    onBackendChange?: (r: BackendReport) => void,
  ): Promise<BackendReport> {
    this.backends.configure(wasmBase, async (report) => {
      await this.rebuildModel();
      onBackendChange?.(report);
    });
    return this.backends.select(choice);
  }

  async setBackend(choice: BackendChoice): Promise<BackendReport> {
    const report = await this.backends.select(choice);
    await this.rebuildModel();
    return report;
  }

  async simulateDeviceLoss(): Promise<void> {
    this.backends.loseDevice();
  }

  async loadTestSet(baseUrl: string, onProgress?: (p: Progress) => void) {
    const { dataset, fromCache } = await loadMnistSplit('test', baseUrl, onProgress);
    this.testSet = dataset;
    return { count: dataset.count, fromCache };
  }

  async loadTrainingSet(baseUrl: string, onProgress?: (p: Progress) => void) {
    if (this.trainSet) return { count: this.trainSet.count, fromCache: true };
    const { dataset, fromCache } = await loadMnistSplit('train', baseUrl, onProgress);
    this.trainSet = dataset;
    return { count: dataset.count, fromCache };
  }

  async startTraining(
    spec: TrainingSpec,
    onEvent: (e: TrainingEvent) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<TrainingOutcome> {
    if ((spec.dataset ?? 'mnist') === 'cifar10') {
      this.cifar10Train ??= await cifar10Store.loadStoredSplit('train');
      if (!this.cifar10Train)
        throw new PlaygroundError(
          'No CIFAR-10 training images are stored: give the CIFAR-10 files first (choose CIFAR-10 in the header).',
        );
      this.trainingLab.setUp(spec, this.cifar10Train, this.testSetOf('cifar10'));
    } else {
      if (!this.trainSet) throw new PlaygroundError('The MNIST training set is not loaded yet.');
      this.trainingLab.setUp(spec, this.trainSet, this.requireTestSet());
    }
    return this.resumeTraining(onEvent, onProgress);
  }

  async resumeTraining(
    onEvent: (e: TrainingEvent) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<TrainingOutcome> {
    this.cancelRequested = false;
    return this.trainingLab.run(
      onEvent,
      (p) => onProgress?.(p),
      () => this.cancelRequested,
    );
  }

  async trainedModelFiles(runId: string) {
    return (await this.trainingLab.files(runId)).files;
  }

  async saveTrainedModel(runId: string, name: string): Promise<SavedModelInfo> {
    const { files, meta, parameters } = await this.trainingLab.files(runId);
    await savedModels.saveModel(name, files, meta, parameters);
    // Read the copy back from IndexedDB and make sure it is the model that was trained.
    const check = await this.trainingLab.checkSavedCopy(runId, await savedModels.savedModelFiles(name));
    if (!check.samePredictions || !(check.maxLogitDifference <= SAVED_COPY_TOLERANCE)) {
      await savedModels.deleteSavedModel(name);
      throw new PlaygroundError(
        `The copy of "${name}" read back from the browser's storage does not match the trained model (largest ` +
          `logit difference ${check.maxLogitDifference}); it was not kept.`,
      );
    }
    return savedModels.recordReadBack(name, { images: check.images, maxLogitDifference: check.maxLogitDifference });
  }

  listSavedModels(): Promise<SavedModelInfo[]> {
    return savedModels.listSavedModels();
  }

  async loadSavedModel(name: string): Promise<ModelSummary> {
    return this.installModel(await savedModels.savedModelFiles(name), `saved:${name}`, performance.now());
  }

  deleteSavedModel(name: string): Promise<void> {
    return savedModels.deleteSavedModel(name);
  }

  async gallery(query: {
    classFilter?: number;
    offset: number;
    limit: number;
    dataset?: DatasetName;
  }): Promise<GalleryItem[]> {
    const ds = this.testSetOf(query.dataset ?? 'mnist');
    const items: GalleryItem[] = [];
    let seen = 0;
    for (let i = 0; i < ds.count && items.length < query.limit; i++) {
      if (query.classFilter !== undefined && ds.labels[i] !== query.classFilter) continue;
      if (seen++ < query.offset) continue;
      items.push({
        index: i,
        label: ds.labels[i],
        pixels: exampleAsFloat(ds, i),
        height: ds.height,
        width: ds.width,
        channels: ds.channels,
      });
    }
    return items;
  }

  cifar10Stored(): Promise<Cifar10Stored | null> {
    return cifar10Store.storedCifar10();
  }

  async loadCifar10(): Promise<Cifar10Stored | null> {
    const stored = await cifar10Store.storedCifar10();
    if (!stored) return null;
    if (!this.cifar10Test) {
      const test = await cifar10Store.loadStoredSplit('test');
      if (!test) {
        await cifar10Store.forgetCifar10();
        return null;
      }
      this.cifar10Test = test;
    }
    return stored;
  }

  async importCifar10(source: Cifar10Source, onProgress?: (p: Progress) => void): Promise<Cifar10Stored> {
    this.cancelRequested = false;
    const { test, stored } = await cifar10Store.importCifar10(source, {
      onProgress,
      isCancelled: () => this.cancelRequested,
    });
    this.cifar10Test = test;
    this.cifar10Train = undefined; // new files: read the new training split when it is needed
    return stored;
  }

  async forgetCifar10(): Promise<void> {
    this.cifar10Test = undefined;
    this.cifar10Train = undefined;
    await cifar10Store.forgetCifar10();
  }

  async loadModel(url: string): Promise<ModelSummary> {
    const started = performance.now();
    return this.installModel(await fetchModelFiles(url), url, started);
  }

  async evaluateRobustness(
    req: RobustnessRequest,
    onSummary: (s: SweepSummary) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<RobustnessResult> {
    this.cancelRequested = false;
    return evaluateRobustness(req, this.requireTestSet(), onSummary, {
      onProgress,
      isCancelled: () => this.cancelRequested,
    });
  }

  async calibrate(req: CalibrationRequest, onProgress?: (p: Progress) => void): Promise<CalibrationResult[]> {
    this.cancelRequested = false;
    return calibrate(req, this.requireTestSet(), { onProgress, isCancelled: () => this.cancelRequested });
  }

  async analyseEnergy(req: EnergyRequest, onProgress?: (p: Progress) => void): Promise<EnergyResult[]> {
    this.cancelRequested = false;
    return analyseEnergy(req, this.requireTestSet(), { onProgress, isCancelled: () => this.cancelRequested });
  }

  async analyseMargins(req: MarginsRequest, onProgress?: (p: Progress) => void): Promise<MarginsResult[]> {
    this.cancelRequested = false;
    return analyseMargins(req, this.requireTestSet(), { onProgress, isCancelled: () => this.cancelRequested });
  }

  async analyseStability(req: StabilityRequest, onProgress?: (p: Progress) => void): Promise<StabilityResult[]> {
    this.cancelRequested = false;
    return analyseStability(req, this.requireTestSet(), { onProgress, isCancelled: () => this.cancelRequested });
  }

  async stabilitySweep(
    req: StabilitySweepRequest,
    onPoint: (p: StabilitySweepPoint) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<StabilitySweepResult> {
    this.cancelRequested = false;
    return stabilitySweep(req, this.requireTestSet(), this.trainSet, onPoint, {
      onProgress,
      isCancelled: () => this.cancelRequested,
    });
  }

  async loadModelFiles(modelJson: string, weights: Uint8Array, name: string): Promise<ModelSummary> {
    return this.installModel({ modelJson, weights }, `file:${name}`, performance.now());
  }

  async predict(image: Float32Array): Promise<Prediction> {
    const clf = this.requireModel();
    const x = this.imageTensor(image);
    try {
      return asPrediction((await predictProbabilities(clf, x))[0]);
    } finally {
      x.dispose();
    }
  }

  async preprocess(rgba: Uint8ClampedArray, width: number, height: number): Promise<PreprocessResult> {
    return preprocessMnist(rgba, width, height);
  }

  async preprocessColour(
    rgba: Uint8ClampedArray,
    width: number,
    height: number,
    side: number,
  ): Promise<ColourPreprocessResult> {
    return preprocessColour(rgba, width, height, side);
  }

  async attack(request: AttackRequest, onProgress?: (p: Progress) => void): Promise<AttackOutcome> {
    this.cancelRequested = false;
    return this.attackOnce(request, { onProgress, isCancelled: () => this.cancelRequested });
  }

  async attackSweep(
    request: AttackRequest,
    epsValues: number[],
    onProgress?: (p: Progress) => void,
  ): Promise<AttackOutcome[]> {
    this.cancelRequested = false;
    const outcomes: AttackOutcome[] = [];
    for (let k = 0; k < epsValues.length; k++) {
      outcomes.push(
        await this.attackOnce(
          { ...request, options: { ...request.options, eps: epsValues[k] } },
          {
            isCancelled: () => this.cancelRequested,
            onProgress: (p) =>
              onProgress?.({
                fraction: (k + p.fraction) / epsValues.length,
                message: `ε = ${epsValues[k].toFixed(3)}: ${p.message}`,
              }),
          },
        ),
      );
    }
    return outcomes;
  }

  async benchmark(onProgress?: (p: Progress) => void): Promise<DeviceBenchmark> {
    // Attacks run on the model's own data set; the training measurement always uses MNIST's CNN.
    const ds = this.testSetOf(this.requireModel().meta.dataset);
    const source = this.modelFiles!.source;
    const loadStarted = performance.now();
    if (!source.startsWith('/') && !source.startsWith('http')) await this.rebuildModel();
    else await this.loadModel(source);
    const modelLoadMs = performance.now() - loadStarted;
    const attacks = await benchmarkAttacks(this.requireModel(), ds, BENCH_BATCH, (message) =>
      onProgress?.({ fraction: 0.5, message }),
    );
    onProgress?.({ fraction: 0.9, message: 'training steps' });
    const model = buildMnistCnn(0);
    try {
      const training = await benchmarkTraining(model, this.requireTestSet(), 128, 5);
      // Smaller batches and fewer steps than Node: a software WebGPU adapter takes seconds per step.
      const trainingByArchitecture = await benchmarkArchitectures(this.requireTestSet(), undefined, {
        batchSize: 64,
        steps: 2,
        onStart: (arch) => onProgress?.({ fraction: 0.95, message: `training steps: ${arch}` }),
      });
      return { ...attacks, modelLoadMs, trainingSamplesPerSecond: training.samplesPerSecond, trainingByArchitecture };
    } finally {
      model.dispose();
    }
  }

  async benchmarkReference(
    archs: ReferenceArchitecture[],
    onProgress?: (p: Progress) => void,
  ): Promise<{ reference: ReferenceFigures[] }> {
    const list = parseReferenceArchitectures(archs.join(','));
    const reference = await benchmarkReferenceSuite(list, (arch) =>
      onProgress?.({ fraction: list.indexOf(arch) / list.length, message: `reference suite: ${arch}` }),
    );
    return { reference };
  }

  cancel(): void {
    this.cancelRequested = true;
  }

  async memory(): Promise<MemoryReport> {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }

  private async attackOnce(request: AttackRequest, task: LongTask): Promise<AttackOutcome> {
    const clf = this.requireModel();
    const started = performance.now();
    const x = this.imageTensor(request.image);
    const y = tf.tensor1d([request.label], 'int32');
    try {
      const original = asPrediction((await predictProbabilities(clf, x))[0]);
      const run = await runAttack(clf.logits, x, y, clf.meta.classNames.length, request.options, task);
      try {
        // Asynchronous reads throughout: see predictProbabilities.
        const adversarialImage = (await run.adversarial.data()) as Float32Array;
        const adversarial = asPrediction((await predictProbabilities(clf, run.adversarial))[0]);
        const success = (await run.success.data())[0] === 1;
        const target = run.targets ? (await run.targets.data())[0] : undefined;
        const perturbation = new Float32Array(adversarialImage.length);
        let linf = 0;
        let sq = 0;
        for (let i = 0; i < perturbation.length; i++) {
          const d = adversarialImage[i] - request.image[i];
          perturbation[i] = d;
          linf = Math.max(linf, Math.abs(d));
          sq += d * d;
        }
        return {
          original,
          adversarial,
          adversarialImage: adversarialImage.slice(),
          perturbation,
          linf,
          l2: Math.sqrt(sq),
          success,
          target,
          options: run.options,
          ms: performance.now() - started,
          backend: tf.getBackend(),
        };
      } finally {
        disposeAttackRun(run);
      }
    } finally {
      x.dispose();
      y.dispose();
    }
  }

  private async installModel(files: ModelFiles, source: string, started: number): Promise<ModelSummary> {
    const clf = await classifierFromFiles(files, source);
    this.classifier?.model.dispose();
    this.classifier = clf;
    this.modelFiles = { files, source };
    return {
      source,
      meta: clf.meta,
      parameters: clf.model.countParams(),
      loadMs: performance.now() - started,
    };
  }

  /** After a backend switch the old backend's weights may be gone (lost device): rebuild. */
  private async rebuildModel(): Promise<void> {
    if (!this.modelFiles) return;
    const { files, source } = this.modelFiles;
    await this.installModel(files, source, performance.now());
  }

  private imageTensor(image: Float32Array): tf.Tensor4D {
    const [h, w, c] = this.requireModel().meta.inputShape;
    if (image.length !== h * w * c) {
      throw new ModelFormatError(`The image has ${image.length} values but the model takes ${h}×${w}×${c}.`);
    }
    return tf.tensor4d(image, [1, h, w, c]);
  }

  private requireModel(): Classifier {
    if (!this.classifier) throw new PlaygroundError('No model is loaded yet.');
    return this.classifier;
  }

  private testSetOf(dataset: DatasetName): ImageDataset {
    if (dataset === 'mnist') return this.requireTestSet();
    if (!this.cifar10Test)
      throw new PlaygroundError('The CIFAR-10 test set is not loaded: choose CIFAR-10 and give its files first.');
    return this.cifar10Test;
  }

  private requireTestSet(): ImageDataset {
    if (!this.testSet) throw new PlaygroundError('The MNIST test set is not loaded yet.');
    return this.testSet;
  }
}

function asPrediction(probabilities: number[]): Prediction {
  let label = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[label]) label = i;
  return { probabilities, label };
}

/**
 * What the worker holds between calls — the tfjs backend, the data sets, the attack lab's model
 * and the cancel flag — and the few operations every area needs on it. The areas themselves
 * (attacks.ts, analysis.ts, training.ts, …) take this state and hold no other shared state.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetName, ImageDataset } from '../core/data/dataset';
import type { Classifier } from '../core/models/classifier';
import {
  type BatchNormRoute,
  batchNormRouteOf,
  hasSplitBatchNorm,
  setBatchNormRoute,
} from '../core/models/layers/batchNorm';
import { modelCard } from '../core/models/modelCard';
import { classifierFromFiles, type ModelFiles } from '../core/models/modelIO';
import { InvalidOptionError, ModelFormatError, PlaygroundError } from '../core/util/errors';
import { type LongTask, type Progress, throttleProgress } from '../core/util/progress';
import type { ModelSummary } from './api';
import { BackendSession } from './backendSession';

/** A long task as the areas hand it to the core: progress goes to the caller, cancel() stops it. */
export type WorkerTask = LongTask & { isCancelled: () => boolean };

/**
 * Which part of the app a task belongs to, so that one part can stop its own work without stopping another's
 * (a new picture stops the old picture's attack, not a training run).
 */
export type TaskArea = 'attack' | 'other';

export class WorkerState {
  readonly backends = new BackendSession();
  /** MNIST's test split, once fetched. */
  mnistTest: ImageDataset | undefined;
  /** Its first examples, while the rest downloads: enough for the first gallery page. */
  mnistTestFirst: ImageDataset | undefined;
  /** The test split's download, while it runs (or once it has failed). */
  mnistTestLoading: Promise<ImageDataset> | undefined;
  /** Settles when mnistTestFirst is set or the download has ended, whichever comes first. */
  mnistTestFirstArrived: Promise<unknown> | undefined;
  /** MNIST's training split, fetched when the training lab (or the stability sweep) first needs it. */
  mnistTrain: ImageDataset | undefined;
  /** CIFAR-10's test split, once read from the browser's storage or imported. */
  cifar10Test: ImageDataset | undefined;
  /** Read from IndexedDB the first time the training lab needs it. */
  cifar10Train: ImageDataset | undefined;
  private classifier: Classifier | undefined;
  /** The files of the loaded model, kept so it can be rebuilt on another backend. */
  private modelFiles: { files: ModelFiles; source: string } | undefined;
  /** When the model was loaded or last switched: the load time the summaries report. */
  private modelLoadMs = 0;
  /** Tasks are numbered as they start; a cancel stops every task numbered up to the last one started before it. */
  private tasksStarted = 0;
  private cancelledUpTo: Record<TaskArea | 'all', number> = { all: 0, attack: 0, other: 0 };

  /**
   * Starts a long task: gives the core the caller's progress callback and a view of whether a cancel has reached
   * this task. Each task has its own view: a task started after a cancel is not stopped by it, and starting one never
   * un-cancels another still winding down (the calls of one page interleave at every await).
   */
  startTask(onProgress?: (p: Progress) => void, area: TaskArea = 'other'): WorkerTask {
    const number = ++this.tasksStarted;
    const isCancelled = () => number <= Math.max(this.cancelledUpTo.all, this.cancelledUpTo[area]);
    // Each report crosses to the page as a message: at most one every PROGRESS_INTERVAL_MS keeps its main thread free.
    return { onProgress: onProgress && throttleProgress(onProgress), isCancelled };
  }

  /** Stops every task started so far, or only those of one area. */
  cancel(area: TaskArea | 'all' = 'all'): void {
    this.cancelledUpTo[area] = this.tasksStarted;
  }

  /** Makes a model the current one (disposing the previous) and keeps its files for rebuilding. */
  async installModel(files: ModelFiles, source: string, started: number): Promise<ModelSummary> {
    const clf = await classifierFromFiles(files, source);
    this.classifier?.model.dispose();
    this.classifier = clf;
    this.modelFiles = { files, source };
    this.modelLoadMs = performance.now() - started;
    return this.modelSummary();
  }

  /** The current model as the page sees it, with the batch norm set a split model evaluates with. */
  private modelSummary(): ModelSummary {
    const clf = this.requireModel();
    const split = hasSplitBatchNorm(clf.model);
    return {
      source: this.modelSource(),
      meta: clf.meta,
      parameters: clf.model.countParams(),
      loadMs: this.modelLoadMs,
      card: modelCard(clf.model, clf.meta),
      ...(split ? { batchNorm: batchNormRouteOf(clf.model) } : {}),
    };
  }

  /** BN_clean or BN_adv for the current model's split batch norms (Xie & Yuille 2020, §4). */
  setBatchNormRoute(route: BatchNormRoute): ModelSummary {
    const clf = this.requireModel();
    if (!hasSplitBatchNorm(clf.model)) {
      throw new InvalidOptionError('This model has no split batch norm: only models trained with split BN have two.');
    }
    setBatchNormRoute(clf.model, route);
    return this.modelSummary();
  }

  /** After a backend switch the old backend's weights may be gone (lost device): rebuild, on the same BN set. */
  async rebuildModel(): Promise<void> {
    if (!this.modelFiles) return;
    const { files, source } = this.modelFiles;
    const route = this.classifier ? batchNormRouteOf(this.classifier.model) : undefined;
    await this.installModel(files, source, performance.now());
    if (route !== undefined) this.setBatchNormRoute(route);
  }

  /** Where the current model came from: a URL, "file:<name>" or "saved:<name>". */
  modelSource(): string {
    if (!this.modelFiles) throw new PlaygroundError('No model is loaded yet.');
    return this.modelFiles.source;
  }

  requireModel(): Classifier {
    if (!this.classifier) throw new PlaygroundError('No model is loaded yet.');
    return this.classifier;
  }

  /** One image as a batch of one in the current model's input shape, refused if the size differs. */
  imageTensor(image: Float32Array): tf.Tensor4D {
    const [h, w, c] = this.requireModel().meta.inputShape;
    if (image.length !== h * w * c) {
      throw new ModelFormatError(`The image has ${image.length} values but the model takes ${h}×${w}×${c}.`);
    }
    return tf.tensor4d(image, [1, h, w, c]);
  }

  /** A data set's test split; MNIST's once its download (started by the page) has finished. */
  async testSetOf(dataset: DatasetName): Promise<ImageDataset> {
    if (dataset === 'mnist') return this.requireTestSet();
    if (!this.cifar10Test)
      throw new PlaygroundError('The CIFAR-10 test set is not loaded: choose CIFAR-10 and give its files first.');
    return this.cifar10Test;
  }

  /** MNIST's test split, waiting for its download if it is under way. */
  async requireTestSet(): Promise<ImageDataset> {
    if (this.mnistTest) return this.mnistTest;
    if (this.mnistTestLoading) return this.mnistTestLoading;
    throw new PlaygroundError('The MNIST test set is not loaded yet.');
  }
}

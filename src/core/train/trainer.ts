/**
 * Minibatch training of a classifier with softmax cross-entropy, as a resumable object: `run()`
 * trains until the configured epochs are done or the task asks to stop, and a later `run()`
 * continues where it stopped (same data order, same optimizer state).
 *
 * Seeded: the seed fixes the data order of every epoch and the augmentations (the model's
 * initialisation takes its own seed). Reports every N batches: loss, train accuracy, held-out
 * accuracy, samples/s, ‖θ‖, lazy-training ratio, auxiliary (TisODE steady-state) loss.
 * NaN or Inf in the loss restores the last good weights and throws DivergedError; an objective's own check
 * (afterStep: JEM's divergence) ends the run with the last good weights restored.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors, type ImageDataset } from '../data/dataset';
import { accuracy } from '../metrics/accuracy';
import { logitMargins, normalizedMargin } from '../metrics/margins';
import { lazyRatioOfArrays, normOfArrays } from '../metrics/parameterNorms';
import { odeBlocksOf } from '../models/yanModels';
import { DivergedError } from '../util/errors';
import { yieldToEventLoop, type LongTask } from '../util/progress';
import { seededPermutation } from '../util/random';
import { cropFlipAugment, noiseAugment } from './augment';
import { STANDARD_OBJECTIVE, type StepContext, type TrainingObjective } from './objective';
import { CatastrophicOverfittingDetector, probeCertifiedAccuracy, probeRobustAccuracy } from './robustProbe';
import { type TrainerConfig, type TrainReport, type TrainSummary, validateTrainerConfig } from './trainerConfig';

/** At most this many roll-backs of one epoch; then the epoch is kept, so a run always ends. */
const MAX_ROLLBACKS = 8;

/** Decorrelates the crop/flip draws from the noise draws of the same batch. */
const CROP_FLIP_SEED_SALT = 0x5f3759df;
/** Decorrelates the objective's draws (random starts of adversarial examples) from the augmentations. */
const OBJECTIVE_SEED_SALT = 0x2545f491;

export class Trainer {
  private readonly optimizer: tf.Optimizer;
  private readonly initialWeights: tf.Tensor[];
  /** θ₀ as plain arrays, read once for the lazy-training ratio. */
  private initialValues: ArrayLike<number>[] | undefined;
  private readonly batchesPerEpoch: number;
  private epoch = 0;
  private batchInEpoch = 0;
  private order: Int32Array | null = null;
  private learningRate: number;
  private samples = 0;
  private batches = 0;
  private seconds = 0;
  private finalLoss = NaN;
  private diverged = false;
  private readonly objective: TrainingObjective;
  private readonly collapseDetector = new CatastrophicOverfittingDetector();
  /** Weights at the best robust accuracy so far, kept when a collapse should stop the run. */
  private bestRobustWeights: tf.Tensor[] | null = null;
  private stoppedEarly = false;
  private divergence: TrainSummary['divergence'];
  /** Loss-based schedule: α, the last accepted epoch's mean loss, this epoch's loss so far. */
  private lossBased: {
    alpha: number;
    previousLoss: number | null;
    epochLoss: number;
    epochSamples: number;
    rollbacks: number;
    snapshot: tf.Tensor[] | null;
  } | null = null;

  constructor(
    readonly model: tf.LayersModel,
    private readonly data: ImageDataset,
    readonly config: TrainerConfig,
  ) {
    validateTrainerConfig(config);
    this.objective = config.objective ?? STANDARD_OBJECTIVE;
    this.learningRate = config.optimizer.learningRate;
    this.optimizer =
      config.optimizer.kind === 'adam'
        ? tf.train.adam(this.learningRate)
        : config.optimizer.kind === 'sgd'
          ? tf.train.momentum(this.learningRate, config.optimizer.momentum)
          : tf.train.sgd(this.learningRate);
    this.initialWeights = model.getWeights().map((w) => w.clone());
    this.batchesPerEpoch = Math.ceil(data.count / config.batchSize);
    if (config.optimizer.kind === 'loss-based') {
      this.lossBased = {
        alpha: config.optimizer.learningRate,
        previousLoss: null,
        epochLoss: 0,
        epochSamples: 0,
        rollbacks: 0,
        snapshot: null,
      };
    }
  }

  get finished(): boolean {
    return this.epoch >= this.config.epochs || this.stoppedEarly;
  }

  /** Trains until done (→ 'finished') or until the task asks to stop (→ 'stopped'; resumable). */
  async run(task?: LongTask & { onReport?: (r: TrainReport) => void }): Promise<'finished' | 'stopped'> {
    if (this.diverged) throw new DivergedError('This run diverged; start a new one (with a smaller learning rate).');
    const reportEvery = this.config.reportEvery ?? 50;
    const kernelWeights = this.model.trainableWeights.filter((w) => w.shape.length > 1);
    let lastGood = this.model.getWeights().map((w) => w.clone());
    let window = { loss: 0, correct: 0, aux: 0, samples: 0, start: performance.now() };
    const runStarted = performance.now();
    try {
      while (this.epoch < this.config.epochs && !this.stoppedEarly) {
        // Once per epoch, even when a run stopped right after starting one and is resumed.
        if (this.order === null) await this.startEpoch();
        while (this.batchInEpoch < this.batchesPerEpoch) {
          if (task?.isCancelled?.()) return 'stopped';
          const b = this.batchInEpoch;
          const indices = this.order!.subarray(
            b * this.config.batchSize,
            Math.min(this.data.count, (b + 1) * this.config.batchSize),
          );
          const [lossValue, correct, aux] = await this.step(indices, kernelWeights);
          if (!Number.isFinite(lossValue)) {
            this.model.setWeights(lastGood);
            this.diverged = true;
            throw DivergedError.nonFiniteLoss(lossValue, this.epoch + 1, b + 1);
          }
          const divergence = (await this.objective.afterStep?.()) ?? null;
          if (divergence !== null) {
            this.model.setWeights(lastGood);
            this.stoppedEarly = true;
            this.divergence = { epoch: this.epoch, batch: b, reason: divergence };
            return 'finished';
          }
          this.batchInEpoch++;
          this.batches++;
          this.samples += indices.length;
          this.finalLoss = lossValue;
          if (this.lossBased) {
            this.lossBased.epochLoss += lossValue * indices.length;
            this.lossBased.epochSamples += indices.length;
          }
          window.loss += lossValue * indices.length;
          window.correct += correct;
          window.aux += aux * indices.length;
          window.samples += indices.length;
          const endOfEpoch = this.batchInEpoch === this.batchesPerEpoch;
          if (this.batches % reportEvery === 0 || endOfEpoch) {
            const now = performance.now();
            const report = await this.report(window, now);
            task?.onReport?.(report);
            task?.onProgress?.({
              fraction: report.fraction,
              message:
                `epoch ${this.epoch + 1}/${this.config.epochs}, batch ` +
                `${this.batchInEpoch}/${this.batchesPerEpoch}`,
            });
            for (const w of lastGood) w.dispose();
            lastGood = this.model.getWeights().map((w) => w.clone());
            window = { loss: 0, correct: 0, aux: 0, samples: 0, start: performance.now() };
            if (report.catastrophicOverfitting && this.config.catastrophicOverfitting?.stop && this.bestRobustWeights) {
              // Wong et al.'s early stopping: keep the model from before the collapse.
              this.model.setWeights(this.bestRobustWeights);
              this.stoppedEarly = true;
              return 'finished';
            }
            await yieldToEventLoop();
          }
        }
        this.batchInEpoch = 0;
        this.order = null;
        if (this.lossBased && !this.acceptLossBasedEpoch()) continue; // rolled back: the same epoch again
        this.epoch++;
      }
      return 'finished';
    } finally {
      this.seconds += (performance.now() - runStarted) / 1000;
      for (const w of lastGood) w.dispose();
    }
  }

  summary(): TrainSummary {
    return {
      epochs: this.epoch,
      batches: this.batches,
      samples: this.samples,
      seconds: this.seconds,
      samplesPerSecond: this.samples / Math.max(this.seconds, 1e-9),
      finalLoss: this.finalLoss,
      catastrophicOverfitting: this.collapseDetector.collapse ?? undefined,
      stoppedEarly: this.stoppedEarly || undefined,
      divergence: this.divergence,
    };
  }

  dispose(): void {
    this.optimizer.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose() forgets the learning-rate scalar its SGD base class
    // keeps: one leaked tensor per 'sgd' run without this.
    if (this.optimizer instanceof tf.MomentumOptimizer) (this.optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
    for (const w of this.initialWeights) w.dispose();
    for (const w of this.lossBased?.snapshot ?? []) w.dispose();
    for (const w of this.bestRobustWeights ?? []) w.dispose();
  }

  private setLearningRate(value: number): void {
    this.learningRate = value;
    // Adam reads its `learningRate` field on every step; SGD and momentum (tfjs 4.22) step with a kept scalar −lr
    // that only their setLearningRate() renews, so writing the field alone left their step size unchanged.
    const optimizer = this.optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
    if (typeof optimizer.setLearningRate === 'function') optimizer.setLearningRate(value);
    else optimizer.learningRate = value;
  }

  /** Loss-based schedule, at the end of an epoch: keep it (true) or roll it back (false). */
  private acceptLossBasedEpoch(): boolean {
    const lb = this.lossBased!;
    const loss = lb.epochLoss / Math.max(1, lb.epochSamples);
    lb.epochLoss = 0;
    lb.epochSamples = 0;
    const rose = lb.previousLoss !== null && loss > lb.previousLoss;
    if (rose && lb.rollbacks < MAX_ROLLBACKS) {
      this.model.setWeights(lb.snapshot!);
      lb.alpha /= 2 ** (1 / 10);
      lb.rollbacks++;
      this.setLearningRate(lb.alpha / lb.previousLoss!);
      return false;
    }
    lb.alpha *= 2 ** (1 / 5);
    lb.previousLoss = loss;
    lb.rollbacks = 0;
    this.setLearningRate(lb.alpha / Math.max(loss, 1e-12));
    return true;
  }

  /** Loss-based schedule, at the start of an epoch: the weights to roll back to, and the first step size. */
  private async snapshotForLossBased(): Promise<void> {
    const lb = this.lossBased!;
    for (const w of lb.snapshot ?? []) w.dispose();
    lb.snapshot = this.model.getWeights().map((w) => w.clone());
    if (lb.previousLoss === null && this.batches === 0) {
      // No epoch loss yet: the initial loss on the first batch stands in for it.
      const { x, y } = batchTensors(
        this.data,
        this.order!.subarray(0, Math.min(this.data.count, this.config.batchSize)),
      );
      const initialLoss = tf.tidy(() => {
        const logits = this.model.apply(x, { training: false }) as tf.Tensor2D;
        return tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1]), logits);
      });
      const initial = (await initialLoss.data())[0];
      initialLoss.dispose();
      x.dispose();
      y.dispose();
      this.setLearningRate(lb.alpha / Math.max(initial, 1e-12));
    }
  }

  private async startEpoch(): Promise<void> {
    if (this.config.lrMilestones?.includes(this.epoch) && !(this.lossBased && this.lossBased.rollbacks > 0)) {
      this.setLearningRate(this.learningRate * (this.config.lrDecay ?? 0.1));
    }
    this.order = seededPermutation(this.data.count, this.config.seed * 7919 + this.epoch);
    if (this.lossBased) await this.snapshotForLossBased();
  }

  /**
   * One optimizer step; returns [loss, correct count, auxiliary loss]. Read back asynchronously:
   * WebGPU's synchronous read goes through an OffscreenCanvas and can lose the device.
   */
  private async step(indices: Int32Array, kernelWeights: tf.LayerVariable[]): Promise<[number, number, number]> {
    const { x, y } = batchTensors(this.data, indices);
    const aux = this.config.auxiliaryLoss;
    const useAux = aux !== undefined && aux.weight > 0 && this.epoch >= aux.startEpoch;
    const wd = this.config.weightDecay ?? 0;
    const seed = this.config.seed * 1_000_003 + this.batches;
    const ctx = this.stepContext(seed ^ OBJECTIVE_SEED_SALT);
    const input = tf.tidy(() => {
      const cropped = this.config.cropFlipAugmentation ? cropFlipAugment(x, seed ^ CROP_FLIP_SEED_SALT) : x;
      return this.config.noiseAugmentation ? noiseAugment(cropped, seed) : cropped;
    });
    // Outside the tape and before it: e.g. adversarial examples, crafted with the model in inference mode.
    const prepared = this.objective.prepare ? await this.objective.prepare(this.model, input, y, ctx) : [];
    const stats = tf.tidy(() => {
      let correct: tf.Scalar | undefined;
      let auxValue: tf.Scalar | undefined;
      const loss = this.optimizer.minimize(() => {
        const objective = this.objective.loss(this.model, input, y, prepared, ctx);
        correct = tf.keep(tf.equal(tf.argMax(objective.logits, 1), y).sum().toFloat() as tf.Scalar);
        let total = objective.loss;
        const auxLosses = odeBlocksOf(this.model).flatMap((b) => (b.auxiliaryLoss ? [b.auxiliaryLoss] : []));
        if (auxLosses.length > 0) {
          auxValue = tf.keep(tf.addN(auxLosses) as tf.Scalar);
          if (useAux) total = tf.add(total, tf.mul(auxValue, aux!.weight));
        }
        if (wd > 0) {
          total = tf.add(total, tf.mul(tf.addN(kernelWeights.map((w) => tf.sum(tf.square(w.read())))), wd / 2));
        }
        return total;
      }, true)!;
      const packed = tf.stack([loss, correct!, auxValue ?? tf.scalar(0)]);
      // Kept (to escape minimize's own tidy), so this tidy would not free them.
      correct!.dispose();
      auxValue?.dispose();
      return packed;
    });
    const [lossValue, correct, auxValue] = await stats.data();
    stats.dispose();
    for (const block of odeBlocksOf(this.model)) block.releaseAuxiliaryLoss();
    tf.dispose([x, y, input, ...prepared]);
    return [lossValue, correct, auxValue];
  }

  /** Where the run is, for the objective's schedules and seeds. */
  private stepContext(seed: number): StepContext {
    return {
      epoch: this.epoch,
      epochProgress: this.epoch + this.batchInEpoch / this.batchesPerEpoch,
      epochs: this.config.epochs,
      seed,
    };
  }

  private async report(
    window: { loss: number; correct: number; aux: number; samples: number; start: number },
    now: number,
  ): Promise<TrainReport> {
    const weights = await Promise.all(this.model.getWeights().map((w) => w.data()));
    this.initialValues ??= await Promise.all(this.initialWeights.map((w) => w.data()));
    const heldOut = this.config.heldOut;
    const totalBatches = this.config.epochs * this.batchesPerEpoch;
    const rho = normOfArrays(weights);
    const heldOutAccuracy = heldOut
      ? await accuracy((xb) => this.model.apply(xb, { training: false }) as tf.Tensor2D, heldOut)
      : undefined;
    const trainAccuracy = window.correct / window.samples;
    return {
      epoch: this.epoch,
      batch: this.batchInEpoch,
      batchesPerEpoch: this.batchesPerEpoch,
      fraction: (this.epoch * this.batchesPerEpoch + this.batchInEpoch) / totalBatches,
      loss: window.loss / window.samples,
      trainAccuracy,
      auxiliaryLoss: window.aux !== 0 ? window.aux / window.samples : undefined,
      heldOutAccuracy,
      samplesPerSecond: (window.samples / (now - window.start)) * 1000,
      learningRate: this.learningRate,
      parameterNorm: rho,
      lazyRatio: lazyRatioOfArrays(weights, this.initialValues),
      ...(await this.robustFields(heldOutAccuracy ?? trainAccuracy, trainAccuracy)),
      certifiedAccuracy: this.config.certifiedProbe
        ? await probeCertifiedAccuracy(this.model, this.config.certifiedProbe)
        : undefined,
      schedule: this.objective.schedule?.(this.stepContext(0)),
      normalisedMargin: this.config.marginTracking
        ? normalizedMargin(
            await this.smallestMargin(this.config.marginTracking.subset),
            rho,
            this.config.marginTracking.layers,
          )
        : undefined,
    };
  }

  /** The robust probe's accuracy, and what it says about catastrophic overfitting (weights kept at the best). */
  private async robustFields(
    cleanAccuracy: number,
    trainAccuracy: number,
  ): Promise<Pick<TrainReport, 'robustAccuracy' | 'catastrophicOverfitting'>> {
    const probe = this.config.robustProbe;
    if (!probe) return {};
    const robustAccuracy = await probeRobustAccuracy(this.model, probe);
    // The training accuracy is on the objective's own adversarial examples; it says something once ε is full.
    const schedule = this.objective.schedule?.(this.stepContext(0));
    const fullBudget = schedule?.eps !== undefined && schedule.eps >= (schedule.epsTarget ?? Infinity);
    const seen = this.collapseDetector.observe(
      robustAccuracy,
      cleanAccuracy,
      { epoch: this.epoch, batch: this.batchInEpoch },
      fullBudget ? trainAccuracy : undefined,
    );
    if (seen.best && this.config.catastrophicOverfitting?.stop) {
      for (const w of this.bestRobustWeights ?? []) w.dispose();
      this.bestRobustWeights = this.model.getWeights().map((w) => w.clone());
    }
    return { robustAccuracy, catastrophicOverfitting: seen.collapsed || undefined };
  }

  /** q_min = min_n z_{y_n} − max_{j≠y_n} z_j over `data`, in batches. */
  private async smallestMargin(data: ImageDataset): Promise<number> {
    let qMin = Infinity;
    for (let start = 0; start < data.count; start += 256) {
      const indices = Int32Array.from({ length: Math.min(256, data.count - start) }, (_, i) => start + i);
      const { x, y } = batchTensors(data, indices);
      const m = tf.tidy(() => tf.min(logitMargins(this.model.apply(x, { training: false }) as tf.Tensor2D, y)));
      qMin = Math.min(qMin, (await m.data())[0]);
      m.dispose();
      x.dispose();
      y.dispose();
    }
    return qMin;
  }
}

/**
 * The training lab's worker side: up to three models trained on the same data, the same data
 * order and the same seed, either one after another or interleaved batch by batch (so their
 * curves grow together). Stop leaves every run resumable; a run that diverges is stopped on its
 * own (its last good weights restored) while the others go on.
 */
import type { ImageDataset } from '../core/data/dataset';
import { takeFirst } from '../core/data/dataset';
import type { BuiltModel } from '../core/models/registry';
import { asClassifier } from '../core/models/classifier';
import { compareModels, type ModelComparison } from '../core/models/compareModels';
import { classifierFromFiles, modelToFiles, type ModelFiles } from '../core/models/modelIO';
import type { ModelMeta } from '../core/models/modelMeta';
import type { Trainer } from '../core/train/trainer';
import type { TrainReport } from '../core/train/trainerConfig';
import { setUpTrainingRun } from '../core/train/trainingRun';
import { DivergedError, InvalidOptionError, PlaygroundError } from '../core/util/errors';
import { yieldToEventLoop, type Progress } from '../core/util/progress';
import type { TrainingEvent, TrainingOutcome, TrainingRunStatus, TrainingLiveEvent, TrainingSpec } from './api';
import { jemSampleGrid } from './trainingSamples';

interface Run {
  spec: TrainingSpec['runs'][number];
  built: BuiltModel;
  trainer: Trainer;
  state: TrainingRunStatus['state'];
  message?: string;
  lastReport?: TrainReport;
  /** performance.now() of the last replay-buffer grid posted (JEM runs). */
  lastGridMs?: number;
}

export const MAX_LAB_RUNS = 3;
/** The live sample grid crosses to the page at most this often. */
const SAMPLE_GRID_INTERVAL_MS = 1000;
/** Held-out images on which a saved model must agree with the trained one. */
const ROUND_TRIP_IMAGES = 64;

/** One run's part of the progress line: its epoch while it trains, else its state. */
function runProgressText(r: Run, epochs: number): string {
  if (r.state === 'finished') return 'done';
  if (r.state === 'diverged') return 'diverged';
  return r.lastReport ? `epoch ${r.lastReport.epoch + 1}/${epochs}` : r.state === 'training' ? 'starting' : 'waiting';
}

export class TrainingLab {
  private runs: Run[] = [];
  private spec: TrainingSpec | undefined;
  /** The held-out test images, also used to check saved models against the trained ones. */
  private heldOut: ImageDataset | undefined;

  /** Builds the models of `spec` (disposing the previous ones). */
  setUp(spec: TrainingSpec, train: ImageDataset, test: ImageDataset): void {
    if (spec.runs.length < 1 || spec.runs.length > MAX_LAB_RUNS) {
      throw new InvalidOptionError(
        `The training lab trains 1 to ${MAX_LAB_RUNS} models at once, not ${spec.runs.length}.`,
      );
    }
    this.dispose();
    const trainSet = takeFirst(train, spec.trainExamples);
    const heldOut = takeFirst(test, spec.heldOutExamples);
    this.heldOut = heldOut;
    for (const r of spec.runs) {
      // The same seed for every model: same data order and augmentation noise, fair comparison.
      const { built, trainer } = setUpTrainingRun(
        {
          arch: r.arch,
          build: r.build,
          recipe: r.recipe,
          defense: r.defense,
          epochs: spec.epochs,
          seed: spec.seed,
          robustProbe: spec.robustProbe,
          certifiedProbe: spec.certifiedProbe,
          heldOutExamples: spec.heldOutExamples,
          reportEvery: spec.reportEvery,
          trackMargin: true,
        },
        trainSet,
        test,
      );
      this.runs.push({ spec: r, built, trainer, state: 'waiting' });
    }
    this.spec = spec;
  }

  get isSetUp(): boolean {
    return this.runs.length > 0;
  }

  /** Trains until every run is finished or diverged (→ 'finished'), or until `isCancelled` (→ 'stopped'). */
  async run(
    onEvent: (e: TrainingEvent) => void,
    onProgress: (p: Progress) => void,
    isCancelled: () => boolean,
    onLive?: (e: TrainingLiveEvent) => void,
  ): Promise<TrainingOutcome> {
    const spec = this.spec;
    if (!spec) throw new PlaygroundError('Set up a training run first.');
    const progress = () => {
      const fraction =
        this.runs.reduce(
          (s, r) => s + (r.state === 'finished' || r.state === 'diverged' ? 1 : (r.lastReport?.fraction ?? 0)),
          0,
        ) / this.runs.length;
      // Every run by its label: in an interleaved comparison all of them train at once.
      const where = this.runs.map((r) => `${r.spec.label}: ${runProgressText(r, spec.epochs)}`).join(' · ');
      onProgress({ fraction, message: where });
    };
    const pending = () =>
      this.runs.filter((r) => r.state === 'waiting' || r.state === 'training' || r.state === 'stopped');
    while (pending().length > 0) {
      for (const r of spec.schedule === 'interleaved' ? pending() : pending().slice(0, 1)) {
        if (isCancelled()) return this.outcome('stopped');
        // Interleaved: one batch, then the next model. Sequential: this model to its end.
        let budget = spec.schedule === 'interleaved' ? 1 : Infinity;
        r.state = 'training';
        try {
          const ended = await r.trainer.run({
            isCancelled: () => isCancelled() || budget-- <= 0,
            onReport: (report) => {
              r.lastReport = report;
              onEvent({ runId: r.spec.id, report });
              progress();
              this.postSamples(r, onLive);
            },
          });
          this.postSamples(r, onLive, ended === 'finished');
          // An objective's own divergence check (JEM's exploding energy gap or saturated samples) ends the run
          // with its last good weights restored, as 'finished' for the trainer: the lab reports it at once.
          const divergence = r.trainer.summary().divergence;
          if (divergence) {
            r.state = 'diverged';
            r.message = divergence.reason;
            onLive?.({ kind: 'diverged', runId: r.spec.id, label: r.spec.label, message: divergence.reason });
          } else if (ended === 'finished') r.state = 'finished';
        } catch (err) {
          if (!(err instanceof DivergedError)) throw err;
          r.state = 'diverged';
          r.message = err.reason;
          onLive?.({ kind: 'diverged', runId: r.spec.id, label: r.spec.label, message: err.reason });
        }
        // Lets the worker take the Stop message between batches.
        await yieldToEventLoop();
      }
    }
    progress();
    return this.outcome('finished');
  }

  /** A JEM run's buffer grid, at most once per SAMPLE_GRID_INTERVAL_MS (the page needs no more). */
  private postSamples(r: Run, onLive: ((e: TrainingLiveEvent) => void) | undefined, last = false): void {
    const now = performance.now();
    if (!onLive || (!last && r.lastGridMs !== undefined && now - r.lastGridMs < SAMPLE_GRID_INTERVAL_MS)) return;
    const grid = jemSampleGrid(r.trainer.config.objective, r.built.meta);
    if (!grid) return;
    r.lastGridMs = now;
    onLive({ kind: 'samples', ...grid, runId: r.spec.id, samples: r.trainer.summary().samples });
  }

  /** The trained model as the two files, with metadata saying how it was made. */
  async files(runId: string): Promise<{ files: ModelFiles; meta: ModelMeta; parameters: number }> {
    const r = this.runs.find((x) => x.spec.id === runId);
    if (!r || !this.spec) throw new PlaygroundError(`No training run "${runId}".`);
    const summary = r.trainer.summary();
    const s = this.spec;
    const meta: ModelMeta = {
      ...r.built.meta,
      description:
        `${r.built.meta.description.replace(/\.$/, '')}, trained in the browser: ` +
        `${summary.samples.toLocaleString('en')} samples seen (${s.trainExamples.toLocaleString('en')} ` +
        `${r.built.meta.dataset === 'cifar10' ? 'CIFAR-10' : 'MNIST'} training images, ${s.epochs} ` +
        `epoch${s.epochs === 1 ? '' : 's'} planned)` +
        (r.trainer.config.objective ? `, ${r.trainer.config.objective.description}` : '') +
        (summary.divergence
          ? ` (diverged and stopped: ${summary.divergence.reason}; the last good weights were restored)`
          : summary.stoppedEarly
            ? ' (stopped early: robust accuracy collapsed)'
            : '') +
        '.',
      training: {
        command: `training lab: ${r.spec.label}, seed ${s.seed}, ${s.schedule}`,
        epochs: summary.epochs,
        batchSize: r.trainer.config.batchSize,
        seed: s.seed,
        trainExamples: s.trainExamples,
        seconds: Math.round(summary.seconds),
        backend: 'browser',
      },
      heldOutAccuracy:
        r.lastReport?.heldOutAccuracy !== undefined
          ? { value: r.lastReport.heldOutAccuracy, n: s.heldOutExamples, split: 'first test' }
          : undefined,
    };
    return { files: await modelToFiles(r.built.model, meta), meta, parameters: r.built.model.countParams() };
  }

  /** Compares a run's model with one rebuilt from its saved files, on up to 64 held-out images. */
  async checkSavedCopy(runId: string, files: ModelFiles): Promise<ModelComparison> {
    const r = this.runs.find((x) => x.spec.id === runId);
    if (!r || !this.heldOut) throw new PlaygroundError(`No training run "${runId}".`);
    const copy = await classifierFromFiles(files, 'the saved copy');
    try {
      return await compareModels(
        asClassifier(r.built.model, r.built.meta).logits,
        copy.logits,
        this.heldOut,
        ROUND_TRIP_IMAGES,
      );
    } finally {
      copy.model.dispose();
    }
  }

  statuses(): TrainingRunStatus[] {
    return this.runs.map((r) => ({
      id: r.spec.id,
      label: r.spec.label,
      state: r.state,
      message: r.message,
      description:
        r.built.meta.description +
        (r.trainer.config.objective ? ` Trained with ${r.trainer.config.objective.description}.` : ''),
      parameters: r.built.model.countParams(),
      summary: r.trainer.summary(),
    }));
  }

  dispose(): void {
    for (const r of this.runs) {
      r.trainer.dispose();
      r.built.model.dispose();
    }
    this.runs = [];
    this.spec = undefined;
  }

  private outcome(state: TrainingOutcome['state']): TrainingOutcome {
    for (const r of this.runs) if (r.state === 'training') r.state = 'stopped';
    return { state, runs: this.statuses() };
  }
}

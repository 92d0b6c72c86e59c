/**
 * "Benchmark this device": reloads the current model (timed), then measures attack throughput on
 * the model's own data set and training throughput of MNIST's CNN and of every architecture at
 * classroom size, with the same code as `npm run bench` in Node.
 */
import { benchmarkArchitectures } from '../core/bench/architectureBenchmark';
import { BENCH_BATCH, benchmarkAttacks } from '../core/bench/attackBenchmark';
import { benchmarkReferenceSuite, parseReferenceArchitectures } from '../core/bench/referenceSuite';
import { benchmarkTraining } from '../core/bench/trainingBenchmark';
import { buildMnistCnn } from '../core/models/mnistCnn';
import type { BenchmarkApi } from './api';
import { fetchModelFiles } from './models';
import type { WorkerState } from './workerState';

export function benchmarkApi(state: WorkerState): BenchmarkApi {
  return {
    async benchmark(onProgress) {
      // Attacks run on the model's own data set; the training measurement always uses MNIST's CNN.
      const ds = await state.testSetOf(state.requireModel().meta.dataset);
      const modelLoadMs = await reloadModel(state);
      const attacks = await benchmarkAttacks(state.requireModel(), ds, BENCH_BATCH, (message) =>
        onProgress?.({ fraction: 0.5, message }),
      );
      onProgress?.({ fraction: 0.9, message: 'training steps' });
      const model = buildMnistCnn(0);
      try {
        const training = await benchmarkTraining(model, await state.requireTestSet(), 128, 5);
        // Smaller batches and fewer steps than Node: a software WebGPU adapter takes seconds per step.
        const trainingByArchitecture = await benchmarkArchitectures(await state.requireTestSet(), undefined, {
          batchSize: 64,
          steps: 2,
          onStart: (arch) => onProgress?.({ fraction: 0.95, message: `training steps: ${arch}` }),
        });
        return {
          ...attacks,
          modelLoadMs,
          trainingSamplesPerSecond: training.samplesPerSecond,
          trainingByArchitecture,
        };
      } finally {
        model.dispose();
      }
    },
    async benchmarkReference(archs, onProgress) {
      const list = parseReferenceArchitectures(archs.join(','));
      const reference = await benchmarkReferenceSuite(list, (arch) =>
        onProgress?.({ fraction: list.indexOf(arch) / list.length, message: `reference suite: ${arch}` }),
      );
      return { reference };
    },
  };
}

/** Loads the current model again — fetched anew when it is served, rebuilt from its files otherwise — in ms. */
async function reloadModel(state: WorkerState): Promise<number> {
  const source = state.modelSource();
  const started = performance.now();
  if (!source.startsWith('/') && !source.startsWith('http')) await state.rebuildModel();
  else await state.installModel(await fetchModelFiles(source), source, started);
  return performance.now() - started;
}

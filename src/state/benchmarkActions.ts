/** "Benchmark this device": the same throughput figures as `npm run bench`, measured in the worker. */
import type { ReferenceArchitecture } from '../core/bench/referenceArchitectures';
import type { ReferenceFigures } from '../core/bench/referenceSuite';
import type { DeviceBenchmark } from '../worker/api';
import { playground, runTask } from './workerSession';

export async function runDeviceBenchmark(): Promise<DeviceBenchmark | undefined> {
  return runTask('benchmark', 'Benchmarking this device', (onProgress) => playground().benchmark(onProgress));
}

/** The side-by-side suite of the native PyTorch reference (`npm run bench -- --suite reference`). */
export async function runReferenceSuite(
  archs: ReferenceArchitecture[],
): Promise<{ reference: ReferenceFigures[] } | undefined> {
  return runTask('benchmark', 'Running the reference suite', (onProgress) =>
    playground().benchmarkReference(archs, onProgress),
  );
}

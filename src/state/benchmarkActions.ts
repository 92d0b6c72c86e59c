/** "Benchmark this device": the same throughput figures as `npm run bench`, measured in the worker. */
import type { DeviceBenchmark } from '../worker/api';
import { playground, runTask } from './workerSession';

export async function runDeviceBenchmark(): Promise<DeviceBenchmark | undefined> {
  return runTask('benchmark', 'Benchmarking this device', (onProgress) => playground().benchmark(onProgress));
}

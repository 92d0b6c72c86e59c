/** "Benchmark this device": attack and training throughput on the current backend. */
import type { ReferenceArchitecture } from '../../core/bench/referenceArchitectures';
import type { ReferenceFigures } from '../../core/bench/referenceSuite';
import type { Progress } from '../../core/util/progress';

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

export interface BenchmarkApi {
  /** Measures attack and training throughput on the current backend with the loaded model. */
  benchmark(onProgress?: (p: Progress) => void): Promise<DeviceBenchmark>;
  /** The side-by-side suite of the native PyTorch reference (`npm run bench -- --suite reference`). */
  benchmarkReference(
    archs: ReferenceArchitecture[],
    onProgress?: (p: Progress) => void,
  ): Promise<{ reference: ReferenceFigures[] }>;
}

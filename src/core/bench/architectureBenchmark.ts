/**
 * Training throughput of every MNIST architecture at its default (classroom) size on the current
 * backend: the figure the training lab's "minutes per epoch" rests on. Shared by `npm run bench`
 * and the app's "Benchmark this device".
 */
import type { ImageDataset } from '../data/dataset';
import type { Architecture } from '../models/architectures';
import { buildModel } from '../models/registry';
import { benchmarkTraining } from './trainingBenchmark';

export const BENCH_ARCHITECTURES: readonly Architecture[] = [
  'cnn',
  'yan-cnn',
  'odenet',
  'tisode',
  'mlp',
  'homogeneous-cnn',
];

export async function benchmarkArchitectures(
  ds: ImageDataset,
  archs: readonly Architecture[] = BENCH_ARCHITECTURES,
  o: { batchSize?: number; steps?: number; onStart?: (arch: Architecture) => void } = {},
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const arch of archs) {
    o.onStart?.(arch);
    const { model } = buildModel(arch, { seed: 0, dataset: ds.name, classNames: ds.classNames });
    try {
      out[arch] = (await benchmarkTraining(model, ds, o.batchSize ?? 128, o.steps ?? 3)).samplesPerSecond;
    } finally {
      model.dispose();
    }
  }
  return out;
}

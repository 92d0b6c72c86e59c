/**
 * `npm run bench`: prints one JSON object with, per backend, attack throughput (FGSM and PGD-20,
 * batch 256, images/s), warm single-image FGSM latency (ms), model load time (ms), training
 * throughput (samples/s) of the small CNN and (wasm) of every architecture at classroom size, the
 * CIFAR-10 colour model (when CIFAR10_DIR is set), and — in headless Chromium — the time from navigation to the first
 * prediction. Node runs wasm and cpu; the browser part drives the built app in Debian's Chromium
 * on webgpu (SwiftShader here), webgl and wasm — wasm twice, on every core and on one thread (`wasm-1-thread`), side by
 * side — then the main thread's long tasks per phase. Not part of `npm test`: numbers, not assertions.
 *
 *   npm run bench [-- --node-only | --browser-only] [--cpu-batch N]
 *   npm run bench -- --browser-only --main-thread-only   (first prediction and main-thread long tasks only)
 *   npm run bench -- --browser-only --main-thread-only --phases calibration,energy   (some phases only)
 *   npm run bench -- --browser-only --browser-backends wasm,wasm-1-thread   (some backends, then the main thread)
 *
 * `--suite reference` runs instead the side-by-side suite of src/core/bench/referenceSuite.ts (the
 * three architectures and settings of the native PyTorch reference) on wasm in Node and on every
 * backend in Chromium, and prints {"reference": [{arch, backend, pgd20ImagesPerSecond,
 * trainSamplesPerSecond}]}; with `--reference FILE` (the reference's own JSON output) it adds the
 * ratios ours / PyTorch. `--archs a,b` limits the suite to some of the architectures,
 * `--browser-backends wasm,webgpu` the browser half to some backends.
 *
 *   npm run bench -- --node-only --suite reference [--reference FILE] [--archs cnn,odenet-paper]
 *
 * `--suite batch-norm` measures batch norm's training step on wasm in Node (src/core/bench/batchNormBenchmark.ts).
 *
 * `--photos N` measures instead the shipped MNIST model on N photo-like pictures of MNIST test digits
 * (photoBench.ts) and on the same digits as MNIST images: {"photos": {photoAccuracy, mnistAccuracy, …}}.
 *
 *   npm run bench -- --photos 500 [--photo-seed 7000] [--photo-start 0]
 */
import { parseArgs } from 'node:util';
import type { BackendName } from '../core/backend/backends';
import { benchmarkArchitectures } from '../core/bench/architectureBenchmark';
import { benchmarkAttacks } from '../core/bench/attackBenchmark';
import { benchmarkBatchNorm } from '../core/bench/batchNormBenchmark';
import { parseReferenceFile, referenceSuiteJson } from '../core/bench/referenceReport';
import {
  parseReferenceArchitectures,
  benchmarkReferenceSuite,
  type ReferenceFigures,
} from '../core/bench/referenceSuite';
import { benchmarkTraining } from '../core/bench/trainingBenchmark';
import { readFile } from 'node:fs/promises';
import { buildMnistCnn } from '../core/models/mnistCnn';
import { InvalidOptionError } from '../core/util/errors';
import { initNodeBackend, printJson, routeConsoleToStderr } from './nodeEnv';
import { loadDataset, loadMnist, readModelDir } from './nodeFiles';
import { benchmarkInChromium, parseBrowserBackends } from './browserBench';
import { mainThreadInChromium } from './mainThreadBench';
import { measurePhotoFigure } from './photoBench';

const MODEL_DIR = 'public/models/mnist-cnn';
const CIFAR_MODEL_DIR = 'public/models/cifar10-cnn-sample';

async function nodeBackend(name: BackendName, batch: number) {
  process.stderr.write(`node/${name}: loading\n`);
  await initNodeBackend(name);
  const loadStart = performance.now();
  const clf = await readModelDir(MODEL_DIR);
  const modelLoadMs = performance.now() - loadStart;
  const test = await loadMnist('test');
  const attacks = await benchmarkAttacks(clf, test, batch, (m) => process.stderr.write(`node/${name}: ${m}\n`));
  const train = await loadMnist('train');
  process.stderr.write(`node/${name}: training\n`);
  const model = buildMnistCnn(0);
  const training = await benchmarkTraining(model, train, 128, name === 'cpu' ? 2 : 5);
  model.dispose();
  clf.model.dispose();
  // Every architecture (classroom size) on wasm; the cpu backend would take many minutes for the ODE models.
  const trainingByArchitecture =
    name === 'wasm'
      ? await benchmarkArchitectures(train, undefined, {
          onStart: (a) => process.stderr.write(`node/${name}: training ${a}\n`),
        })
      : undefined;
  return {
    ...attacks,
    modelLoadMs,
    trainingSamplesPerSecond: training.samplesPerSecond,
    trainingBatch: training.batchSize,
    trainingByArchitecture,
  };
}

/** The colour model on CIFAR-10 (from CIFAR10_DIR): attack and training throughput, on wasm. */
async function cifarOnWasm() {
  if (!process.env.CIFAR10_DIR) return { skipped: 'set CIFAR10_DIR to measure the colour model' };
  await initNodeBackend('wasm');
  const clf = await readModelDir(CIFAR_MODEL_DIR);
  const test = await loadDataset('cifar10', 'test');
  const attacks = await benchmarkAttacks(clf, test, 256, (m) => process.stderr.write(`node/wasm cifar10: ${m}\n`));
  clf.model.dispose();
  const train = await loadDataset('cifar10', 'train');
  const training = await benchmarkArchitectures(train, ['cifar-cnn', 'odenet'], {
    onStart: (a) => process.stderr.write(`node/wasm cifar10: training ${a}\n`),
  });
  return { model: CIFAR_MODEL_DIR, ...attacks, trainingByArchitecture: training };
}

/** `--suite reference`: the three reference architectures on wasm in Node and on every backend in Chromium. */
async function referenceSuite(values: {
  'node-only'?: boolean;
  'browser-only'?: boolean;
  reference?: string;
  archs?: string;
  'browser-backends'?: string;
}) {
  // Read and check the reference first, so a bad file fails before minutes of measuring.
  const torch = values.reference
    ? parseReferenceFile(await readFile(values.reference, 'utf8'), values.reference)
    : null;
  const archs = parseReferenceArchitectures(values.archs);
  const backends = parseBrowserBackends(values['browser-backends']);
  const rows: ReferenceFigures[] = [];
  if (!values['browser-only']) {
    await initNodeBackend('wasm');
    const node = await benchmarkReferenceSuite(archs, (a) => process.stderr.write(`node/wasm: ${a}\n`));
    rows.push(...node.map((r) => ({ ...r, backend: `node/${r.backend}` })));
  }
  if (!values['node-only']) {
    const chromium = await benchmarkInChromium({ suite: 'reference', archs, backends });
    for (const [backend, result] of Object.entries(chromium)) {
      const list = (result as { reference?: ReferenceFigures[] }).reference;
      if (Array.isArray(list)) rows.push(...list.map((r) => ({ ...r, backend: `chromium/${r.backend}` })));
      else if (backend !== 'userAgent') process.stderr.write(`chromium/${backend}: ${JSON.stringify(result)}\n`);
    }
  }
  return referenceSuiteJson(rows, torch);
}

/** `--photos N [--photo-seed S] [--photo-start I]` on wasm. */
async function photoFigure(count: string, seed = '7000', start = '0') {
  const [n, s, first] = [Number(count), Number(seed), Number(start)];
  if (![n, s, first].every((v) => Number.isInteger(v) && v >= 0) || n < 1 || first + n > 10_000) {
    throw new InvalidOptionError(
      '--photos, --photo-seed and --photo-start take whole numbers (at most 10,000 digits).',
    );
  }
  await initNodeBackend('wasm');
  return measurePhotoFigure(await readModelDir(MODEL_DIR), await loadMnist('test'), { n, seed: s, firstIndex: first });
}

async function main() {
  routeConsoleToStderr();
  const { values } = parseArgs({
    options: {
      'node-only': { type: 'boolean' },
      'browser-only': { type: 'boolean' },
      'main-thread-only': { type: 'boolean' },
      phases: { type: 'string' },
      'cpu-batch': { type: 'string' },
      suite: { type: 'string' },
      reference: { type: 'string' },
      archs: { type: 'string' },
      'browser-backends': { type: 'string' },
      photos: { type: 'string' },
      'photo-seed': { type: 'string' },
      'photo-start': { type: 'string' },
    },
  });
  if (values.photos !== undefined) {
    printJson({ photos: await photoFigure(values.photos, values['photo-seed'], values['photo-start']) });
    return;
  }
  if (values['main-thread-only']) {
    const phases = values.phases?.split(',').map((p) => p.trim());
    printJson({ chromium: { mainThread: await mainThreadInChromium('dist', phases) } });
    return;
  }
  if (values.suite !== undefined && !['reference', 'default', 'batch-norm'].includes(values.suite)) {
    throw new InvalidOptionError(`Unknown suite "${values.suite}". Choose default, reference or batch-norm.`);
  }
  if (values.suite === 'batch-norm') {
    await initNodeBackend('wasm');
    printJson({ batchNorm: await benchmarkBatchNorm(await loadMnist('train')) });
    return;
  }
  if (values.suite === 'reference') {
    printJson(await referenceSuite(values));
    return;
  }
  if (values.reference !== undefined || values.archs !== undefined) {
    throw new InvalidOptionError('--reference and --archs belong to --suite reference.');
  }
  const result: Record<string, unknown> = {
    model: MODEL_DIR,
    note: 'images/s at batch 256 unless "batch" says otherwise; PGD-20 is L∞ ε=0.3 α=2.5ε/20 with random start',
  };
  if (!values['browser-only']) {
    const node: Record<string, unknown> = {};
    node.wasm = await nodeBackend('wasm', 256);
    // The cpu backend is ~10–50× slower; a smaller batch keeps the benchmark short (reported in "batch").
    node.cpu = await nodeBackend('cpu', Number(values['cpu-batch'] ?? 64));
    node.cifar10Wasm = await cifarOnWasm();
    result.node = node;
  }
  if (!values['node-only']) {
    result.chromium = await benchmarkInChromium({ backends: parseBrowserBackends(values['browser-backends']) });
  }
  printJson(result);
}

main().catch((err) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exitCode = 1;
});

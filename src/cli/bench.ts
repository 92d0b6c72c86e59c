/**
 * `npm run bench`: prints one JSON object with, per backend, attack throughput (FGSM and PGD-20,
 * batch 256, images/s), warm single-image FGSM latency (ms), model load time (ms), training
 * throughput (samples/s), and — in headless Chromium — the time from navigation to the first
 * prediction. Node runs wasm and cpu; the browser part drives the built app in Debian's Chromium
 * on webgpu (SwiftShader here), webgl and wasm. Not part of `npm test`: numbers, not assertions.
 *
 *   npm run bench [-- --node-only | --browser-only] [--cpu-batch N]
 */
import { parseArgs } from 'node:util';
import type { BackendName } from '../core/backend/backends';
import { benchmarkAttacks } from '../core/bench/attackBenchmark';
import { benchmarkTraining } from '../core/bench/trainingBenchmark';
import { buildMnistCnn } from '../core/models/mnistCnn';
import { initNodeBackend, printJson, routeConsoleToStderr } from './nodeEnv';
import { loadMnist, readModelDir } from './nodeFiles';
import { benchmarkInChromium } from './browserBench';

const MODEL_DIR = 'public/models/mnist-cnn';

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
  return { ...attacks, modelLoadMs, trainingSamplesPerSecond: training.samplesPerSecond, trainingBatch: training.batchSize };
}

async function main() {
  routeConsoleToStderr();
  const { values } = parseArgs({
    options: { 'node-only': { type: 'boolean' }, 'browser-only': { type: 'boolean' }, 'cpu-batch': { type: 'string' } },
  });
  const result: Record<string, unknown> = {
    model: MODEL_DIR,
    note: 'images/s at batch 256 unless "batch" says otherwise; PGD-20 is L∞ ε=0.3 α=2.5ε/20 with random start',
  };
  if (!values['browser-only']) {
    const node: Record<string, unknown> = {};
    node.wasm = await nodeBackend('wasm', 256);
    // The cpu backend is ~10–50× slower; a smaller batch keeps the benchmark short (reported in "batch").
    node.cpu = await nodeBackend('cpu', Number(values['cpu-batch'] ?? 64));
    result.node = node;
  }
  if (!values['node-only']) result.chromium = await benchmarkInChromium();
  printJson(result);
}

main().catch((err) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exitCode = 1;
});

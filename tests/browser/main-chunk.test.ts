/**
 * The page's own JavaScript stays small and free of TensorFlow.js: everything index.html loads
 * (the entry script and the chunks it preloads) is at most 250 kB gzipped, and holds no tfjs-core,
 * which lives in the worker's chunk. Reads the build the browser tests serve; starts no browser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { WASM_POOL_GLOBAL } from '../../src/core/backend/wasmPoolGlobal';
import { ROOT } from './helpers';

const DIST = resolve(ROOT, process.env.BROWSER_TEST_DIST ?? 'dist');
const MAX_GZIP_BYTES = 250_000;
/**
 * A string only tfjs-core carries: the error of its environment-flag registry (tfjs-core
 * src/environment.ts). The test checks that the worker's chunk has it, so that the check on the
 * page's chunks cannot pass because the marker went out of date.
 */
const TFJS_MARKER = 'Cannot evaluate flag';

/** Paths (under dist/) of the scripts index.html loads: module entries and modulepreloads. */
function pageScripts(html: string): string[] {
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  return [...scripts, ...preloads].map((p) => p.replace(/^\//, ''));
}

test('the page loads at most 250 kB of gzipped JavaScript, none of it TensorFlow.js', () => {
  const scripts = pageScripts(readFileSync(join(DIST, 'index.html'), 'utf8'));
  expect(scripts.length, 'index.html names its entry script').toBeGreaterThan(0);
  let gzipBytes = 0;
  for (const script of scripts) {
    const code = readFileSync(join(DIST, script));
    gzipBytes += gzipSync(code, { level: 9 }).length;
    expect(code.includes(TFJS_MARKER), `${script} holds tfjs-core`).toBe(false);
  }
  expect(gzipBytes, `gzipped size of ${scripts.join(', ')}`).toBeLessThanOrEqual(MAX_GZIP_BYTES);

  const worker = readdirSync(join(DIST, 'assets')).filter((f) => /^worker-.*\.js$/.test(f));
  expect(worker.length, 'one worker chunk').toBe(1);
  const workerStart = staticClosure(worker[0]).map((f) => readFileSync(join(DIST, 'assets', f), 'utf8'));
  expect(
    workerStart.some((code) => code.includes(TFJS_MARKER)),
    'the worker holds tfjs-core',
  ).toBe(true);
});

/** A flag only the WebGL backend registers (tfjs-backend-webgl src/flags_webgl.ts). */
const WEBGL_MARKER = 'WEBGL_VERSION';

test('the worker starts without the WebGL backend, which it imports when WebGL is chosen', () => {
  const assets = readdirSync(join(DIST, 'assets'));
  const [worker] = assets.filter((f) => /^worker-.*\.js$/.test(f));
  const start = staticClosure(worker);
  for (const f of start) {
    expect(readFileSync(join(DIST, 'assets', f), 'utf8').includes(WEBGL_MARKER), `${f} holds the WebGL backend`).toBe(
      false,
    );
  }
  const lazy = assets.filter(
    (f) => f.endsWith('.js') && readFileSync(join(DIST, 'assets', f), 'utf8').includes(WEBGL_MARKER),
  );
  expect(lazy.length, 'a chunk of its own holds the WebGL backend').toBe(1);
});

/** `file` and the chunks it imports statically (`from"./x.js"`), transitively: what loads before it runs. */
function staticClosure(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    const code = readFileSync(join(DIST, 'assets', f), 'utf8');
    for (const m of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]);
  };
  visit(file);
  return [...seen];
}

test("the worker's wasm glue pre-starts only the threads the app computes with, not Emscripten's fixed 8", () => {
  const [worker] = readdirSync(join(DIST, 'assets')).filter((f) => /^worker-.*\.js$/.test(f));
  const code = readFileSync(join(DIST, 'assets', worker), 'utf8');
  // The pool loop of PThread.initMainThread, as the build leaves it: its size read from the global that
  // configureWasmThreads sets (vite.config.ts, tfjsThreadedWasmFix). A build without the patch has `=8;` there.
  expect(code).toMatch(
    new RegExp(`initMainThread:function\\(\\)\\{for\\(var \\w+=globalThis\\.${WASM_POOL_GLOBAL}\\|\\|8;`),
  );
  expect(code).toMatch(new RegExp(`globalThis\\.${WASM_POOL_GLOBAL}=\\w+\\}`));
});

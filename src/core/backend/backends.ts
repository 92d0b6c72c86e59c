/**
 * The tfjs backends the project runs on, and how each is switched on. Works in the page, in a
 * worker and in Node: the wasm binaries' location is the caller's (Vite does not emit them; the
 * app serves them from /tfjs-wasm/, Node reads them from node_modules).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { InvalidOptionError } from '../util/errors';
import { registerWasmKernels } from './wasmKernels/registerWasmKernels';
import { registerMaxPoolGradGradient } from './maxPoolGradGradient';
import { WASM_POOL_GLOBAL } from './wasmPoolGlobal';

export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export function parseBackendName(value: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new InvalidOptionError(`Unknown backend "${value}". Choose one of: ${BACKEND_NAMES.join(', ')}.`);
}

let wasmPathsSet = false;
/** Where the wasm backend finds its .wasm files (a URL prefix ending in '/', or a directory in Node). */
export function configureWasmPaths(prefix: string): void {
  setWasmPaths(prefix);
  wasmPathsSet = true;
}

/**
 * The multi-threaded wasm build starts this many pthreads with the module (Emscripten's PTHREAD_POOL_SIZE in
 * tfjs-backend-wasm-threaded-simd.js); asking XNNPACK for more would make it spawn threads while it blocks waiting for
 * them, which a worker cannot do.
 */
export const WASM_THREAD_POOL_SIZE = 8;

/**
 * How many threads the wasm backend computes with, from `wanted` (every core, say): at least 1, at most the pool. Must
 * be called before the wasm backend first starts; later calls change nothing. Without SharedArrayBuffer (no
 * cross-origin isolation, or Node) tfjs loads the single-threaded build whatever is set here.
 */
export function configureWasmThreads(wanted: number): void {
  const threads = Math.max(1, Math.min(WASM_THREAD_POOL_SIZE, Math.floor(wanted)));
  setThreadsCount(threads);
  // The app's build makes the glue pre-start only this many workers (vite.config.ts, tfjsThreadedWasmFix): each idle
  // one cost ~100 ms of CPU before the first prediction.
  (globalThis as Record<string, unknown>)[WASM_POOL_GLOBAL] = threads;
}

/** The threads the running wasm backend computes with; undefined before it has started. */
export function wasmThreadsInUse(): number | undefined {
  try {
    return getThreadsCount();
  } catch {
    return undefined;
  }
}

/**
 * Switches tfjs to `name`; resolves true when it is active. The webgpu backend is imported
 * lazily because its module touches WebGPU globals that Node lacks; the webgl backend because the app's worker
 * leaves it out of its start (tfjsUnionForWorker.ts; in Node the union package has registered it already).
 */
export async function activateBackend(name: BackendName): Promise<boolean> {
  registerMaxPoolGradGradient();
  if (name === 'wasm') {
    registerWasmKernels();
    void wasmPathsSet;
  }
  if (name === 'webgpu' && tf.findBackendFactory('webgpu') === null) {
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (name === 'webgl' && tf.findBackendFactory('webgl') === null) {
    await import('@tensorflow/tfjs-backend-webgl');
  }
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Replaces the current backend with a fresh instance of the same kind: after its module aborted
 * (on wasm, running out of memory aborts the module and every later call fails). Every tensor the
 * old instance held is gone, so models and data must be loaded again. Resolves the backend's name
 * when the fresh one is active.
 */
export async function restartBackend(): Promise<BackendName> {
  const name = parseBackendName(tf.getBackend());
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new InvalidOptionError(`The ${name} backend cannot be restarted: it has no factory.`);
  // An aborted wasm module spins forever in its own clean-up, so the old instance is dropped without it.
  const old = tf.findBackend(name) as { dispose?: () => void } | null;
  if (old) old.dispose = () => {};
  tf.removeBackend(name);
  tf.registerBackend(name, factory);
  if (!(await activateBackend(name))) throw new InvalidOptionError(`The ${name} backend did not start again.`);
  return name;
}

/**
 * The tfjs backends the project runs on, and how each is switched on. Works in the page, in a
 * worker and in Node: the wasm binaries' location is the caller's (Vite does not emit them; the
 * app serves them from /tfjs-wasm/, Node reads them from node_modules).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { InvalidOptionError } from '../util/errors';
import { registerWasmKernels } from './wasmKernels/registerWasmKernels';

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
 * Switches tfjs to `name`; resolves true when it is active. The webgpu backend is imported
 * lazily because its module touches WebGPU globals that Node lacks.
 */
export async function activateBackend(name: BackendName): Promise<boolean> {
  if (name === 'wasm') {
    registerWasmKernels();
    void wasmPathsSet;
  }
  if (name === 'webgpu' && tf.findBackendFactory('webgpu') === null) {
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

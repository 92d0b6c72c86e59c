/**
 * Node-side setup shared by every command: stdout is reserved for the one JSON result, so tfjs'
 * console chatter goes to stderr; the backend (wasm by default) is switched on.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { activateBackend, configureWasmPaths, type BackendName } from '../core/backend/backends';
import { PlaygroundError } from '../core/util/errors';

const require = createRequire(import.meta.url);

export function routeConsoleToStderr(): void {
  console.log = console.error;
  console.info = console.error;
  console.warn = console.error;
}

export async function initNodeBackend(name: BackendName): Promise<string> {
  if (name === 'webgpu' || name === 'webgl') {
    throw new PlaygroundError(`The ${name} backend runs only in a browser; in Node use wasm or cpu.`);
  }
  if (name === 'wasm') {
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    configureWasmPaths(`${wasmDir}/`);
  }
  const ok = await activateBackend(name);
  if (!ok) throw new PlaygroundError(`Could not start the ${name} backend.`);
  return tf.getBackend();
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

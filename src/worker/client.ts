/** The UI's handle on the worker: a typed Comlink proxy of PlaygroundApi. */
import * as Comlink from 'comlink';
import type { PlaygroundApi } from './api';

export function createPlaygroundWorker(): Comlink.Remote<PlaygroundApi> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'playground-core' });
  return Comlink.wrap<PlaygroundApi>(worker);
}

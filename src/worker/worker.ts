/** Worker entry: hosts the core behind the typed PlaygroundApi (see api.ts) via Comlink. */
import * as Comlink from 'comlink';
import { createPlaygroundService } from './playgroundService';

Comlink.expose(createPlaygroundService());

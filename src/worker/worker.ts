/** Worker entry: hosts the core behind the typed PlaygroundApi (see api.ts) via Comlink. */
import * as Comlink from 'comlink';
import { PlaygroundService } from './playgroundService';

Comlink.expose(new PlaygroundService());

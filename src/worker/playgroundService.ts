/**
 * The worker side of PlaygroundApi: the shared state (workerState.ts) and one line per area,
 * each area a module that implements its part of the API on that state. Adding an area is its
 * types file in api/, its module here in src/worker/, and one line below.
 */
import type { PlaygroundApi } from './api';
import { analysisApi } from './analysis';
import { attackApi } from './attacks';
import { backendApi } from './backend';
import { benchmarkApi } from './benchmark';
import { certifyApi } from './certification';
import { dataApi } from './datasets';
import { dreamApi } from './dream';
import { modelApi } from './models';
import { trainingApi } from './training';
import { WorkerState } from './workerState';

export function createPlaygroundService(): PlaygroundApi {
  const state = new WorkerState();
  return {
    ...backendApi(state),
    ...dataApi(state),
    ...modelApi(state),
    ...attackApi(state),
    ...benchmarkApi(state),
    ...trainingApi(state),
    ...analysisApi(state),
    ...certifyApi(state),
    ...dreamApi(state),
  };
}

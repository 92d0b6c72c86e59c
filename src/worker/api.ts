/**
 * The one typed interface between the UI and the worker that hosts the core. The UI holds a
 * Comlink proxy of `PlaygroundApi`; callbacks (progress) cross as Comlink proxies. Images cross
 * as Float32Arrays of height × width × channels values in [0,1], row-major, channels last.
 *
 * Each area of the app declares its requests, results and methods in its own file under api/,
 * and the worker implements it in one module (src/worker/<area>.ts). A new area is one file
 * here, its name in the list below, and one line in playgroundService.ts.
 */
import type { AnalysisApi } from './api/analysis';
import type { AttackApi } from './api/attack';
import type { BackendApi } from './api/backend';
import type { BenchmarkApi } from './api/benchmark';
import type { CertifyApi } from './api/certify';
import type { DataApi } from './api/data';
import type { DreamApi } from './api/dream';
import type { ModelApi } from './api/model';
import type { TrainingApi } from './api/training';

export type * from './api/analysis';
export type * from './api/attack';
export type * from './api/backend';
export type * from './api/benchmark';
export type * from './api/certify';
export type * from './api/data';
export type * from './api/dream';
export type * from './api/model';
export type * from './api/training';

export interface PlaygroundApi
  extends BackendApi,
    DataApi,
    ModelApi,
    AttackApi,
    BenchmarkApi,
    TrainingApi,
    AnalysisApi,
    CertifyApi,
    DreamApi {}

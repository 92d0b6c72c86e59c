/** The worker session: which tfjs backend runs, cancelling the running task, memory. */
import type { BackendName } from '../../core/backend/backends';

export type BackendChoice = BackendName | 'auto';

export interface BackendReport {
  /** The backend tfjs runs on now. */
  name: BackendName;
  /** Why this one: shown in the status line, e.g. "WebGPU adapter is software (SwiftShader); wasm is faster". */
  reason: string;
  /** The WebGPU adapter's description, when one was found. */
  adapter?: string;
  /** Backends the worker tried and could not start, with why. */
  unavailable: { name: BackendName; why: string }[];
  /** On wasm: the threads XNNPACK computes with (1 without cross-origin isolation). */
  threads?: number;
}

export interface BackendInitOptions {
  /**
   * Threads for the wasm backend; default: every logical core the browser reports (tfjs alone would take half). Only a
   * cross-origin isolated page can have more than one. The benchmark sets 1 to measure what the threads buy.
   */
  wasmThreads?: number;
}

export interface MemoryReport {
  numTensors: number;
  numBytes: number;
}

export interface BackendApi {
  /**
   * Starts tfjs: `auto` picks per chooseBackend's rules. `wasmBase` is the URL prefix of the .wasm files.
   * `onBackendChange` fires when the worker switches backend on its own (lost GPU device).
   */
  init(
    choice: BackendChoice,
    wasmBase: string,
    onBackendChange?: (r: BackendReport) => void,
    options?: BackendInitOptions,
  ): Promise<BackendReport>;
  /** Switches backend (user override or after a lost GPU device). Loaded models carry over. */
  setBackend(choice: BackendChoice): Promise<BackendReport>;
  /**
   * Destroys the WebGPU device, as a driver reset would; the worker falls back and reports it through init's callback.
   */
  simulateDeviceLoss(): Promise<void>;
  /** Asks the running long task to stop; it rejects with a CancelledError message (training resolves 'stopped'). */
  cancel(): void;
  memory(): Promise<MemoryReport>;
}

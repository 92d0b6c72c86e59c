/**
 * Which backend the worker runs on, and why: the automatic choice, user overrides, fallbacks
 * when a backend fails to start, and the switch away from WebGPU when its device is lost.
 */
import * as tf from '@tensorflow/tfjs';
import {
  activateBackend,
  configureWasmPaths,
  configureWasmThreads,
  wasmThreadsInUse,
  type BackendName,
} from '../core/backend/backends';
import { chooseBackend } from '../core/backend/chooseBackend';
import type { BackendChoice, BackendReport } from './api';
import { PlaygroundError } from '../core/util/errors';
import { probeEnvironment } from './probeEnvironment';

/**
 * tfjs keeps one instance per backend, here one bound to the dead device: drop it (keeping the
 * factory) so that choosing webgpu again asks for a fresh device.
 */
function forgetWebGpuInstance(): void {
  const factory = tf.findBackendFactory('webgpu');
  if (!factory || tf.getBackend() === 'webgpu') return;
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', factory, WEBGPU_PRIORITY);
}

/** tfjs-backend-webgpu registers itself with this priority. */
const WEBGPU_PRIORITY = 3;

/** Tried in this order after the requested backend fails. */
const FALLBACK_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export class BackendSession {
  private report: BackendReport | undefined;
  private onLost: ((r: BackendReport) => void) | undefined;
  private markStarted: () => void = () => {};
  /** Settles when a backend has first started: a model's files may be fetched before, but built only after. */
  readonly started: Promise<void> = new Promise((resolve) => {
    this.markStarted = resolve;
  });

  /** `wasmThreads`: default every logical core the browser reports (tfjs would take half of them). */
  configure(wasmBase: string, onLost?: (r: BackendReport) => void, wasmThreads?: number): void {
    configureWasmPaths(wasmBase);
    configureWasmThreads(wasmThreads ?? navigator.hardwareConcurrency ?? 1);
    this.onLost = onLost;
  }

  current(): BackendReport | undefined {
    return this.report;
  }

  async select(choice: BackendChoice, why?: string, exclude: BackendName[] = []): Promise<BackendReport> {
    const probe = await probeEnvironment();
    let wanted: BackendName;
    let reason: string;
    if (choice === 'auto') {
      const decision = chooseBackend(probe);
      wanted = exclude.includes(decision.name) ? 'wasm' : decision.name;
      reason = wanted === decision.name ? decision.reason : 'wasm (SIMD) on the CPU.';
    } else {
      wanted = choice;
      reason =
        `chosen by the ` +
        `user${probe.webgpu.available && choice === 'webgpu' ? ` (adapter: ${probe.webgpu.description})` : ''}.`;
    }
    if (why) reason = `${why} ${reason}`;
    const unavailable: BackendReport['unavailable'] = [];
    const order = [wanted, ...FALLBACK_ORDER.filter((b) => b !== wanted && !exclude.includes(b))];
    for (const name of order) {
      if (await activateBackend(name)) {
        if (name !== wanted) reason = `${wanted} could not start, so ${name} runs. ${reason}`;
        this.report = {
          name,
          reason,
          adapter: probe.webgpu.available ? probe.webgpu.description : undefined,
          unavailable,
          threads: name === 'wasm' ? wasmThreadsInUse() : undefined,
        };
        if (name === 'webgpu') this.watchDeviceLoss();
        this.markStarted();
        return this.report;
      }
      unavailable.push({ name, why: `${name} failed to initialise` });
    }
    throw new Error('No TensorFlow.js backend could start in this browser.');
  }

  /**
   * Destroys the WebGPU device tfjs runs on, as a driver reset would: the loss handler below then
   * switches backend. Lets a user (and the browser tests) see the fallback work.
   */
  loseDevice(): void {
    const backend = tf.backend() as unknown as { device?: { destroy(): void } };
    if (tf.getBackend() !== 'webgpu' || !backend.device) {
      throw new PlaygroundError('Only a WebGPU device can be lost: choose the webgpu backend first.');
    }
    backend.device.destroy();
  }

  /** WebGPU devices can be lost (driver reset, GPU removed): fall back and tell the UI. */
  private watchDeviceLoss(): void {
    const backend = tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string }> } };
    backend.device?.lost?.then(async (info) => {
      console.warn(`WebGPU device lost: ${info?.message || 'no reason given'}`);
      // tfjs may already have moved to another backend; what matters is that ours was WebGPU.
      if (this.report?.name !== 'webgpu') return;
      const report = await this.select(
        'auto',
        `The GPU device was lost (${info?.message || 'no reason given'}); switched away from WebGPU.`,
        ['webgpu'],
      );
      forgetWebGpuInstance();
      this.onLost?.(report);
    });
  }
}

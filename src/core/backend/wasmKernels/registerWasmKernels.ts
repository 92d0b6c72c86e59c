/**
 * Installs the project's wasm kernels: the missing Conv2DBackpropFilter, and faster
 * Conv2DBackpropInput and MaxPoolGrad (see each file for the measured reason). Idempotent; call
 * before switching to wasm in every entry point (page, worker, Node).
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { maxPoolGradConfig } from './maxPoolGrad';

export const PROJECT_WASM_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  maxPoolGradConfig,
];

let installed = false;

export function registerWasmKernels(): void {
  if (installed) return;
  for (const config of PROJECT_WASM_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  installed = true;
}

/**
 * Installs the project's wasm kernels: the missing Conv2DBackpropFilter, faster
 * Conv2DBackpropInput, MaxPoolGrad, Identity and Sum, and the fused GroupNorm with its gradient (see
 * each file for the measured reason). Idempotent; call before switching to wasm in every entry
 * point (page, worker, Node).
 */
import {
  getGradient,
  getKernel,
  registerGradient,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
} from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { groupNormGradConfig, groupNormKernelConfigs } from './groupNorm';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './maxPoolGrad';
import { makeSumConfig } from './sum';

export const PROJECT_WASM_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  maxPoolGradConfig,
  identityConfig,
  ...groupNormKernelConfigs,
];

let installed = false;

export function registerWasmKernels(): void {
  if (installed) return;
  // Stock kernels with a fast road of the project's own, built over the stock kernel they extend.
  const extended = [makeSumConfig()];
  for (const config of [...PROJECT_WASM_KERNELS, ...extended]) {
    if (getKernel(config.kernelName, 'wasm') !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  if (getGradient(groupNormGradConfig.kernelName) === undefined) registerGradient(groupNormGradConfig);
  installed = true;
}

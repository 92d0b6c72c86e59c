/**
 * Identity for the wasm backend without the copy. The stock kernel copies the tensor's memory,
 * and tfjs' autodiff clones every tensor it saves for the backward pass, so a training or attack
 * step copied each activation once more (measured: ~10 % of the small CNN's PGD step). Tensors are
 * immutable, so the output can share the input's memory with its reference count raised, as the
 * backend's own Reshape does and as tfjs' cpu backend does for Identity.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { WasmAccess } from './wasmBackendAccess';

const identity: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  new WasmAccess(backend).share(x);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

export const identityConfig: KernelConfig = { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity };

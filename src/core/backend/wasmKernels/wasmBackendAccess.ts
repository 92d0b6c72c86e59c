/**
 * What the project's own wasm kernels need from tfjs-backend-wasm: zero-copy views of tensors in
 * the wasm heap, fresh outputs, and the backend's own kernels (BatchMatMul, Reshape) to delegate
 * the heavy arithmetic to its SIMD code. Typed structurally so no deep import is needed.
 */
import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
}

export class WasmAccess {
  private readonly wasm: WasmBackendLike;
  constructor(private readonly backend: KernelBackend | object) {
    this.wasm = backend as unknown as WasmBackendLike;
  }

  /** A Float32Array view of the tensor's memory in the wasm heap (valid until the heap grows). */
  view(t: TensorInfo): Float32Array {
    return this.wasm.typedArrayFromHeap(t);
  }

  /**
   * The whole heap as float32 (taken through `t`), and a tensor's offset in it: for copies between
   * tensors with copyWithin. Valid until the heap grows, like `view`.
   */
  heapF32(t: TensorInfo): Float32Array {
    return new Float32Array(this.view(t).buffer);
  }

  offsetOf(t: TensorInfo): number {
    return this.view(t).byteOffset >> 2;
  }

  /** A new float32 tensor in the heap, zero-filled. */
  zeros(shape: number[]): TensorInfo {
    const out = this.wasm.makeOutput(shape, 'float32');
    this.view(out).fill(0);
    return out;
  }

  /** A new float32 tensor whose contents the caller fills in completely. */
  uninitialised(shape: number[]): TensorInfo {
    return this.wasm.makeOutput(shape, 'float32');
  }

  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`wasm backend has no ${kernelName} kernel`);
    return kernel.kernelFunc({ inputs, backend: this.backend as KernelBackend, attrs }) as TensorInfo;
  }

  reshape(t: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x: t }, { shape });
  }

  /** One more owner of the tensor's memory (an output that aliases an input). */
  share(t: TensorInfo): void {
    this.wasm.incRef(t.dataId);
  }

  dispose(...infos: TensorInfo[]): void {
    for (const info of infos) this.wasm.disposeData(info.dataId);
  }
}

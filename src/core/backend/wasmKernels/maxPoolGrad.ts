/**
 * MaxPoolGrad for the wasm backend, replacing the stock kernel (measured here at ~38 ms for a
 * batch of 64 through this project's MNIST CNN, where a direct loop needs ~1 ms). The gradient
 * flows to the first position holding the window's maximum, as in tfjs' cpu backend.
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { WasmAccess } from './wasmBackendAccess';

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolBackprop(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const C = inChannels;
  // One channel at a time over the window: no per-position scratch to reset (measured ~3× faster
  // than keeping a best value and index per channel for the whole window).
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * C;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = Math.max(0, oh * strideHeight - padTop);
      const h1 = Math.min(inHeight, oh * strideHeight - padTop + effectiveFilterHeight);
      for (let ow = 0; ow < outWidth; ow++, o += C) {
        const w0 = Math.max(0, ow * strideWidth - padLeft);
        const w1 = Math.min(inWidth, ow * strideWidth - padLeft + effectiveFilterWidth);
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let h = h0; h < h1; h++) {
            let idx = xBatch + (h * inWidth + w0) * C + c;
            for (let w = w0; w < w1; w++, idx += C) {
              const v = x[idx];
              // First maximum wins, as in tfjs' cpu backend.
              if (v > best || bestIndex < 0) {
                best = v;
                bestIndex = idx;
              }
            }
          }
          if (bestIndex >= 0) dx[bestIndex] += dy[o + c];
        }
      }
    }
  }
}

const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const heap = new WasmAccess(backend);
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as PoolAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const dx = heap.zeros(input.shape);
  maxPoolBackprop(heap.view(input), heap.view(dy), heap.view(dx), info);
  return dx;
};

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};

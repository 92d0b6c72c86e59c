/**
 * Conv2DBackpropFilter for the wasm backend, which tfjs-backend-wasm 4.22 lacks (so no convnet
 * trains on wasm without it). The gradient with respect to the filter is one matrix product:
 *
 *   dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·sH + kh − padTop, ow·sW + kw − padLeft, ci] · dy[b,oh,ow,co]
 *                   = (dyᵀ · im2col(x))ᵀ,   im2col(x): [B·OH·OW, KH·KW·Ci],  dy: [B·OH·OW, Co]
 *
 * The gather runs in JavaScript straight into the wasm heap; the transpose and the product run in
 * the backend's own SIMD kernels. NHWC, dilation 1 (what tf.conv2d's gradient asks for here).
 */
import type { backend_util, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { convInfoFor, type ConvGradAttrs } from './convInfo';
import { WasmAccess } from './wasmBackendAccess';

/** Gathers every receptive field of x into one row of `cols` (zeros where it overlaps padding). */
export function im2col(x: Float32Array, cols: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  let c = 0;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * inChannels;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - padTop;
          const rowInside = ih >= 0 && ih < inHeight;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw - padLeft;
            if (rowInside && iw >= 0 && iw < inWidth) {
              let src = xBatch + (ih * inWidth + iw) * inChannels;
              for (let ci = 0; ci < inChannels; ci++) cols[c++] = x[src++];
            } else {
              for (let ci = 0; ci < inChannels; ci++) cols[c++] = 0;
            }
          }
        }
      }
    }
  }
}

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const heap = new WasmAccess(backend);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as ConvGradAttrs & { filterShape: [number, number, number, number] };
  const info = convInfoFor(x.shape as [number, number, number, number], a.filterShape, a);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const rowLength = info.filterHeight * info.filterWidth * info.inChannels;

  const cols = heap.uninitialised([1, rows, rowLength]);
  im2col(heap.view(x), heap.view(cols), info);
  // The backend's BatchMatMul is ~15× slower with a transposed operand than on a pre-transposed
  // one, so compute dWᵀ = dyᵀ · cols and transpose only the small operands: dy ([rows, Co]) and
  // the result ([Co, K]) instead of the large im2col matrix ([rows, K]).
  const dy3 = heap.reshape(dy, [1, rows, info.outChannels]);
  const dyT = heap.run('Transpose', { x: dy3 }, { perm: [0, 2, 1] });
  const dWT = heap.run('BatchMatMul', { a: dyT, b: cols }, { transposeA: false, transposeB: false });
  const dW3 = heap.run('Transpose', { x: dWT }, { perm: [0, 2, 1] });
  const dW = heap.reshape(dW3, a.filterShape);
  heap.dispose(cols, dy3, dyT, dWT, dW3);
  return dW;
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};

/**
 * Sum for the wasm backend, with a fast road for reductions over the leading axes of a float32
 * tensor (x: [a, …, c] → [c], every bias gradient: Σ_{n,h,w} dy). The stock kernel first transposes
 * the whole tensor so the reduced axes come last (measured: ~60 ms for a [64, 26, 26, 64] bias
 * gradient, several times the convolution it belongs to); a running sum over rows needs no copy.
 * Every other reduction goes to the stock kernel.
 */
import { getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { WasmAccess } from './wasmBackendAccess';

/** out[j] = Σ_i x[i·inner + j], accumulated in float64. */
export function sumLeadingRows(x: Float32Array, out: Float32Array, outer: number, inner: number): void {
  const acc = new Float64Array(inner);
  let i = 0;
  for (let r = 0; r < outer; r++) {
    for (let j = 0; j < inner; j++, i++) acc[j] += x[i];
  }
  for (let j = 0; j < inner; j++) out[j] = acc[j];
}

/** Is `axes` (any order, negatives allowed) exactly {0, …, k−1} with k < rank? */
export function leadingAxesCount(axes: number | number[], rank: number): number {
  const list = (Array.isArray(axes) ? axes : [axes]).map((a) => (a < 0 ? a + rank : a));
  const unique = [...new Set(list)].sort((a, b) => a - b);
  if (unique.length === 0 || unique.length >= rank) return 0;
  return unique.every((a, i) => a === i) ? unique.length : 0;
}

export function makeSumConfig(): KernelConfig {
  const stock = getKernel('Sum', 'wasm');
  if (!stock) throw new Error('The wasm backend has no Sum kernel to extend.');
  const sum: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const k = x.dtype === 'float32' ? leadingAxesCount(axis, x.shape.length) : 0;
    if (k === 0) return stock.kernelFunc(args);
    const heap = new WasmAccess(args.backend);
    const kept = x.shape.slice(k);
    const outer = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const inner = kept.reduce((a, b) => a * b, 1);
    const out = heap.uninitialised(keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept);
    sumLeadingRows(heap.view(x), heap.view(out), outer, inner);
    return out;
  };
  return { ...stock, kernelFunc: sum };
}

/**
 * Group normalisation (Wu & He, 2018, eq. 1–3) as fused wasm kernels, forward and backward. The
 * composite of tfjs ops (reshape, moments, sub, div, mul, add) costs ~15 small kernels a call and
 * as many more in its gradient: measured here at ~35 % of a paper-size Yan et al. CNN's input
 * gradient on wasm. One pass over the heap does the same arithmetic. NHWC, biased variance.
 *
 *   forward:  x̂ = (x − μ_{n,g}) · r_{n,g},  r = 1/√(σ²_{n,g} + ε),  y = γ_c · x̂ + β_c
 *   backward: with m the group's size and ĝ = γ_c · dy,
 *             dx = r · (ĝ − mean_g(ĝ) − x̂ · mean_g(ĝ · x̂))
 *             dγ_c = Σ_{n,h,w} dy · x̂,   dβ_c = Σ_{n,h,w} dy
 *
 * The statistics are recomputed in the backward kernels (one cheap pass) rather than kept as
 * extra outputs. Sums run in float64, so the one-pass variance E[x²] − μ² loses nothing at these
 * magnitudes. The gradient of each input is its own kernel, so an input gradient (attacks) never
 * pays for dγ.
 */
import {
  engine,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  sum,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { WasmAccess } from './wasmBackendAccess';

export const GROUP_NORM = 'PlaygroundGroupNorm';
export const GROUP_NORM_GRAD_INPUT = 'PlaygroundGroupNormGradInput';
export const GROUP_NORM_GRAD_GAMMA = 'PlaygroundGroupNormGradGamma';

export interface GroupNormAttrs {
  groups: number;
  epsilon: number;
}

export interface GroupNormGeometry {
  /** Batch size. */
  n: number;
  /** Pixels per example (H·W). */
  pixels: number;
  /** Channels. */
  c: number;
  groups: number;
  epsilon: number;
}

/**
 * Mean and 1/√(σ² + ε) of each group of example b (into mean[k], rstd[k], k < groups), from
 * per-channel sums of x and x² in float64. Every kernel below works one example at a time, so
 * the example's values (173 kB for 26×26×64) stay in cache between its passes.
 */
export function exampleStatistics(
  x: Float32Array,
  b: number,
  g: GroupNormGeometry,
  mean: Float64Array,
  rstd: Float64Array,
  s1: Float64Array,
  s2: Float64Array,
): void {
  const { pixels, c, groups, epsilon } = g;
  const per = c / groups;
  const m = pixels * per;
  s1.fill(0);
  s2.fill(0);
  let i = b * pixels * c;
  for (let p = 0; p < pixels; p++) {
    for (let ch = 0; ch < c; ch++, i++) {
      const v = x[i];
      s1[ch] += v;
      s2[ch] += v * v;
    }
  }
  for (let k = 0; k < groups; k++) {
    let a = 0;
    let q = 0;
    for (let ch = k * per; ch < (k + 1) * per; ch++) {
      a += s1[ch];
      q += s2[ch];
    }
    const mu = a / m;
    mean[k] = mu;
    rstd[k] = 1 / Math.sqrt(Math.max(0, q / m - mu * mu) + epsilon);
  }
}

/** Scratch shared by the kernels: statistics of one example and per-channel coefficients. */
function scratch(g: GroupNormGeometry) {
  return {
    mean: new Float64Array(g.groups),
    rstd: new Float64Array(g.groups),
    s1: new Float64Array(g.c),
    s2: new Float64Array(g.c),
    a: new Float32Array(g.c),
    mu: new Float32Array(g.c),
    coefX: new Float32Array(g.c),
    bias: new Float32Array(g.c),
  };
}

export function groupNormForward(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  y: Float32Array,
  g: GroupNormGeometry,
): void {
  const { n, pixels, c, groups } = g;
  const per = c / groups;
  const t = scratch(g);
  const { a, mu } = t;
  for (let b = 0; b < n; b++) {
    exampleStatistics(x, b, g, t.mean, t.rstd, t.s1, t.s2);
    // y = (x − μ)·a_c + β_c, a_c = γ_c·r: x − μ first, as the composite does, so a constant group
    // gives exactly β.
    for (let ch = 0; ch < c; ch++) {
      const k = (ch / per) | 0;
      a[ch] = gamma[ch] * t.rstd[k];
      mu[ch] = t.mean[k];
    }
    let i = b * pixels * c;
    for (let p = 0; p < pixels; p++) {
      for (let ch = 0; ch < c; ch++, i++) y[i] = (x[i] - mu[ch]) * a[ch] + beta[ch];
    }
  }
}

/** dx = r · (ĝ − mean_g(ĝ) − x̂ · mean_g(ĝ · x̂)), ĝ = γ·dy. */
export function groupNormInputGradient(
  dy: Float32Array,
  x: Float32Array,
  gamma: Float32Array,
  dx: Float32Array,
  g: GroupNormGeometry,
): void {
  const { n, pixels, c, groups } = g;
  const per = c / groups;
  const m = pixels * per;
  const t = scratch(g);
  const { a, mu, coefX, bias } = t;
  // After the statistics, s1/s2 are reused for Σdy and Σdy·x per channel.
  for (let b = 0; b < n; b++) {
    exampleStatistics(x, b, g, t.mean, t.rstd, t.s1, t.s2);
    const sDy = t.s1;
    const sDyX = t.s2;
    const start = b * pixels * c;
    channelDySums(dy, x, start, pixels, c, sDy, sDyX);
    // Per group: A = mean(ĝ), B = mean(ĝ·x̂) = r·(Σγ·Σdy·x − μ·Σγ·Σdy)/m. Then
    // dx = r·γ·dy − r·A − r·x̂·B = (r·γ_c)·dy + (−r²·B)·(x − μ) − r·A.
    for (let k = 0; k < groups; k++) {
      const mk = t.mean[k];
      const r = t.rstd[k];
      let gDy = 0;
      let gDyX = 0;
      for (let ch = k * per; ch < (k + 1) * per; ch++) {
        gDy += gamma[ch] * sDy[ch];
        gDyX += gamma[ch] * sDyX[ch];
      }
      const A = gDy / m;
      const B = (r * (gDyX - mk * gDy)) / m;
      for (let ch = k * per; ch < (k + 1) * per; ch++) {
        a[ch] = r * gamma[ch];
        coefX[ch] = -r * r * B;
        mu[ch] = mk;
        bias[ch] = -r * A;
      }
    }
    let i = start;
    for (let p = 0; p < pixels; p++) {
      for (let ch = 0; ch < c; ch++, i++) dx[i] = a[ch] * dy[i] + coefX[ch] * (x[i] - mu[ch]) + bias[ch];
    }
  }
}

/** Σ_{h,w} dy and Σ_{h,w} dy·x per channel of one example (NHWC, starting at `start`), both gradients need them. */
function channelDySums(
  dy: Float32Array,
  x: Float32Array,
  start: number,
  pixels: number,
  c: number,
  sDy: Float64Array,
  sDyX: Float64Array,
): void {
  sDy.fill(0);
  sDyX.fill(0);
  let i = start;
  for (let p = 0; p < pixels; p++) {
    for (let ch = 0; ch < c; ch++, i++) {
      const d = dy[i];
      sDy[ch] += d;
      sDyX[ch] += d * x[i];
    }
  }
}

/** dγ_c = Σ_{n,h,w} dy · x̂ = Σ_n r·(Σ_{h,w} dy·x − μ·Σ_{h,w} dy). */
export function groupNormGammaGradient(dy: Float32Array, x: Float32Array, dGamma: Float32Array, g: GroupNormGeometry) {
  const { n, pixels, c, groups } = g;
  const per = c / groups;
  const t = scratch(g);
  const total = new Float64Array(c);
  for (let b = 0; b < n; b++) {
    exampleStatistics(x, b, g, t.mean, t.rstd, t.s1, t.s2);
    const sDy = t.s1;
    const sDyX = t.s2;
    channelDySums(dy, x, b * pixels * c, pixels, c, sDy, sDyX);
    for (let ch = 0; ch < c; ch++) {
      const k = (ch / per) | 0;
      total[ch] += t.rstd[k] * (sDyX[ch] - t.mean[k] * sDy[ch]);
    }
  }
  for (let ch = 0; ch < c; ch++) dGamma[ch] = total[ch];
}

function geometry(shape: number[], attrs: NamedAttrMap): GroupNormGeometry {
  const [n, h, w, c] = shape;
  const { groups, epsilon } = attrs as unknown as GroupNormAttrs;
  return { n, pixels: h * w, c, groups, epsilon };
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const heap = new WasmAccess(backend);
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const y = heap.uninitialised(x.shape);
  groupNormForward(heap.view(x), heap.view(gamma), heap.view(beta), heap.view(y), geometry(x.shape, attrs ?? {}));
  return y;
};

const inputGradient: KernelFunc = ({ inputs, backend, attrs }) => {
  const heap = new WasmAccess(backend);
  const { dy, x, gamma } = inputs as { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo };
  const dx = heap.uninitialised(x.shape);
  groupNormInputGradient(heap.view(dy), heap.view(x), heap.view(gamma), heap.view(dx), geometry(x.shape, attrs ?? {}));
  return dx;
};

const gammaGradient: KernelFunc = ({ inputs, backend, attrs }) => {
  const heap = new WasmAccess(backend);
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const dGamma = heap.uninitialised([x.shape[3]]);
  groupNormGammaGradient(heap.view(dy), heap.view(x), heap.view(dGamma), geometry(x.shape, attrs ?? {}));
  return dGamma;
};

export const groupNormKernelConfigs: KernelConfig[] = [
  { kernelName: GROUP_NORM, backendName: 'wasm', kernelFunc: forward },
  { kernelName: GROUP_NORM_GRAD_INPUT, backendName: 'wasm', kernelFunc: inputGradient },
  { kernelName: GROUP_NORM_GRAD_GAMMA, backendName: 'wasm', kernelFunc: gammaGradient },
];

/** Each input's gradient is its own lazy closure: tf.grad asks only for the ones on the path. */
export const groupNormGradConfig: GradConfig = {
  kernelName: GROUP_NORM,
  inputsToSave: ['x', 'gamma'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, gamma] = saved;
    const d = dy as Tensor;
    return {
      x: () => engine().runKernel(GROUP_NORM_GRAD_INPUT, { dy: d, x, gamma }, attrs) as Tensor,
      gamma: () => engine().runKernel(GROUP_NORM_GRAD_GAMMA, { dy: d, x }, attrs) as Tensor,
      beta: () => sum(d, [0, 1, 2]),
    };
  },
};

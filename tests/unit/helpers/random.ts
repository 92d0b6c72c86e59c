import { mulberry32 } from '../../../src/core/util/random';

/** Seeded standard-normal values (Box–Muller), independent of any tfjs backend. */
export function normals(n: number, seed: number, scale = 1): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = scale * r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = scale * r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function uniforms(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

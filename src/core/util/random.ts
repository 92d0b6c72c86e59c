/**
 * Seeded pseudo-random numbers for everything that must be reproducible from a seed
 * (data order, target choice). Tensor noise uses tfjs' own seeded ops instead.
 */

/** Mulberry32: a small, fast 32-bit generator; plenty for shuffling and sampling. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded Fisher–Yates permutation of 0 … n−1. */
export function seededPermutation(n: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * The seed to give tfjs' normal generator (tf.randomNormal) for our seed `seed` ≥ 0. tfjs 4.22
 * takes a seed of 0 as "no seed" and draws from Math.random, so seed 0 would not be reproducible;
 * it becomes −1, which no caller uses. Every other seed passes unchanged, so results made with
 * them (the shipped models) stay reproducible.
 */
export function tfNormalSeed(seed: number): number {
  return seed === 0 ? -1 : seed;
}

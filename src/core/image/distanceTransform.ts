/**
 * The exact Euclidean distance transform of a binary picture: for every pixel, the distance to the
 * nearest pixel of the other kind. Felzenszwalb & Huttenlocher (2012), "Distance transforms of
 * sampled functions", §2 and §4: the squared distance is separable, one pass per column then one per
 * row, each the lower envelope of parabolas rooted at the feature pixels — linear in the pixels.
 * Used to measure a digit's stroke width and to redraw its strokes at MNIST's (strokeWidth.ts).
 * Pure arithmetic on arrays.
 */

const FAR = 1e20;

/** One-dimensional squared distance transform of f (n values, FAR where no feature), into d. */
function envelope1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  // v: roots of the parabolas in the lower envelope; z: where each starts to be the lowest (§2.1).
  let k = 0;
  v[0] = 0;
  z[0] = -FAR;
  z[1] = FAR;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = FAR;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    d[q] = (q - v[k]) * (q - v[k]) + f[v[k]];
  }
}

/**
 * The distance from each pixel to the nearest pixel where `isFeature` holds (0 on those pixels), in
 * pixels; pixels outside the picture are not features. With no feature at all every distance is huge.
 */
export function distanceTransform(isFeature: (i: number) => boolean, width: number, height: number): Float32Array {
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const squared = new Float64Array(width * height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = isFeature(y * width + x) ? 0 : FAR;
    envelope1d(f, height, d, v, z);
    for (let y = 0; y < height; y++) squared[y * width + x] = d[y];
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) f[x] = squared[y * width + x];
    envelope1d(f, width, d, v, z);
    for (let x = 0; x < width; x++) out[y * width + x] = Math.sqrt(d[x]);
  }
  return out;
}

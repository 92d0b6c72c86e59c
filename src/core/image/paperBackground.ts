/**
 * The paper's own brightness under the photo's light, and how dark the ink is against it.
 *
 * A photo of a sheet is lit unevenly (a gradient, vignetting, the shadow of the phone or a hand).
 * The paper's brightness is estimated by a grey-level morphological closing — a maximum filter then
 * a minimum filter over a square much wider than a pen stroke (Serra 1982, ch. X; the "rolling
 * ball" background of Sternberg 1983). Closing removes every dark structure narrower than the
 * window (the strokes) and keeps what is wider: smooth gradients, and shadow edges, even hard ones,
 * stay exactly where they are (a closing leaves monotone profiles unchanged). The ink is then read
 * as the relative darkness 1 − picture / paper, which does not depend on how bright the light was
 * where the ink lies: ink in a shadow is as dark, relative to its paper, as ink in the sun.
 *
 * The maximum and minimum filters use van Herk's (1992) and Gil & Werman's (1993) algorithm: three
 * comparisons per pixel whatever the window. Pure arithmetic on arrays.
 */

/**
 * Sliding maximum (or minimum) over a window of 2·radius + 1 samples along every line of `src`
 * (van Herk 1992; Gil & Werman 1993). Beyond the ends the line is continued by odd reflection,
 * 2·f(end) − f(end ∓ k), which keeps a trend going: light that falls off towards the picture's
 * edge (vignetting) stays monotone there, and a closing keeps monotone profiles exactly, where
 * repeating the edge value would flatten the last `radius` pixels and show them as ink.
 */
function slidingExtreme(
  src: Float32Array,
  dst: Float32Array,
  length: number,
  lines: number,
  lineStride: number,
  step: number,
  radius: number,
  max: boolean,
): void {
  const k = 2 * radius + 1;
  const padded = length + 2 * radius;
  const n = Math.ceil(padded / k) * k;
  const line = new Float32Array(n);
  const prefix = new Float32Array(n);
  const suffix = new Float32Array(n);
  const pick = max ? Math.max : Math.min;
  for (let l = 0; l < lines; l++) {
    const base = l * lineStride;
    for (let i = 0; i < n; i++) {
      const j = i - radius;
      if (j < 0) {
        line[i] = 2 * src[base] - src[base + Math.min(length - 1, -j) * step];
      } else if (j >= length) {
        const last = src[base + (length - 1) * step];
        line[i] = 2 * last - src[base + Math.max(0, 2 * (length - 1) - j) * step];
      } else {
        line[i] = src[base + j * step];
      }
    }
    for (let b = 0; b < n; b += k) {
      prefix[b] = line[b];
      for (let i = b + 1; i < b + k; i++) prefix[i] = pick(prefix[i - 1], line[i]);
      suffix[b + k - 1] = line[b + k - 1];
      for (let i = b + k - 2; i >= b; i--) suffix[i] = pick(suffix[i + 1], line[i]);
    }
    // Output i covers padded samples i … i + 2r: the suffix of its block and the prefix of the next.
    for (let i = 0; i < length; i++) dst[base + i * step] = pick(suffix[i], prefix[i + k - 1]);
  }
}

/** Grey-level closing (max filter, then min filter) over a (2·radius + 1)² square. */
export function closing(image: Float32Array, width: number, height: number, radius: number): Float32Array {
  const a = new Float32Array(image.length);
  const b = new Float32Array(image.length);
  slidingExtreme(image, a, width, height, width, 1, radius, true);
  slidingExtreme(a, b, height, width, 1, width, radius, true);
  slidingExtreme(b, a, width, height, width, 1, radius, false);
  slidingExtreme(a, b, height, width, 1, width, radius, false);
  return b;
}

/** Box mean over a (2·radius + 1)² square, edges repeated: a light smoothing against sensor noise. */
export function boxMean(image: Float32Array, width: number, height: number, radius: number): Float32Array {
  if (radius < 1) return image.slice();
  const tmp = new Float32Array(image.length);
  const out = new Float32Array(image.length);
  const pass = (src: Float32Array, dst: Float32Array, length: number, lines: number, stride: number, step: number) => {
    for (let l = 0; l < lines; l++) {
      const base = l * stride;
      let acc = 0;
      for (let i = -radius; i <= radius; i++) acc += src[base + Math.min(length - 1, Math.max(0, i)) * step];
      for (let i = 0; i < length; i++) {
        dst[base + i * step] = acc / (2 * radius + 1);
        const enter = Math.min(length - 1, i + radius + 1);
        const leave = Math.max(0, i - radius);
        acc += src[base + enter * step] - src[base + leave * step];
      }
    }
  };
  pass(image, tmp, width, height, width, 1);
  pass(tmp, out, height, width, 1, width);
  return out;
}

/**
 * How dark the ink is relative to its paper, 0 (paper) to 1 (black): 1 − brightness / paper, where
 * `brightness` has the paper light (a dark-paper picture is passed inverted), first smoothed over
 * (2·smoothing + 1)² against sensor noise, and the paper is its closing over a window of
 * 2·radius + 1 pixels. Picture and paper are the same smoothed copy: a shadow's edge, kept by the
 * closing, then cancels exactly instead of leaving a thin line of false ink along it.
 */
export function relativeInk(
  brightness: Float32Array,
  width: number,
  height: number,
  radius: number,
  smoothing: number,
): { ink: Float32Array; paper: Float32Array } {
  const smooth = boxMean(brightness, width, height, smoothing);
  const paper = closing(smooth, width, height, radius);
  const ink = new Float32Array(brightness.length);
  for (let i = 0; i < ink.length; i++) {
    ink[i] = paper[i] > 1e-3 ? Math.min(1, Math.max(0, 1 - smooth[i] / paper[i])) : 0;
  }
  return { ink, paper };
}

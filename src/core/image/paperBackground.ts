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
 * (van Herk 1992; Gil & Werman 1993); beyond a line's ends its end value is repeated (the caller
 * pads the picture so that what this changes is cut away).
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
  for (let l = 0; l < lines; l++) {
    const base = l * lineStride;
    for (let i = 0; i < n; i++) {
      const j = i - radius;
      line[i] = src[base + (j < 0 ? 0 : j >= length ? length - 1 : j) * step];
    }
    // The maximum and the minimum are written out apart (not through a function value): this loop is
    // most of the preprocessing's time, and a direct comparison is several times faster.
    if (max) {
      for (let b = 0; b < n; b += k) {
        let acc = line[b];
        prefix[b] = acc;
        for (let i = b + 1; i < b + k; i++) prefix[i] = acc = Math.max(line[i], acc);
        acc = line[b + k - 1];
        suffix[b + k - 1] = acc;
        for (let i = b + k - 2; i >= b; i--) suffix[i] = acc = Math.max(line[i], acc);
      }
      // Output i covers padded samples i … i + 2r: the suffix of its block and the prefix of the next.
      for (let i = 0; i < length; i++) {
        const a = suffix[i];
        const c = prefix[i + k - 1];
        dst[base + i * step] = Math.max(a, c);
      }
    } else {
      for (let b = 0; b < n; b += k) {
        let acc = line[b];
        prefix[b] = acc;
        for (let i = b + 1; i < b + k; i++) prefix[i] = acc = Math.min(line[i], acc);
        acc = line[b + k - 1];
        suffix[b + k - 1] = acc;
        for (let i = b + k - 2; i >= b; i--) suffix[i] = acc = Math.min(line[i], acc);
      }
      for (let i = 0; i < length; i++) {
        const a = suffix[i];
        const c = prefix[i + k - 1];
        dst[base + i * step] = Math.min(a, c);
      }
    }
  }
}

/**
 * Grey-level closing (max filter, then min filter) over a (2·radius + 1)² square. The picture is
 * first extended by 2·radius on every side, each added pixel a copy of the nearest edge pixel, and
 * the closing taken on the extended picture: every square that reaches a pixel of the picture then
 * lies where the extension is defined. A shadow's straight edge running into the picture's edge
 * continues straight, and light falling off towards the edge (vignetting) levels off beyond it, so
 * the closing keeps both exactly (a closing keeps half-planes and monotone profiles). Reflecting
 * the picture at its edge instead would fold a shadow's edge into a V, and a closing fills the dark
 * wedge of a V: a false band of "ink" as deep as the shadow along its edge (measured: the whole
 * shadow depth over thousands of pixels of a 300×400 picture).
 */
export function closing(image: Float32Array, width: number, height: number, radius: number): Float32Array {
  const pad = 2 * radius;
  const w = width + 2 * pad;
  const h = height + 2 * pad;
  const a = new Float32Array(w * h);
  const b = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = Math.min(height - 1, Math.max(0, y - pad)) * width;
    for (let x = 0; x < w; x++) a[y * w + x] = image[row + Math.min(width - 1, Math.max(0, x - pad))];
  }
  slidingExtreme(a, b, w, h, w, 1, radius, true);
  slidingExtreme(b, a, h, w, 1, w, radius, true);
  slidingExtreme(a, b, w, h, w, 1, radius, false);
  slidingExtreme(b, a, h, w, 1, w, radius, false);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) out.set(a.subarray((y + pad) * w + pad, (y + pad) * w + pad + width), y * width);
  return out;
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

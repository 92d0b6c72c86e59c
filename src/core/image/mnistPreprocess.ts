/**
 * Turns a picture of a digit (any size, RGBA bytes, as a canvas or an image decoder gives them)
 * into an input that looks like MNIST, following the recipe of the MNIST release:
 *
 *   1. grayscale (Rec. 601 luma), transparent pixels composited over white;
 *   2. invert when the background (median of the border) is light, so ink is bright on black,
 *      and stretch so the background maps to 0 and the darkest ink to 1;
 *   3. crop to the bounding box of the ink;
 *   4. scale into a 20×20 box keeping the aspect ratio (area averaging, i.e. anti-aliased);
 *   5. place in 28×28 so the centre of mass falls on the centre.
 *
 * A picture that is already 28×28 is taken to be in MNIST form: steps 1–2 only.
 * Pure arithmetic on arrays: runs in the worker, in Node and in tests.
 */
import { ImageInputError } from '../util/errors';

export const MNIST_BOX = 20;
export const MNIST_FIELD = 28;
/** After stretching, pixels above this count as ink when finding the bounding box. */
export const INK_THRESHOLD = 0.15;
/** Ink must differ from the background by this much (of the 0–1 range) to count as a digit. */
export const MIN_INK_CONTRAST = 0.05;
/** Refuse to process more pixels than this (the UI downsizes before, the CLI refuses). */
export const MAX_PIXELS = 25_000_000;

export interface PreprocessResult {
  /** 28 × 28 values in [0,1], ink bright. */
  pixels: Float32Array;
  inverted: boolean;
  /** The ink's bounding box in the source picture, or null when the picture was used whole. */
  crop: { x: number; y: number; width: number; height: number } | null;
  /** Source pixels per output pixel in the scaling step (1 when not scaled). */
  scale: number;
  /** Centre-of-mass shift applied, in output pixels. */
  shift: { dx: number; dy: number };
}

export function toGrayscale(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const n = width * height;
  if (rgba.length !== n * 4) {
    throw new ImageInputError(`Expected ${n * 4} RGBA bytes for a ${width}×${height} image, got ${rgba.length}.`);
  }
  const gray = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3] / 255;
    const luma = (0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]) / 255;
    gray[i] = a * luma + (1 - a); // over white
  }
  return gray;
}

function borderMedian(gray: Float32Array, width: number, height: number): number {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(gray[x], gray[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) border.push(gray[y * width], gray[y * width + width - 1]);
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)];
}

/** Inverts a light background and stretches background → 0, strongest ink → 1. */
export function normaliseInk(
  gray: Float32Array,
  width: number,
  height: number,
): { ink: Float32Array; inverted: boolean } {
  const background = borderMedian(gray, width, height);
  const inverted = background > 0.5;
  const ink = new Float32Array(gray.length);
  const bg = inverted ? 1 - background : background;
  let peak = 0;
  for (let i = 0; i < gray.length; i++) {
    ink[i] = inverted ? 1 - gray[i] : gray[i];
    if (ink[i] > peak) peak = ink[i];
  }
  if (peak - bg < MIN_INK_CONTRAST) {
    // A uniform picture has no ink: stretching its noise would invent a full-frame "digit".
    ink.fill(0);
    return { ink, inverted };
  }
  const range = peak - bg;
  for (let i = 0; i < ink.length; i++) ink[i] = Math.min(1, Math.max(0, (ink[i] - bg) / range));
  return { ink, inverted };
}

export function inkBoundingBox(ink: Float32Array, width: number, height: number) {
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > INK_THRESHOLD) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Area-averaging resample of a region of `src` to outW × outH: each output pixel is the mean of
 * the source area it covers (fractional overlaps weighted), so downscaling does not alias.
 */
export function resampleArea(
  src: Float32Array,
  srcWidth: number,
  region: { x: number; y: number; width: number; height: number },
  outW: number,
  outH: number,
): Float32Array {
  const out = new Float32Array(outW * outH);
  const sx = region.width / outW;
  const sy = region.height / outH;
  for (let oy = 0; oy < outH; oy++) {
    const fy0 = oy * sy,
      fy1 = fy0 + sy;
    for (let ox = 0; ox < outW; ox++) {
      const fx0 = ox * sx,
        fx1 = fx0 + sx;
      let sum = 0,
        area = 0;
      for (let y = Math.floor(fy0); y < Math.ceil(fy1); y++) {
        const wy = Math.min(fy1, y + 1) - Math.max(fy0, y);
        if (wy <= 0) continue;
        for (let x = Math.floor(fx0); x < Math.ceil(fx1); x++) {
          const wx = Math.min(fx1, x + 1) - Math.max(fx0, x);
          if (wx <= 0) continue;
          sum += wx * wy * src[(region.y + y) * srcWidth + region.x + x];
          area += wx * wy;
        }
      }
      out[oy * outW + ox] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

export function centreOfMass(img: Float32Array, width: number, height: number): { x: number; y: number } {
  let m = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = img[y * width + x];
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return m > 0 ? { x: mx / m, y: my / m } : { x: width / 2, y: height / 2 };
}

export function preprocessMnist(rgba: ArrayLike<number>, width: number, height: number): PreprocessResult {
  if (!(width > 0 && height > 0)) throw new ImageInputError('The image has no pixels.');
  if (width * height > MAX_PIXELS) {
    throw new ImageInputError(
      `The image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels); the limit is ` +
        `${MAX_PIXELS / 1e6} megapixels.`,
    );
  }
  const { ink, inverted } = normaliseInk(toGrayscale(rgba, width, height), width, height);
  if (width === MNIST_FIELD && height === MNIST_FIELD) {
    return { pixels: ink, inverted, crop: null, scale: 1, shift: { dx: 0, dy: 0 } };
  }
  const box = inkBoundingBox(ink, width, height);
  if (!box) {
    throw new ImageInputError('No digit found: the picture looks blank. Try a darker pen or a plainer background.');
  }
  const scale = Math.max(box.width, box.height) / MNIST_BOX;
  const w = Math.max(1, Math.round(box.width / scale));
  const h = Math.max(1, Math.round(box.height / scale));
  const digit = resampleArea(ink, width, box, w, h);
  const com = centreOfMass(digit, w, h);
  const dx = Math.round(MNIST_FIELD / 2 - com.x);
  const dy = Math.round(MNIST_FIELD / 2 - com.y);
  const pixels = new Float32Array(MNIST_FIELD * MNIST_FIELD);
  for (let y = 0; y < h; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= MNIST_FIELD) continue;
    for (let x = 0; x < w; x++) {
      const tx = x + dx;
      if (tx < 0 || tx >= MNIST_FIELD) continue;
      pixels[ty * MNIST_FIELD + tx] = digit[y * w + x];
    }
  }
  return { pixels, inverted, crop: box, scale, shift: { dx, dy } };
}

/**
 * Turns a picture of a digit (any size, RGBA bytes, as a canvas or an image decoder gives them)
 * into an input that looks like MNIST — a photo of handwriting on paper as much as a clean scan or
 * a drawing:
 *
 *   1. find the digit's ink as a person would (photoInk.ts): remove the paper's uneven light
 *      before separating ink from paper, threshold adaptively, keep the digit's strokes and drop
 *      shading, shadows, rules, specks and the sheet's edge;
 *   2. in a photo or a scan, redraw strokes bolder or finer than MNIST's at the edge of its range
 *      (strokeWidth.ts): a bold pen would close a 4's gap, a fine one leave hairlines;
 *   3. then the recipe of the MNIST release (LeCun et al. 1998, §III.A): crop to the strokes' box,
 *      scale into a 20×20 box keeping the aspect ratio (area averaging, i.e. anti-aliased grey
 *      levels), and place in 28×28 so the centre of mass falls on the centre.
 *
 * A picture that is already 28×28 is taken to be in MNIST form: grey, inverted when its background
 * is light, and stretched so the background is 0 and the strongest ink 1.
 * Pure arithmetic on arrays: runs in the worker, in Node and in tests.
 */
import { ImageInputError } from '../util/errors';
import { findDigitInk, MIN_INK_CONTRAST, type PreprocessStages } from './photoInk';
import { normaliseStrokeWidth } from './strokeWidth';

export { INK_THRESHOLD, MIN_INK_CONTRAST } from './photoInk';
export type { PreprocessStages } from './photoInk';

export const MNIST_BOX = 20;
export const MNIST_FIELD = 28;
/**
 * The most pixels preprocessing takes: the app decodes a photo at most 512 pixels long, the command
 * line shrinks larger ones while reading them (imageFiles.ts), so this only guards the core.
 */
export const MAX_PIXELS = 64_000_000;

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
  /** How the ink was found (null for a 28×28 picture, used whole). */
  photo: {
    /** Relative darkness (1 − picture / paper) at which strokes start and grow to. */
    thresholds: { high: number; low: number };
    /** Rule lines erased, and marks (shading, specks, the sheet's edge) that were not the digit. */
    removed: { rules: number; marks: number };
    /** The photo and its ink mask, small, for showing photo → ink mask → 28×28. */
    stages: PreprocessStages;
  } | null;
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
  if (!(width > 0 && height > 0) || !Number.isInteger(width) || !Number.isInteger(height)) {
    throw new ImageInputError('The image has no pixels.');
  }
  if (width * height > MAX_PIXELS) {
    throw new ImageInputError(
      `The image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels); the limit is ` +
        `${MAX_PIXELS / 1e6} megapixels.`,
    );
  }
  if (width === MNIST_FIELD && height === MNIST_FIELD) {
    const { ink, inverted } = normaliseInk(toGrayscale(rgba, width, height), width, height);
    return { pixels: ink, inverted, crop: null, scale: 1, shift: { dx: 0, dy: 0 }, photo: null };
  }
  if (rgba.length !== width * height * 4) {
    throw new ImageInputError(
      `Expected ${width * height * 4} RGBA bytes for a ${width}×${height} image, got ${rgba.length}.`,
    );
  }
  const found = findDigitInk(rgba, width, height);
  if (!found) {
    throw new ImageInputError('No digit found: the picture looks blank. Try a darker pen or a plainer background.');
  }
  // A photo's strokes are as bold as its pen and light made them: brought within MNIST's widths. A
  // drawing with no grain at all (the drawing pad, a rendered digit) keeps the strokes it was drawn with.
  const { box, ink } = found.clean ? found : normaliseStrokeWidth(found.ink, found.width, found.height, found.box);
  const shrink = found.scale;
  const scale = Math.max(box.width, box.height) / MNIST_BOX;
  const w = Math.max(1, Math.round(box.width / scale));
  const h = Math.max(1, Math.round(box.height / scale));
  const digit = resampleArea(ink, found.width, box, w, h);
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
  // The crop in the source picture's pixels (the ink was found on a copy at most WORK_SIDE long).
  const crop = {
    x: Math.round(box.x * shrink),
    y: Math.round(box.y * shrink),
    width: Math.round(box.width * shrink),
    height: Math.round(box.height * shrink),
  };
  return {
    pixels,
    inverted: found.inverted,
    crop,
    scale: scale * shrink,
    shift: { dx, dy },
    photo: { thresholds: found.thresholds, removed: found.removed, stages: found.stages },
  };
}

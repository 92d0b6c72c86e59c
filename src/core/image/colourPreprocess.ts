/**
 * Turns a colour picture (any size, RGBA bytes, as a canvas or an image decoder gives them) into
 * the input of a CIFAR-10 model, the way CIFAR-10's own images were made small (Krizhevsky 2009,
 * §3: the Tiny Images were downsampled to 32×32) and the way classifiers are usually fed a photo:
 *
 *   1. transparent pixels composited over white (as a browser shows them on a white page);
 *   2. scale so the *short* side becomes 32, by area averaging (each output pixel is the mean of
 *      the source area it covers, fractional overlaps weighted, so downscaling does not alias);
 *   3. keep the centred 32×32 square (the centre crop of the scaled picture).
 *
 * Steps 2 and 3 are done in one pass: output pixel (x, y) averages the source rectangle
 * [x0 + x·s, x0 + (x+1)·s) × [y0 + y·s, y0 + (y+1)·s), with s = short side / 32 and (x0, y0) the
 * corner of the centred square of side `short` — exactly "scale, then crop the middle", without
 * rounding the scaled size. Colours are kept as they are (no normalisation): a CIFAR model takes
 * RGB in [0,1], channels last. Pure arithmetic on arrays: runs in the worker, in Node and in tests.
 */
import { ImageInputError } from '../util/errors';
import { MAX_PIXELS } from './mnistPreprocess';

/** CIFAR-10's side. */
export const COLOUR_FIELD = 32;
export const COLOUR_CHANNELS = 3;

export interface ColourPreprocessResult {
  /** side × side × 3 values in [0,1], RGB, row-major, channels last. */
  pixels: Float32Array;
  /** The output's side (32 for CIFAR-10). */
  side: number;
  /** The centred square of the source that was kept, in source pixels (x, y may be fractional). */
  crop: { x: number; y: number; width: number; height: number };
  /** Source pixels per output pixel (above 1: shrunk; below 1: enlarged). */
  scale: number;
}

/** RGB in [0,1] per pixel, alpha composited over white. */
export function rgbOverWhite(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const n = width * height;
  if (rgba.length !== n * 4) {
    throw new ImageInputError(`Expected ${n * 4} RGBA bytes for a ${width}×${height} image, got ${rgba.length}.`);
  }
  const rgb = new Float32Array(n * COLOUR_CHANNELS);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3] / 255;
    for (let k = 0; k < COLOUR_CHANNELS; k++) rgb[COLOUR_CHANNELS * i + k] = (a * rgba[4 * i + k]) / 255 + (1 - a);
  }
  return rgb;
}

/**
 * The source intervals an output row or column covers, with their weights: output cell o covers
 * [start + o·step, start + (o+1)·step); each source cell i in it gets the length of the overlap.
 */
function coverage(
  start: number,
  step: number,
  outputs: number,
  sourceLength: number,
): { first: number; weights: number[] }[] {
  const cells: { first: number; weights: number[] }[] = [];
  for (let o = 0; o < outputs; o++) {
    const f0 = start + o * step;
    const f1 = f0 + step;
    const first = Math.max(0, Math.floor(f0));
    const last = Math.min(sourceLength, Math.ceil(f1));
    const weights: number[] = [];
    for (let i = first; i < last; i++) weights.push(Math.max(0, Math.min(f1, i + 1) - Math.max(f0, i)));
    cells.push({ first, weights });
  }
  return cells;
}

/**
 * Scales the short side of an RGB picture to `side` by area averaging and keeps the centred
 * side × side square. `rgb` is width × height × 3, row-major.
 */
export function centreCropArea(
  rgb: Float32Array,
  width: number,
  height: number,
  side = COLOUR_FIELD,
): Omit<ColourPreprocessResult, 'side'> {
  const short = Math.min(width, height);
  const scale = short / side;
  const x0 = (width - short) / 2;
  const y0 = (height - short) / 2;
  const cols = coverage(x0, scale, side, width);
  const rows = coverage(y0, scale, side, height);
  const pixels = new Float32Array(side * side * COLOUR_CHANNELS);
  const sum = [0, 0, 0];
  for (let oy = 0; oy < side; oy++) {
    const row = rows[oy];
    for (let ox = 0; ox < side; ox++) {
      const col = cols[ox];
      sum[0] = sum[1] = sum[2] = 0;
      let area = 0;
      for (let j = 0; j < row.weights.length; j++) {
        const wy = row.weights[j];
        if (wy === 0) continue;
        const base = (row.first + j) * width;
        for (let i = 0; i < col.weights.length; i++) {
          const w = wy * col.weights[i];
          if (w === 0) continue;
          const at = COLOUR_CHANNELS * (base + col.first + i);
          sum[0] += w * rgb[at];
          sum[1] += w * rgb[at + 1];
          sum[2] += w * rgb[at + 2];
          area += w;
        }
      }
      const out = COLOUR_CHANNELS * (oy * side + ox);
      for (let k = 0; k < COLOUR_CHANNELS; k++)
        pixels[out + k] = area > 0 ? Math.min(1, Math.max(0, sum[k] / area)) : 0;
    }
  }
  return { pixels, crop: { x: x0, y: y0, width: short, height: short }, scale };
}

/** A picture of any size → the side × side × 3 input of a colour model (CIFAR-10: 32). */
export function preprocessColour(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  side = COLOUR_FIELD,
): ColourPreprocessResult {
  if (!(width > 0 && height > 0) || !Number.isInteger(width) || !Number.isInteger(height)) {
    throw new ImageInputError('The image has no pixels.');
  }
  if (!(Number.isInteger(side) && side > 0))
    throw new ImageInputError(`The model's input side must be a positive whole number, not ${side}.`);
  if (width * height > MAX_PIXELS) {
    throw new ImageInputError(
      `The image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels); the limit is ` +
        `${MAX_PIXELS / 1e6} megapixels.`,
    );
  }
  return { ...centreCropArea(rgbOverWhite(rgba, width, height), width, height, side), side };
}

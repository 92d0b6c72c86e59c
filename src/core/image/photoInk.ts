/**
 * Separating a digit's ink from the paper in a photo, the way a person reads it:
 *
 *   1. grey (Rec. 601 luma, transparent pixels over white), shrunk by area averaging so the long
 *      side is at most WORK_SIDE (a 48-megapixel photo and its 512-pixel decode read alike);
 *   2. paper light or dark (paperPolarity.ts, from the skew of departures from the local median):
 *      the paper is made the bright side;
 *   3. the paper's brightness under the photo's light is estimated by a closing much wider than a
 *      stroke, and the ink read as relative darkness 1 − picture / paper (paperBackground.ts) — so
 *      gradients, vignetting and shadows, soft or hard-edged, fall away before any threshold;
 *   4. thresholds from the picture itself: a noise floor from the median and the median absolute
 *      deviation of the relative darkness (the paper is most of the picture; Hampel 1974), above
 *      which a mark must rise well clear (INK_THRESHOLD); marks are grown from pixels above the high
 *      threshold into pixels above the low one (hysteresis, Canny 1986 §6) so faint stroke ends stay
 *      attached. Otsu's (1979) split is not used: a dark table beside a pencil digit would set it
 *      above the pencil;
 *   5. notebook rules erased (ruledLines.ts), then the digit's strokes chosen among the connected
 *      components: shading, shadows, the sheet's edge, rules and specks are dropped (digitStrokes.ts).
 *
 * What comes out is the digit's ink alone, 0 (paper) to 1 (its typical ink), at the working size,
 * with the box around it and small pictures of the stages for the app to show. Pure arithmetic.
 */
import { chooseDigit, connectedComponents, type Box } from './digitStrokes';
import { relativeInk } from './paperBackground';
import { paperIsLight, POLARITY_SIDE } from './paperPolarity';
import { eraseRuledLines } from './ruledLines';

/** Pictures are read with their long side at most this many pixels (the app decodes at this size too). */
export const WORK_SIDE = 512;
/** The closing's window, as a fraction of the long side: far wider than a pen stroke. */
export const PAPER_WINDOW = 0.2;
/** The second pass's closing radius, in stroke widths (strokes crossing or bunched are wider than one). */
export const STROKE_WINDOW = 2.5;
/** Ink must be at least this much darker than its paper (relative) to count at all. */
export const MIN_INK_CONTRAST = 0.05;
/** The high threshold is never below this relative darkness: fainter marks are not strokes. */
export const INK_THRESHOLD = 0.15;
/** Noise floor: the paper's median darkness plus this many robust standard deviations. */
const NOISE_SIGMAS = 8;
/** The ink's level that maps to 1: this quantile of the digit's relative darkness. */
const INK_REFERENCE_QUANTILE = 0.75;
/** The stage pictures' long side. */
export const STAGE_SIDE = 96;
const HISTOGRAM_BINS = 1024;
/** Grain above this (of the 0–1 range: half a grey level) is smoothed before the closing. */
const NOISY = 0.002;
/** Grain below this (under a tenth of a grey level; photos measure 0.0009 and up) marks a clean picture. */
const CLEAN_GRAIN = 0.0003;
/** Neighbour differences above this are edges, not grain. */
const EDGE_STEP = 0.05;

/** Small grey pictures of what the preprocessing saw: the photo and its ink mask (kept 1, dropped 0.35). */
export interface PreprocessStages {
  width: number;
  height: number;
  photo: Float32Array;
  ink: Float32Array;
}

export interface PhotoInk {
  /** The working picture's size and the source pixels per working pixel. */
  width: number;
  height: number;
  scale: number;
  /** width × height: the digit's ink only, 0 paper to 1 its typical ink. */
  ink: Float32Array;
  /** Around the digit's strokes, in working pixels. */
  box: Box;
  /** True when the paper was light (dark ink). */
  inverted: boolean;
  /** True for a picture with next to no grain (a drawing, a rendered or scanned digit), not a photo. */
  clean: boolean;
  /** Relative darkness at which strokes start (high) and grow to (low). */
  thresholds: { high: number; low: number };
  /** What was dropped: rule lines found, and marks that were not the digit. */
  removed: { rules: number; marks: number };
  stages: PreprocessStages;
}

/** Area weights of the source cells each of `outputs` cells covers when `length` cells shrink by `scale`. */
function shrinkWeights(length: number, outputs: number): { first: Int32Array; split: Float32Array } {
  // Source cell i falls in output cell floor(i / s), or straddles two: `split` is its share in the first.
  const s = length / outputs;
  const first = new Int32Array(length);
  const split = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const o = Math.min(outputs - 1, Math.floor(i / s));
    const edge = (o + 1) * s;
    first[i] = o;
    split[i] = i + 1 <= edge || o === outputs - 1 ? 1 : edge - i;
  }
  return { first, split };
}

/** Shrinks a single-channel picture by area averaging so it is outW × outH. */
export function shrinkPlane(
  value: (i: number) => number,
  width: number,
  height: number,
  outW: number,
  outH: number,
): Float32Array {
  const out = new Float32Array(outW * outH);
  const area = new Float32Array(outW * outH);
  const cols = shrinkWeights(width, outW);
  const rows = shrinkWeights(height, outH);
  for (let y = 0; y < height; y++) {
    const oy = rows.first[y];
    const wy = rows.split[y];
    for (let x = 0; x < width; x++) {
      const v = value(y * width + x);
      const o = oy * outW + cols.first[x];
      const wx = cols.split[x];
      // The source cell's share in up to four output cells (it straddles one when its split is below 1).
      out[o] += wx * wy * v;
      area[o] += wx * wy;
      if (wx < 1) {
        out[o + 1] += (1 - wx) * wy * v;
        area[o + 1] += (1 - wx) * wy;
      }
      if (wy < 1) {
        out[o + outW] += wx * (1 - wy) * v;
        area[o + outW] += wx * (1 - wy);
        if (wx < 1) {
          out[o + outW + 1] += (1 - wx) * (1 - wy) * v;
          area[o + outW + 1] += (1 - wx) * (1 - wy);
        }
      }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = area[i] > 0 ? out[i] / area[i] : 0;
  return out;
}

function fitted(width: number, height: number, side: number) {
  const scale = Math.max(1, Math.max(width, height) / side);
  return { width: Math.max(1, Math.round(width / scale)), height: Math.max(1, Math.round(height / scale)), scale };
}

/** Luma over white, shrunk so the long side is at most WORK_SIDE. */
function workingGrey(rgba: ArrayLike<number>, width: number, height: number) {
  const size = fitted(width, height, WORK_SIDE);
  const luma = (i: number) => {
    const a = rgba[4 * i + 3] / 255;
    return (a * (0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2])) / 255 + (1 - a);
  };
  return { ...size, grey: shrinkPlane(luma, width, height, size.width, size.height) };
}

function quantile(histogram: Float64Array, q: number): number {
  let total = 0;
  for (const c of histogram) total += c;
  let acc = 0;
  for (let b = 0; b < histogram.length; b++) {
    acc += histogram[b];
    if (acc >= q * total) return (b + 0.5) / histogram.length;
  }
  return 1;
}

/** The paper's median relative darkness plus NOISE_SIGMAS robust standard deviations (1.4826 · MAD). */
function noiseFloor(ink: Float32Array): number {
  const histogram = new Float64Array(HISTOGRAM_BINS);
  for (const v of ink) histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor(v * HISTOGRAM_BINS))]++;
  const median = quantile(histogram, 0.5);
  const deviations = new Float64Array(HISTOGRAM_BINS);
  for (const v of ink) deviations[Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.abs(v - median) * HISTOGRAM_BINS))]++;
  return median + NOISE_SIGMAS * 1.4826 * quantile(deviations, 0.5);
}

/** The high and low thresholds of step 4, from the relative darkness of every pixel. */
export function inkThresholds(ink: Float32Array): { high: number; low: number } {
  const floor = noiseFloor(ink);
  const high = Math.max(INK_THRESHOLD, floor);
  return { high, low: Math.max(MIN_INK_CONTRAST, floor, high / 2) };
}

/** The value at quantile q of `values` at the indices in `at`. */
function quantileAt(values: Float32Array, at: number[], q: number): number {
  const picked = at.map((i) => values[i]).sort((a, b) => a - b);
  return picked[Math.min(picked.length - 1, Math.floor(q * picked.length))];
}

/** Steps 3–5 with a closing of the given radius: relative darkness, thresholds, marks and the digit among them. */
function inkPass(brightness: Float32Array, w: number, h: number, radius: number, smoothing: number, clean: boolean) {
  const { ink: darkness } = relativeInk(brightness, w, h, radius, smoothing);
  let peak = 0;
  for (const v of darkness) if (v > peak) peak = v;
  if (peak < MIN_INK_CONTRAST) return null;
  const thresholds = inkThresholds(darkness);
  const mask = new Uint8Array(darkness.length);
  for (let i = 0; i < mask.length; i++) mask[i] = darkness[i] > thresholds.low ? 1 : 0;
  const lines = eraseRuledLines(mask, darkness, w, h);
  const { labels, components } = connectedComponents(mask, darkness, w, h);
  const digit = chooseDigit(components, w, h, thresholds.high, clean);
  return digit && { darkness, thresholds, lines, labels, components, digit };
}

/**
 * How grainy the picture is: the mean absolute difference of horizontal neighbours, leaving out
 * differences of edges (over EDGE_STEP). Exactly 0 on a clean drawing; a photo's sensor noise,
 * paper grain and JPEG blocks all raise it.
 */
export function grain(grey: Float32Array, w: number, h: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x + 1 < w; x++) {
      const d = Math.abs(grey[y * w + x + 1] - grey[y * w + x]);
      if (d >= EDGE_STEP) continue;
      sum += d;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

/**
 * The mean width of the marks labelled `keep`: twice the area over the perimeter (a long stroke of
 * width s and length L has area sL and perimeter ≈ 2L).
 */
function strokeWidth(labels: Int32Array, keep: Set<number>, w: number, h: number): number {
  let area = 0;
  let perimeter = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!keep.has(labels[y * w + x])) continue;
      area++;
      if (x === 0 || !keep.has(labels[y * w + x - 1])) perimeter++;
      if (x === w - 1 || !keep.has(labels[y * w + x + 1])) perimeter++;
      if (y === 0 || !keep.has(labels[(y - 1) * w + x])) perimeter++;
      if (y === h - 1 || !keep.has(labels[(y + 1) * w + x])) perimeter++;
    }
  }
  return perimeter > 0 ? (2 * area) / perimeter : 0;
}

/** The digit's ink in a photo (steps 1–5 above), or null when the picture holds no ink at all. */
export function findDigitInk(rgba: ArrayLike<number>, width: number, height: number): PhotoInk | null {
  const { grey, width: w, height: h, scale } = workingGrey(rgba, width, height);
  // A first pass with a window far wider than any stroke finds the digit; a second with a window a
  // few of its strokes wide follows the light more closely (a closing bridges the bend at a soft
  // shadow's edge by an amount that grows with the window's square).
  const wide = Math.max(2, Math.round((PAPER_WINDOW * Math.max(w, h)) / 2));
  // Sensor noise is smoothed away before the closing (whose maximum filter would pick its peaks);
  // a clean drawing or scan is left sharp.
  const grainLevel = grain(grey, w, h);
  const smoothing = grainLevel > NOISY ? 1 : 0;
  // Only a picture with next to no grain (a drawing, a rendered digit) has every large mark meant as
  // the digit's: a quiet photo (low noise, smoothed further by JPEG and shrinking) still has a table.
  const clean = grainLevel < CLEAN_GRAIN;
  const small = fitted(w, h, POLARITY_SIDE);
  const inverted = paperIsLight(
    shrinkPlane((i) => grey[i], w, h, small.width, small.height),
    small.width,
    small.height,
  );
  const brightness = inverted ? grey : grey.map((v) => 1 - v);
  const first = inkPass(brightness, w, h, wide, smoothing, clean);
  if (!first) return null;
  const width1 = strokeWidth(first.labels, new Set(first.digit.keep.map((k) => k + 1)), w, h);
  const narrow = Math.max(2, Math.round(STROKE_WINDOW * width1));
  const pass = (narrow < wide && inkPass(brightness, w, h, narrow, smoothing, clean)) || first;
  const { darkness, thresholds, lines, labels, components, digit } = pass;

  const kept = new Uint8Array(components.length + 1);
  for (const k of digit.keep) kept[k + 1] = 1;
  const strokePixels: number[] = [];
  for (let i = 0; i < labels.length; i++) if (kept[labels[i]]) strokePixels.push(i);
  const reference = Math.max(MIN_INK_CONTRAST, quantileAt(darkness, strokePixels, INK_REFERENCE_QUANTILE));
  // The strokes and the pixel ring around them (their anti-aliased edge), scaled so typical ink is 1.
  const ink = new Float32Array(darkness.length);
  for (const i of strokePixels) {
    const x = i % w;
    const y = (i - x) / w;
    for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
      for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
        const j = yy * w + xx;
        if (labels[j] && !kept[labels[j]]) continue; // another mark's pixel stays out
        ink[j] = Math.min(1, darkness[j] / reference);
      }
    }
  }
  const strong = components.filter((c) => c.peak >= thresholds.high).length;
  return {
    width: w,
    height: h,
    scale,
    ink,
    box: digit.box,
    inverted,
    clean,
    thresholds,
    removed: { rules: lines.horizontal + lines.vertical, marks: strong - digit.keep.length },
    stages: stagePictures(grey, labels, kept, w, h),
  };
}

function stagePictures(grey: Float32Array, labels: Int32Array, kept: Uint8Array, w: number, h: number) {
  const size = fitted(w, h, STAGE_SIDE);
  const mark = (i: number) => (labels[i] === 0 ? 0 : kept[labels[i]] ? 1 : 0.35);
  return {
    width: size.width,
    height: size.height,
    photo: shrinkPlane((i) => grey[i], w, h, size.width, size.height),
    ink: shrinkPlane(mark, w, h, size.width, size.height),
  };
}

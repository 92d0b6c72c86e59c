/**
 * The drawing pad's strokes as pixels: a round brush painted along each stroke, anti-aliased by
 * the distance of each pixel's centre to the stroke, white ink on black as MNIST stores its digits.
 *
 * The pad keeps its own copy of these pixels, so what the pad shows is exactly what the
 * preprocessing (mnistPreprocess.ts: crop to the ink, scale into 20×20, centre the mass in 28×28,
 * LeCun et al. 1998, the MNIST release notes) receives — the same path as an uploaded photo.
 * Pure arithmetic on arrays: runs on the UI thread, in the worker and in Node tests.
 */

/** A point on the pad, in pad pixels (0 … PAD_SIDE, continuous; pixel i covers [i, i + 1)). */
export interface PadPoint {
  x: number;
  y: number;
}

/** The points of one press-drag-release, in order. One point is a dot. */
export type Stroke = PadPoint[];

/** The pad is PAD_SIDE × PAD_SIDE pixels: ten per MNIST pixel. */
export const PAD_SIDE = 280;

/**
 * Brush radius in pad pixels. A digit drawn across most of the pad (≈ 200 px tall) is scaled by
 * about 1/10 into MNIST's 20-pixel box, so a 20 px wide stroke becomes the 2–3 px strokes of
 * MNIST's pen digits.
 */
export const BRUSH_RADIUS = 10;

/** Distance from (px, py) to the segment a–b. */
function distanceToSegment(px: number, py: number, a: PadPoint, b: PadPoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / lengthSq));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

/**
 * Paints the segment a–b (a dot when a = b) into `ink` (side × side, values in [0,1]): a pixel
 * whose centre lies at distance d gets coverage clamp(radius + ½ − d), so the edge is one pixel of
 * grey, and overlapping strokes keep the larger value (ink does not add up where strokes cross).
 * Touches only the pixels within the brush's reach of the segment.
 */
export function paintSegment(ink: Float32Array, side: number, a: PadPoint, b: PadPoint, radius = BRUSH_RADIUS): void {
  const reach = radius + 0.5;
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach));
  const x1 = Math.min(side - 1, Math.ceil(Math.max(a.x, b.x) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach));
  const y1 = Math.min(side - 1, Math.ceil(Math.max(a.y, b.y) + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const coverage = reach - distanceToSegment(x + 0.5, y + 0.5, a, b);
      if (coverage <= 0) continue;
      const i = y * side + x;
      const v = Math.min(1, coverage);
      if (v > ink[i]) ink[i] = v;
    }
  }
}

/** Paints the last point of `stroke` joined to the one before it (the newest piece of a stroke being drawn). */
export function paintStrokeTip(ink: Float32Array, side: number, stroke: Stroke, radius = BRUSH_RADIUS): void {
  const n = stroke.length;
  if (n === 0) return;
  paintSegment(ink, side, stroke[Math.max(0, n - 2)], stroke[n - 1], radius);
}

/** All strokes painted on a blank side × side pad (used after undo, and by tests). */
export function rasteriseStrokes(
  strokes: readonly Stroke[],
  side = PAD_SIDE,
  radius = BRUSH_RADIUS,
): Float32Array<ArrayBuffer> {
  const ink = new Float32Array(side * side);
  for (const stroke of strokes) {
    if (stroke.length === 1) paintSegment(ink, side, stroke[0], stroke[0], radius);
    for (let i = 1; i < stroke.length; i++) paintSegment(ink, side, stroke[i - 1], stroke[i], radius);
  }
  return ink;
}

/** Ink as opaque RGBA, white on black: what a canvas shows and what the upload path's preprocessing reads. */
export function inkToRgba(ink: Float32Array): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(ink.length * 4);
  for (let i = 0; i < ink.length; i++) {
    const v = Math.round(ink[i] * 255);
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/** True when nothing has been drawn that the preprocessing would count as ink. */
export function isBlank(ink: Float32Array): boolean {
  for (let i = 0; i < ink.length; i++) if (ink[i] > 0) return false;
  return true;
}

/**
 * Redrawing a photographed digit's strokes within the widths MNIST's have, before it is shrunk to 20×20.
 *
 * How bold a digit looks in a photo depends on the pen and on the level at which its ink stands out
 * from the paper, not on the digit: a bold pen closes a 4's gap and fills a 9's loop, a fine one
 * leaves hairlines the 20×20 box blurs away. The strokes are measured with the Euclidean distance
 * transform (distanceTransform.ts): for a band of width W, the distance from its pixels to the paper
 * averages W/4, so W ≈ 4 × the mean inner distance over the ink (joints and ends bias it a little,
 * for every digit alike). A width outside MIN_STROKE–MAX_STROKE output pixels is brought to the
 * nearer end (a width inside is the writer's and stays): the ink is redrawn from its signed distance
 * to the stroke's edge, eroded or dilated by half the difference, with an edge ramp one output
 * pixel wide — after the area-averaging shrink, the anti-aliased edge MNIST's digits have (LeCun
 * et al. 1998, §III.A: the digits were normalised to 20×20 with anti-aliasing). A thinner
 * stroke reopens a gap that bold ink had only just closed.
 *
 * MNIST's own strokes, measured the same way on its test digits at 0.5 grey, are 1.7–3.5 pixels
 * (10th and 90th percentiles; median 2.35). Measured on the tuning photos (seeds 1000 and 2000, 300
 * photos): 291 read right against 288 without it, as with every width set to 2 (283–290 with 1.5,
 * 2.5 or 3); 40 clean scans of test digits read as before (38), where setting every width to 2
 * thinned a bold 8 into a 6.
 * Pure arithmetic on arrays.
 */
import type { Box } from './digitStrokes';
import { distanceTransform } from './distanceTransform';

/** Stroke widths outside this range, in pixels of the 20×20 box, are brought to its nearer end. */
export const MIN_STROKE = 2;
export const MAX_STROKE = 3.5;
/** Ink above this (of its typical strength) is inside a stroke. */
const INSIDE = 0.5;

/** Signed distance to the strokes' edge (positive inside), in pixels, and the strokes' mean width. */
export function signedStrokeDistance(
  ink: Float32Array,
  width: number,
  height: number,
): { distance: Float32Array; strokeWidth: number } {
  const toPaper = distanceTransform((i) => ink[i] <= INSIDE, width, height);
  const toInk = distanceTransform((i) => ink[i] > INSIDE, width, height);
  // Pixel centres are half a pixel inside the edge between an ink pixel and a paper pixel.
  const distance = new Float32Array(ink.length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < ink.length; i++) {
    if (ink[i] > INSIDE) {
      distance[i] = toPaper[i] - 0.5;
      sum += distance[i];
      count++;
    } else {
      distance[i] = 0.5 - toInk[i];
    }
  }
  return { distance, strokeWidth: count > 0 ? (4 * sum) / count : 0 };
}

/**
 * The digit's ink (0–1, `width` × `height`) redrawn with strokes MIN_STROKE–MAX_STROKE pixels wide
 * once its box is shrunk so its long side is 20, and the box around the redrawn strokes.
 */
export function normaliseStrokeWidth(
  ink: Float32Array,
  width: number,
  height: number,
  box: Box,
): { ink: Float32Array; box: Box } {
  const { distance, strokeWidth } = signedStrokeDistance(ink, width, height);
  if (strokeWidth <= 0) return { ink, box };
  const perOutputPixel = Math.max(box.width, box.height) / 20;
  const goal = Math.min(MAX_STROKE, Math.max(MIN_STROKE, strokeWidth / perOutputPixel));
  const erode = (strokeWidth - goal * perOutputPixel) / 2;
  if (erode === 0) return { ink, box };
  const out = new Float32Array(ink.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.min(1, Math.max(0, 0.5 + (distance[i] - erode) / perOutputPixel));
  }
  // The box grows or shrinks with the strokes (within the picture).
  const by = Math.round(-erode);
  const x0 = Math.max(0, box.x - by);
  const y0 = Math.max(0, box.y - by);
  const x1 = Math.min(width, box.x + box.width + by);
  const y1 = Math.min(height, box.y + box.height + by);
  if (x1 <= x0 || y1 <= y0) return { ink, box };
  return { ink: out, box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } };
}

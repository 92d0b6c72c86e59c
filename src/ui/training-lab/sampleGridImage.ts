/**
 * A JEM run's buffer grid (bytes from the worker) as RGBA pixels for a canvas: the images in their rows and columns
 * with a one-pixel grey gap, grey-scale images drawn grey.
 */
import type { TrainingSampleGrid } from '../../worker/api';

const GAP_GREY = 128;

export function sampleGridImage(g: TrainingSampleGrid): {
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
} {
  const width = g.columns * (g.width + 1) + 1;
  const height = g.rows * (g.height + 1) + 1;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(GAP_GREY);
  const perImage = g.height * g.width * g.channels;
  for (let row = 0; row < g.rows; row++) {
    for (let col = 0; col < g.columns; col++) {
      const base = (row * g.columns + col) * perImage;
      for (let r = 0; r < g.height; r++) {
        for (let q = 0; q < g.width; q++) {
          const at = ((1 + row * (g.height + 1) + r) * width + 1 + col * (g.width + 1) + q) * 4;
          const from = base + (r * g.width + q) * g.channels;
          for (let k = 0; k < 3; k++) rgba[at + k] = g.pixels[from + (g.channels === 1 ? 0 : k)];
          rgba[at + 3] = 255;
        }
      }
    }
  }
  return { rgba, width, height };
}

/**
 * The training lab's live picture of a JEM run: a small grid of replay-buffer entries (Du & Mordatch 2019, §3.1;
 * Grathwohl et al., ICLR 2020, §4), one row per class segment of a class-conditional buffer (or rows of the whole
 * buffer for an unconditional one), taken from the entries the last batches wrote, so the rows show the chains SGLD
 * has just moved. Each image is shrunk by averaging `factor` × `factor` blocks and the grid is sent as bytes: it
 * crosses from the worker to the page about once a second and must stay a few kilobytes.
 */
import type { ReplayBuffer } from './replayBuffer';

export interface BufferGrid {
  /** rows × columns images of side height × width, channels each, as bytes 0…255, row-major, channels last. */
  pixels: Uint8Array;
  rows: number;
  columns: number;
  /** One image's size after shrinking. */
  height: number;
  width: number;
  channels: number;
  /** True when row r holds the buffer segment of class r (a class-conditional buffer). */
  rowsAreClasses: boolean;
}

/** The `count` most recently written entries of [from, to), newest first (never-written ones last, in order). */
export function newestEntries(lastWritten: ArrayLike<number>, from: number, to: number, count: number): number[] {
  const indices = Array.from({ length: to - from }, (_, i) => from + i);
  indices.sort((a, b) => lastWritten[b] - lastWritten[a] || a - b);
  return indices.slice(0, count);
}

/** Averages factor × factor blocks of one h × w × c image (h and w divisible by factor). */
export function shrinkImage(
  image: ArrayLike<number>,
  [h, w, c]: [number, number, number],
  factor: number,
): Float32Array {
  const oh = Math.floor(h / factor);
  const ow = Math.floor(w / factor);
  const out = new Float32Array(oh * ow * c);
  for (let r = 0; r < oh; r++) {
    for (let q = 0; q < ow; q++) {
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let dr = 0; dr < factor; dr++) {
          for (let dq = 0; dq < factor; dq++) sum += image[((r * factor + dr) * w + q * factor + dq) * c + k];
        }
        out[(r * ow + q) * c + k] = sum / (factor * factor);
      }
    }
  }
  return out;
}

/**
 * The grid of `columns` entries for each of `rows` segments of the buffer (the class segments when
 * `classConditional`), each image shrunk by `factor`, values mapped from the buffer's range to bytes.
 */
export function bufferGrid(
  buffer: ReplayBuffer,
  o: { shape: [number, number, number]; rows: number; columns: number; factor: number; classConditional: boolean },
): BufferGrid {
  const [h, w, c] = o.shape;
  const { size, exampleSize, range } = buffer.config;
  const segment = Math.floor(size / o.rows);
  const height = Math.floor(h / o.factor);
  const width = Math.floor(w / o.factor);
  const perImage = height * width * c;
  const pixels = new Uint8Array(o.rows * o.columns * perImage);
  const [lo, hi] = range;
  for (let row = 0; row < o.rows; row++) {
    const chosen = newestEntries(buffer.lastWritten, row * segment, (row + 1) * segment, o.columns);
    for (const [col, index] of chosen.entries()) {
      const image = buffer.values.subarray(index * exampleSize, (index + 1) * exampleSize);
      const small = shrinkImage(image, o.shape, o.factor);
      const at = (row * o.columns + col) * perImage;
      for (let j = 0; j < perImage; j++) {
        pixels[at + j] = Math.round((255 * (Math.min(hi, Math.max(lo, small[j])) - lo)) / (hi - lo));
      }
    }
  }
  return { pixels, rows: o.rows, columns: o.columns, height, width, channels: c, rowsAreClasses: o.classConditional };
}

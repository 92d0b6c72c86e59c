/** The training lab's live buffer grid: block averages by hand, the newest entries by a brute-force ranking. */
import { describe, expect, it } from 'vitest';
import { bufferGrid, newestEntries, shrinkImage } from '../../src/core/train/jem/bufferGrid';
import { ReplayBuffer } from '../../src/core/train/jem/replayBuffer';

describe('shrinkImage', () => {
  it('averages 2 × 2 blocks of a 4 × 4 image', () => {
    const image = Float32Array.from({ length: 16 }, (_, i) => i);
    // Blocks: (0,1,4,5) → 2.5, (2,3,6,7) → 4.5, (8,9,12,13) → 10.5, (10,11,14,15) → 12.5.
    expect(Array.from(shrinkImage(image, [4, 4, 1], 2))).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('keeps the channels apart', () => {
    // 2 × 2 × 2: channel 0 holds 1,2,3,4 and channel 1 holds 10,20,30,40.
    const image = Float32Array.from([1, 10, 2, 20, 3, 30, 4, 40]);
    expect(Array.from(shrinkImage(image, [2, 2, 2], 2))).toEqual([2.5, 25]);
  });
});

describe('newestEntries', () => {
  it('ranks by the last write, newest first, never-written last in index order', () => {
    const lastWritten = [0, 5, 2, 0, 9, 5];
    expect(newestEntries(lastWritten, 0, 6, 6)).toEqual([4, 1, 5, 2, 0, 3]);
    expect(newestEntries(lastWritten, 2, 5, 2)).toEqual([4, 2]);
  });
});

describe('bufferGrid', () => {
  it('shows the entries each class segment got last, as bytes of the buffer range', () => {
    const buffer = new ReplayBuffer({ size: 4, reinit: 0, exampleSize: 4, range: [0, 1], seed: 1 });
    // Two segments of two entries: write entry 1 (segment 0) and entry 2 (segment 1) with known values.
    buffer.write(Int32Array.from([1, 2]), Float32Array.from([0, 0, 1, 1, 1, 1, 1, 1]));
    const grid = bufferGrid(buffer, { shape: [2, 2, 1], rows: 2, columns: 1, factor: 2, classConditional: true });
    expect(grid.rows).toBe(2);
    expect([grid.height, grid.width]).toEqual([1, 1]);
    // Entry 1 averages to 0.5 → 128 (rounded); entry 2 to 1 → 255.
    expect(Array.from(grid.pixels)).toEqual([128, 255]);
  });
});

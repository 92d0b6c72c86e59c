/**
 * A colour photo → CIFAR-10 input (src/core/image/colourPreprocess.ts): the short side scaled to
 * 32 by area averaging, the centred 32×32 square kept, RGB in [0,1] channels last. Checked against
 * independent references: block means for integer factors, the crop's position for landscape and
 * portrait pictures, mirror symmetry for a half-pixel offset, and alpha over white.
 */
import { describe, expect, test } from 'vitest';
import { COLOUR_FIELD, preprocessColour } from '../../src/core/image/colourPreprocess';
import { MAX_PIXELS } from '../../src/core/image/mnistPreprocess';
import { ImageInputError } from '../../src/core/util/errors';
import { mulberry32 } from '../../src/core/util/random';

type Rgba = readonly [number, number, number, number];

/** width × height RGBA bytes from a colour function. */
function picture(width: number, height: number, colour: (x: number, y: number) => Rgba): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), 4 * (y * width + x));
  return data;
}

/** Output pixel (x, y) as [r, g, b]. */
const at = (pixels: Float32Array, x: number, y: number, side = COLOUR_FIELD) =>
  Array.from(pixels.subarray(3 * (y * side + x), 3 * (y * side + x) + 3));

const RED: Rgba = [255, 0, 0, 255];
const GREEN: Rgba = [0, 255, 0, 255];
const BLUE: Rgba = [0, 0, 255, 255];

describe('preprocessColour', () => {
  test('a 32×32 picture is used as it is (bytes / 255), channel order kept', () => {
    const rand = mulberry32(7);
    const src = picture(32, 32, () => [
      Math.floor(rand() * 256),
      Math.floor(rand() * 256),
      Math.floor(rand() * 256),
      255,
    ]);
    const r = preprocessColour(src, 32, 32);
    expect(r.side).toBe(32);
    expect(r.scale).toBe(1);
    expect(r.crop).toEqual({ x: 0, y: 0, width: 32, height: 32 });
    expect(r.pixels.length).toBe(32 * 32 * 3);
    for (let i = 0; i < 32 * 32; i++) {
      for (let k = 0; k < 3; k++) expect(r.pixels[3 * i + k]).toBeCloseTo(src[4 * i + k] / 255, 6);
    }
  });

  test('a uniform colour stays that colour at any size', () => {
    for (const [w, h] of [
      [97, 61],
      [33, 32],
      [500, 40],
      [7, 9],
    ]) {
      const r = preprocessColour(
        picture(w, h, () => [200, 100, 50, 255]),
        w,
        h,
      );
      for (let i = 0; i < 32 * 32; i++) {
        expect(r.pixels[3 * i]).toBeCloseTo(200 / 255, 5);
        expect(r.pixels[3 * i + 1]).toBeCloseTo(100 / 255, 5);
        expect(r.pixels[3 * i + 2]).toBeCloseTo(50 / 255, 5);
      }
    }
  });

  test('an integer factor gives the means of k×k blocks (area averaging, no aliasing)', () => {
    const rand = mulberry32(3);
    const k = 3;
    const size = 32 * k;
    const src = picture(size, size, () => [
      Math.floor(rand() * 256),
      Math.floor(rand() * 256),
      Math.floor(rand() * 256),
      255,
    ]);
    const r = preprocessColour(src, size, size);
    expect(r.scale).toBe(k);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let dy = 0; dy < k; dy++)
            for (let dx = 0; dx < k; dx++) sum += src[4 * ((y * k + dy) * size + x * k + dx) + c];
          expect(r.pixels[3 * (y * 32 + x) + c]).toBeCloseTo(sum / (k * k) / 255, 5);
        }
      }
    }
    // A one-pixel checkerboard halved is flat grey, not a moiré.
    const checker = preprocessColour(
      picture(64, 64, (x, y) => ((x + y) % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255])),
      64,
      64,
    );
    for (const v of checker.pixels) expect(v).toBeCloseTo(0.5, 6);
  });

  test('landscape: the short side becomes 32 and the centred square is kept', () => {
    // 128 × 64: green | red | blue | green in quarters of 32 px: the centre square is red | blue.
    const src = picture(128, 64, (x) => (x < 32 ? GREEN : x < 64 ? RED : x < 96 ? BLUE : GREEN));
    const r = preprocessColour(src, 128, 64);
    expect(r.scale).toBe(2);
    expect(r.crop).toEqual({ x: 32, y: 0, width: 64, height: 64 });
    for (let y = 0; y < 32; y += 5) {
      for (let x = 0; x < 16; x++) expect(at(r.pixels, x, y)).toEqual([1, 0, 0]);
      for (let x = 16; x < 32; x++) expect(at(r.pixels, x, y)).toEqual([0, 0, 1]);
    }
  });

  test('portrait: top and bottom are cut, not squeezed', () => {
    // 40 × 100: red above y = 30, blue from y = 70, green between: the kept square (y 30–70) is green.
    const src = picture(40, 100, (_, y) => (y < 30 ? RED : y >= 70 ? BLUE : GREEN));
    const r = preprocessColour(src, 40, 100);
    expect(r.crop).toEqual({ x: 0, y: 30, width: 40, height: 40 });
    expect(r.scale).toBeCloseTo(1.25, 12);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) expect(at(r.pixels, x, y)).toEqual([0, 1, 0]);
  });

  test('a half-pixel offset (33×32) is symmetric: a mirrored picture gives the mirrored input', () => {
    const rand = mulberry32(11);
    const values = Array.from({ length: 33 * 32 }, () => [
      Math.floor(rand() * 256),
      Math.floor(rand() * 256),
      Math.floor(rand() * 256),
    ]);
    const colour = (x: number, y: number): Rgba => [...(values[y * 33 + x] as [number, number, number]), 255];
    const a = preprocessColour(picture(33, 32, colour), 33, 32);
    const b = preprocessColour(
      picture(33, 32, (x, y) => colour(32 - x, y)),
      33,
      32,
    );
    expect(a.crop.x).toBe(0.5);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const p = at(a.pixels, x, y);
        const q = at(b.pixels, 31 - x, y);
        for (let c = 0; c < 3; c++) expect(p[c]).toBeCloseTo(q[c], 6);
      }
    }
    // Output column 0 covers source [0.5, 1.5): half of column 0, half of column 1.
    for (let c = 0; c < 3; c++) expect(a.pixels[c]).toBeCloseTo((values[0][c] + values[1][c]) / 2 / 255, 6);
  });

  test('a small picture is enlarged: each source pixel becomes a block', () => {
    const src = picture(8, 8, (x, y) => [x * 30, y * 30, 0, 255]);
    const r = preprocessColour(src, 8, 8);
    expect(r.scale).toBe(0.25);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [red, green] = at(r.pixels, x, y);
        expect(red).toBeCloseTo((Math.floor(x / 4) * 30) / 255, 6);
        expect(green).toBeCloseTo((Math.floor(y / 4) * 30) / 255, 6);
      }
    }
  });

  test('transparency is composited over white', () => {
    const clear = preprocessColour(
      picture(40, 40, () => [0, 0, 0, 0]),
      40,
      40,
    );
    for (const v of clear.pixels) expect(v).toBeCloseTo(1, 6);
    const half = preprocessColour(
      picture(32, 32, () => [255, 0, 0, 51]),
      32,
      32,
    );
    expect(at(half.pixels, 3, 3).map((v) => Number(v.toFixed(4)))).toEqual([1, 0.8, 0.8]);
  });

  test('values stay in [0,1] and another side can be asked for', () => {
    const rand = mulberry32(5);
    const r = preprocessColour(
      picture(77, 50, () => [Math.floor(rand() * 256), 255, 0, 255]),
      77,
      50,
      16,
    );
    expect(r.side).toBe(16);
    expect(r.pixels.length).toBe(16 * 16 * 3);
    for (const v of r.pixels) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  test('refuses inputs that are not a picture, with a message', () => {
    expect(() => preprocessColour(new Uint8ClampedArray(10), 2, 2)).toThrow(ImageInputError);
    expect(() => preprocessColour(new Uint8ClampedArray(10), 2, 2)).toThrow(/16 RGBA bytes for a 2×2 image/);
    expect(() => preprocessColour(new Uint8ClampedArray(0), 0, 5)).toThrow(/no pixels/);
    expect(() => preprocessColour(new Uint8ClampedArray(0), MAX_PIXELS, 2)).toThrow(/megapixels/);
  });
});

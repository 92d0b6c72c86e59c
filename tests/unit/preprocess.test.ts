import { describe, expect, test } from 'vitest';
import { mnistTest } from './helpers/env';
import { ImageInputError } from '../../src/core/util/errors';
import { INK_THRESHOLD, MAX_PIXELS, preprocessMnist } from '../../src/core/image/mnistPreprocess';

type RGBA = [number, number, number, number];

/** A canvas of width×height RGBA bytes filled with `background`, and a painter for shapes. */
function canvas(width: number, height: number, background: RGBA) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(background, 4 * i);
  const paint = (inside: (x: number, y: number) => boolean, colour: RGBA) => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) if (inside(x + 0.5, y + 0.5)) data.set(colour, 4 * (y * width + x));
    }
  };
  return { data, width, height, paint };
}

const WHITE: RGBA = [255, 255, 255, 255];
const DARK: RGBA = [20, 20, 20, 255];

/** A ring plus a tail: an asymmetric, digit-like shape ("9"-ish), off-centre in the canvas. */
function drawNine(c: ReturnType<typeof canvas>, colour: RGBA, cx = 150, cy = 38) {
  c.paint((x, y) => {
    const r = Math.hypot(x - cx, y - cy);
    return r >= 12 && r <= 22;
  }, colour);
  c.paint((x, y) => x >= cx + 12 && x <= cx + 22 && y >= cy && y <= cy + 70, colour);
}

function stats(pixels: Float32Array) {
  let x0 = 28,
    y0 = 28,
    x1 = -1,
    y1 = -1,
    m = 0,
    mx = 0,
    my = 0,
    max = -Infinity,
    min = Infinity;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = pixels[y * 28 + x];
      max = Math.max(max, v);
      min = Math.min(min, v);
      if (v > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return {
    box: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 },
    com: { x: mx / m, y: my / m },
    max,
    min,
    mass: m,
  };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('preprocessMnist on generated pictures', () => {
  test('dark off-centre digit on white: inverted, ink bright, 20×20 box, centred by mass', () => {
    const c = canvas(200, 120, WHITE);
    drawNine(c, DARK);
    const r = preprocessMnist(c.data, c.width, c.height);
    expect(r.inverted).toBe(true);
    expect(r.pixels).toHaveLength(784);
    const s = stats(r.pixels);
    expect(s.max).toBeCloseTo(1, 5);
    expect(s.min).toBeGreaterThanOrEqual(0);
    // Corners of the field are background.
    for (const i of [0, 27, 27 * 28, 783]) expect(r.pixels[i]).toBe(0);
    // The ink's bounding box fits 20×20 and its longer side (the height here: 22+70 vs 44) is 20.
    expect(s.box.width).toBeLessThanOrEqual(20);
    expect(s.box.height).toBe(20);
    expect(s.box.width).toBeLessThan(s.box.height);
    // Centre of mass on the centre up to the whole-pixel shift: at most half a pixel per axis.
    expect(Math.abs(s.com.x - 14)).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(Math.abs(s.com.y - 14)).toBeLessThanOrEqual(0.5 + 1e-6);
    // The crop is the drawn shape's bounding box in the source (ring x 128–172, tail to y 108).
    expect(r.crop).not.toBeNull();
    expect(r.crop!.x).toBeGreaterThanOrEqual(127);
    expect(r.crop!.x).toBeLessThanOrEqual(129);
    expect(r.crop!.y).toBeGreaterThanOrEqual(15);
    expect(r.crop!.y).toBeLessThanOrEqual(17);
    expect(r.crop!.height).toBeGreaterThanOrEqual(91);
    expect(r.crop!.height).toBeLessThanOrEqual(93);
    expect(r.scale).toBeCloseTo(r.crop!.height / 20, 10);
  });

  test('a filled rectangle maps exactly: 10×20 block of ones centred on (14, 14)', () => {
    const c = canvas(200, 120, WHITE);
    c.paint((x, y) => x >= 20 && x < 50 && y >= 40 && y < 100, DARK); // 30 × 60
    const r = preprocessMnist(c.data, c.width, c.height);
    expect(r.crop).toEqual({ x: 20, y: 40, width: 30, height: 60 });
    expect(r.scale).toBe(3);
    const s = stats(r.pixels);
    expect(s.box).toEqual({ x: 9, y: 4, width: 10, height: 20 });
    expect(s.com.x).toBeCloseTo(14, 4);
    expect(s.com.y).toBeCloseTo(14, 4);
    // Inside the block every output pixel averages pure ink, so it is 1; outside it is 0.
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const inside = x >= 9 && x < 19 && y >= 4 && y < 24;
        expect(r.pixels[y * 28 + x]).toBeCloseTo(inside ? 1 : 0, 5);
      }
    }
  });

  test('a wide shape keeps its aspect ratio (80×20 bar → 20×5)', () => {
    const c = canvas(160, 90, WHITE);
    c.paint((x, y) => x >= 40 && x < 120 && y >= 10 && y < 30, DARK);
    const s = stats(preprocessMnist(c.data, c.width, c.height).pixels);
    expect(s.box.width).toBe(20);
    expect(s.box.height).toBe(5);
  });

  test('grey background and grey ink are stretched: background → 0, ink → 1', () => {
    const c = canvas(100, 100, [200, 200, 200, 255]);
    c.paint((x, y) => x >= 30 && x < 50 && y >= 20 && y < 80, [90, 90, 90, 255]);
    const r = preprocessMnist(c.data, c.width, c.height);
    expect(r.inverted).toBe(true);
    const s = stats(r.pixels);
    expect(s.max).toBeCloseTo(1, 5);
    expect(r.pixels[0]).toBe(0);
    expect(s.box.height).toBe(20);
  });

  test('light ink on a dark background is not inverted', () => {
    const c = canvas(120, 200, [10, 10, 10, 255]);
    drawNine(c, [240, 240, 240, 255], 40, 60);
    const r = preprocessMnist(c.data, c.width, c.height);
    expect(r.inverted).toBe(false);
    const s = stats(r.pixels);
    expect(s.max).toBeCloseTo(1, 5);
    expect(r.pixels[0]).toBe(0);
    expect(Math.max(s.box.width, s.box.height)).toBe(20);
    expect(Math.abs(s.com.x - 14)).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(Math.abs(s.com.y - 14)).toBeLessThanOrEqual(0.5 + 1e-6);
  });

  test('the same digit drawn dark-on-white and light-on-dark gives the same 28×28 input', () => {
    const a = canvas(200, 120, WHITE);
    drawNine(a, [0, 0, 0, 255]);
    const b = canvas(200, 120, [0, 0, 0, 255]);
    drawNine(b, WHITE);
    const ra = preprocessMnist(a.data, a.width, a.height);
    const rb = preprocessMnist(b.data, b.width, b.height);
    expect(ra.inverted).toBe(true);
    expect(rb.inverted).toBe(false);
    for (let i = 0; i < 784; i++) expect(ra.pixels[i]).toBeCloseTo(rb.pixels[i], 5);
  });

  test('transparent background (RGBA 0,0,0,0 as canvases give it) counts as white', () => {
    const c = canvas(150, 150, [0, 0, 0, 0]);
    drawNine(c, [0, 0, 0, 255], 60, 40);
    const r = preprocessMnist(c.data, c.width, c.height);
    expect(r.inverted).toBe(true);
    const s = stats(r.pixels);
    expect(s.max).toBeCloseTo(1, 5);
    expect(r.pixels[0]).toBe(0);
    expect(Math.max(s.box.width, s.box.height)).toBe(20);
    // Same result as the opaque white version.
    const opaque = canvas(150, 150, WHITE);
    drawNine(opaque, [0, 0, 0, 255], 60, 40);
    const ro = preprocessMnist(opaque.data, opaque.width, opaque.height);
    for (let i = 0; i < 784; i++) expect(r.pixels[i]).toBeCloseTo(ro.pixels[i], 5);
  });

  test('a blank picture (white, black, transparent) is refused with ImageInputError', () => {
    for (const bg of [WHITE, [0, 0, 0, 255] as RGBA, [0, 0, 0, 0] as RGBA]) {
      const c = canvas(64, 48, bg);
      const err = catchError(() => preprocessMnist(c.data, c.width, c.height));
      expect(err).toBeInstanceOf(ImageInputError);
      expect((err as Error).message).toMatch(/blank|no digit/i);
    }
  });

  test('a uniform grey picture is blank too (not a full-frame digit of ones)', () => {
    // Uniform mid-grey, light or dark: no ink anywhere, whatever the background level.
    for (const bg of [[128, 128, 128, 255] as RGBA, [100, 100, 100, 255] as RGBA, [200, 200, 200, 255] as RGBA]) {
      const c = canvas(64, 48, bg);
      const err = catchError(() => preprocessMnist(c.data, c.width, c.height));
      expect(err).toBeInstanceOf(ImageInputError);
      expect((err as Error).message).toMatch(/blank|no digit/i);
    }
  });

  test('faint specks below the ink threshold alone do not count as a digit', () => {
    // One strong dot (defines the stretch) plus a faint smear: the box is the dot only.
    const c = canvas(100, 100, WHITE);
    const faint = 255 - Math.floor(255 * INK_THRESHOLD * 0.5); // half the threshold after stretching
    c.paint((x, y) => x >= 10 && x < 90 && y >= 10 && y < 90, [faint, faint, faint, 255]);
    c.paint((x, y) => x >= 40 && x < 60 && y >= 45 && y < 55, [0, 0, 0, 255]);
    const r = preprocessMnist(c.data, c.width, c.height);
    expect(r.crop).toEqual({ x: 40, y: 45, width: 20, height: 10 });
  });
});

describe('preprocessMnist on MNIST-sized input and bad sizes', () => {
  test('a 28×28 MNIST digit is used whole: no crop, values are the digit scaled to its peak', async () => {
    const ds = await mnistTest();
    for (const index of [0, 1, 2]) {
      const digit = ds.images.subarray(index * 784, (index + 1) * 784);
      const rgba = new Uint8Array(784 * 4);
      for (let i = 0; i < 784; i++) rgba.set([digit[i], digit[i], digit[i], 255], 4 * i);
      const r = preprocessMnist(rgba, 28, 28);
      expect(r.crop).toBeNull();
      expect(r.scale).toBe(1);
      expect(r.shift).toEqual({ dx: 0, dy: 0 });
      expect(r.inverted).toBe(false);
      const peak = Math.max(...digit);
      for (let i = 0; i < 784; i++) expect(r.pixels[i]).toBeCloseTo(digit[i] / peak, 5);
    }
  });

  test('a 28×28 dark-on-white digit is inverted back to MNIST form', async () => {
    const ds = await mnistTest();
    const digit = ds.images.subarray(0, 784);
    const rgba = new Uint8Array(784 * 4);
    for (let i = 0; i < 784; i++) rgba.set([255 - digit[i], 255 - digit[i], 255 - digit[i], 255], 4 * i);
    const r = preprocessMnist(rgba, 28, 28);
    expect(r.inverted).toBe(true);
    expect(r.crop).toBeNull();
    const peak = Math.max(...digit);
    for (let i = 0; i < 784; i++) expect(r.pixels[i]).toBeCloseTo(digit[i] / peak, 5);
  });

  test('more than MAX_PIXELS is refused before the pixels are read', () => {
    const side = Math.ceil(Math.sqrt(MAX_PIXELS)) + 1;
    const err = catchError(() => preprocessMnist(new Uint8Array(16), side, side));
    expect(err).toBeInstanceOf(ImageInputError);
    expect((err as Error).message).toMatch(/megapixels/);
  });

  test('zero or negative size is refused', () => {
    expect(catchError(() => preprocessMnist(new Uint8Array(0), 0, 10))).toBeInstanceOf(ImageInputError);
    expect(catchError(() => preprocessMnist(new Uint8Array(0), 10, -1))).toBeInstanceOf(ImageInputError);
    expect(catchError(() => preprocessMnist(new Uint8Array(0), NaN, 10))).toBeInstanceOf(ImageInputError);
  });

  test('an RGBA array whose length does not match width×height×4 is refused', () => {
    const err = catchError(() => preprocessMnist(new Uint8Array(5 * 5 * 4 - 1), 5, 5));
    expect(err).toBeInstanceOf(ImageInputError);
    expect((err as Error).message).toMatch(/RGBA/);
  });
});

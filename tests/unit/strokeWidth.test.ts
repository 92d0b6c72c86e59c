/**
 * Stroke width and its normalisation (src/core/image/strokeWidth.ts) and the distance transform
 * under it (distanceTransform.ts), against closed forms and brute force: the exact distance
 * transform equals the nearest feature found by trying every pixel; a band W pixels wide measures
 * W; a ring of known radii measures its width; a bold ring is thinned to MAX_STROKE output pixels,
 * a hairline ring thickened to MIN_STROKE, and one in between left as it is (the redrawn ink's mass
 * along a radius).
 */
import { describe, expect, test } from 'vitest';
import { distanceTransform } from '../../src/core/image/distanceTransform';
import { MAX_STROKE, MIN_STROKE, normaliseStrokeWidth, signedStrokeDistance } from '../../src/core/image/strokeWidth';

function band(width: number, height: number, x0: number, x1: number, y0: number, y1: number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = 1;
  return ink;
}

describe('distance transform and stroke width', () => {
  test('the distance transform equals brute force on scattered features', () => {
    const w = 31;
    const h = 19;
    const feature = (i: number) => (i * 7919) % 53 === 0;
    const fast = distanceTransform(feature, w, h);
    for (let i = 0; i < w * h; i++) {
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < w * h; j++) {
        if (feature(j)) best = Math.min(best, Math.hypot((i % w) - (j % w), Math.floor(i / w) - Math.floor(j / w)));
      }
      expect(fast[i]).toBeCloseTo(best, 4);
    }
  });

  test('a long band W pixels wide measures W (up to its ends), a ring its radial width', () => {
    for (const bandWidth of [4, 9, 16]) {
      const ink = band(400, 40, 10, 390, 5, 5 + bandWidth);
      expect(signedStrokeDistance(ink, 400, 40).strokeWidth).toBeCloseTo(bandWidth, 0);
    }
    // Ring of radii 40 and 50: width 10.
    const ring = new Float32Array(120 * 120).map((_, i) => {
      const r = Math.hypot((i % 120) + 0.5 - 60, Math.floor(i / 120) + 0.5 - 60);
      return r >= 40 && r < 50 ? 1 : 0;
    });
    expect(Math.abs(signedStrokeDistance(ring, 120, 120).strokeWidth - 10)).toBeLessThan(0.6);
  });

  test('a bold ring is thinned to MAX_STROKE, a hairline thickened to MIN_STROKE, one in between kept', () => {
    // Rings of outer radius 100 (no ends to bias the measured width): the box's long side is 200, so
    // one output pixel is 10 pixels. The redrawn ink's mass along a radius is the ring's new width.
    const size = 240;
    const centre = 120;
    for (const [ringWidth, expected] of [
      [48, MAX_STROKE],
      [8, MIN_STROKE],
      [28, 2.8],
    ]) {
      const ink = new Float32Array(size * size).map((_, i) => {
        const r = Math.hypot((i % size) + 0.5 - centre, Math.floor(i / size) + 0.5 - centre);
        return r >= 100 - ringWidth && r < 100 ? 1 : 0;
      });
      const box = { x: 20, y: 20, width: 200, height: 200 };
      const redrawn = normaliseStrokeWidth(ink, size, size, box);
      let along = 0;
      for (let x = centre; x < size; x++) along += redrawn.ink[centre * size + x];
      expect(Math.abs(along / 10 - expected), `ring ${ringWidth}: ${along / 10}`).toBeLessThan(0.15);
    }
  });
});

/**
 * Stroke width and its normalisation (src/core/image/strokeWidth.ts) and the distance transform
 * under it (distanceTransform.ts), against closed forms and brute force: the exact distance
 * transform equals the nearest feature found by trying every pixel; a band W pixels wide measures
 * W; a ring of known radii measures its width; a bold band is thinned, and a hairline thickened,
 * to TARGET_STROKE output pixels (the redrawn ink's area over its length).
 */
import { describe, expect, test } from 'vitest';
import { distanceTransform } from '../../src/core/image/distanceTransform';
import { normaliseStrokeWidth, signedStrokeDistance, TARGET_STROKE } from '../../src/core/image/strokeWidth';

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

  test('a bold band is thinned and a hairline thickened to TARGET_STROKE output pixels', () => {
    // A vertical band 200 pixels long: the box's long side is 200, so one output pixel is 10 pixels.
    for (const bandWidth of [32, 8]) {
      const w = 300;
      const h = 240;
      const box = { x: 150 - bandWidth / 2, y: 20, width: bandWidth, height: 200 };
      const ink = band(w, h, box.x, box.x + bandWidth, 20, 220);
      const redrawn = normaliseStrokeWidth(ink, w, h, box);
      // The redrawn ink's mass along the band's middle row: its width in pixels.
      let across = 0;
      for (let x = 0; x < w; x++) across += redrawn.ink[120 * w + x];
      // Within a quarter of an output pixel: the band's ends pull its measured width down a little.
      expect(Math.abs(across / 10 - TARGET_STROKE), `band ${bandWidth}: ${across / 10}`).toBeLessThan(0.25);
      // Unnormalised, the band would stay bandWidth / 10 output pixels wide.
      expect(Math.abs(bandWidth / 10 - TARGET_STROKE)).toBeGreaterThan(1.1);
    }
  });
});

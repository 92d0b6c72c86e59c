/**
 * The drawing pad's pixels, and what the MNIST preprocessing makes of them: checked against values worked out by
 * hand (areas of discs, and where LeCun et al.'s recipe — fit the ink into 20×20, put its centre of mass at the
 * centre of 28×28 — must put simple drawings).
 */
import { describe, expect, test } from 'vitest';
import { preprocessMnist } from '../../src/core/image/mnistPreprocess';
import {
  BRUSH_RADIUS,
  inkToRgba,
  isBlank,
  PAD_SIDE,
  paintStrokeTip,
  rasteriseStrokes,
  type Stroke,
} from '../../src/core/image/strokeRaster';

const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
const at = (ink: Float32Array, x: number, y: number, side = PAD_SIDE) => ink[y * side + x];

/** The drawing as the upload path's preprocessing sees it. */
const toMnist = (strokes: Stroke[]) => preprocessMnist(inkToRgba(rasteriseStrokes(strokes)), PAD_SIDE, PAD_SIDE);

/** Rows and columns of a 28×28 image holding any ink. */
function inkedLines(pixels: Float32Array) {
  const rows = new Set<number>();
  const cols = new Set<number>();
  pixels.forEach((v, i) => {
    if (v > 0) {
      rows.add(Math.floor(i / 28));
      cols.add(i % 28);
    }
  });
  return { rows: [...rows].sort((a, b) => a - b), cols: [...cols].sort((a, b) => a - b) };
}

function massCentre(pixels: Float32Array) {
  let m = 0;
  let mx = 0;
  let my = 0;
  pixels.forEach((v, i) => {
    m += v;
    mx += v * ((i % 28) + 0.5);
    my += v * (Math.floor(i / 28) + 0.5);
  });
  return { x: mx / m, y: my / m };
}

describe('the brush', () => {
  test('a dot covers πr² pixels, full inside the brush, empty outside, one grey pixel of edge', () => {
    const ink = rasteriseStrokes([[{ x: 100, y: 100 }]]);
    // The coverage ramps from 1 at r − ½ to 0 at r + ½, so the painted area is that of a disc of radius r.
    expect(sum(ink)).toBeCloseTo(Math.PI * BRUSH_RADIUS ** 2, -1);
    expect(Math.abs(sum(ink) / (Math.PI * BRUSH_RADIUS ** 2) - 1)).toBeLessThan(0.01);
    // The dot sits on a pixel corner: pixel (x, 100) has its centre at distance hypot(x + ½ − 100, ½).
    expect(at(ink, 100, 100)).toBe(1);
    expect(at(ink, 108, 100)).toBe(1); // 8.5 away
    expect(at(ink, 109, 100)).toBeCloseTo(10.5 - Math.hypot(9.5, 0.5), 5); // the grey edge
    expect(at(ink, 110, 100)).toBe(0); // 10.5 away
  });

  test('a horizontal segment is 2r pixels thick along its length, with round ends', () => {
    const ink = rasteriseStrokes([
      [
        { x: 60, y: 150 },
        { x: 200, y: 150 },
      ],
    ]);
    // Column 130: pixel centres at y + ½; those within 10.5 of y = 150 are inked, 20 of them in full.
    let column = 0;
    for (let y = 0; y < PAD_SIDE; y++) column += at(ink, 130, y);
    expect(column).toBeCloseTo(2 * BRUSH_RADIUS, 5);
    // Length 140 plus a half disc at each end: 140·2r + πr².
    expect(sum(ink) / (140 * 2 * BRUSH_RADIUS + Math.PI * BRUSH_RADIUS ** 2)).toBeCloseTo(1, 2);
  });

  test('strokes crossing keep the stronger ink, and painting tip by tip equals painting the whole stroke', () => {
    const stroke: Stroke = [
      { x: 40, y: 40 },
      { x: 90.3, y: 120.7 },
      { x: 200, y: 60 },
      { x: 240, y: 230 },
    ];
    const incremental = new Float32Array(PAD_SIDE * PAD_SIDE);
    for (let n = 1; n <= stroke.length; n++) paintStrokeTip(incremental, PAD_SIDE, stroke.slice(0, n));
    expect(incremental).toEqual(rasteriseStrokes([stroke]));
    const crossed = rasteriseStrokes([
      stroke,
      [
        { x: 40, y: 240 },
        { x: 240, y: 40 },
      ],
    ]);
    expect(crossed.reduce((m, v) => Math.max(m, v), 0)).toBe(1); // 1 where they cross, not 2
  });

  test('white ink on opaque black; an empty pad is blank', () => {
    const rgba = inkToRgba(new Float32Array([0, 0.5, 1]));
    expect([...rgba]).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    expect(isBlank(rasteriseStrokes([]))).toBe(true);
    expect(isBlank(rasteriseStrokes([[{ x: 5, y: 5 }]]))).toBe(false);
  });
});

describe('a drawing made into an MNIST input (same preprocessing as an uploaded photo)', () => {
  test('a vertical bar anywhere on the pad lands in columns 13–14, rows 4–23', () => {
    // Ink box of a bar from (200, 40) to (200, 240), r = 10: columns 190–209 (20), rows 30–249 (220).
    // Scale 220/20 = 11 → 2 × 20 pixels, whose mass centre (1, 10) moves to (14, 14): shift (+13, +4).
    const bar = (x: number): Stroke[] => [
      [
        { x, y: 40 },
        { x, y: 240 },
      ],
    ];
    const right = toMnist(bar(200));
    expect(right.inverted).toBe(false);
    expect(right.crop).toEqual({ x: 190, y: 30, width: 20, height: 220 });
    expect(right.scale).toBe(11);
    expect(right.shift).toEqual({ dx: 13, dy: 4 });
    const { rows, cols } = inkedLines(right.pixels);
    expect(cols).toEqual([13, 14]);
    expect(rows).toEqual(Array.from({ length: 20 }, (_, i) => 4 + i));
    // Drawn elsewhere, the model sees the very same picture.
    expect(toMnist(bar(60)).pixels).toEqual(right.pixels);
  });

  test('three dots: the centre of mass, not the middle of the box, goes to the centre', () => {
    // Dots at (50, 50), (50, 230), (230, 50): ink box 40–239 in both directions (200 px), scale 10, so each
    // dot becomes a 2×2 block at (0–1) or (18–19), each of mass centre 1 or 19. The three blocks' mass centre is
    // ((1 + 1 + 19)/3, (1 + 19 + 1)/3) = (7, 7), so the shift is (+7, +7): blocks at 7–8 and 25–26. Centring the
    // box instead would have put the blocks at 4–5 and 22–23.
    const dot = (x: number, y: number): Stroke => [{ x, y }];
    const result = toMnist([dot(50, 50), dot(50, 230), dot(230, 50)]);
    expect(result.crop).toEqual({ x: 40, y: 40, width: 200, height: 200 });
    expect(result.scale).toBe(10);
    expect(result.shift).toEqual({ dx: 7, dy: 7 });
    const { rows, cols } = inkedLines(result.pixels);
    expect(rows).toEqual([7, 8, 25, 26]);
    expect(cols).toEqual([7, 8, 25, 26]);
    const p = (x: number, y: number) => result.pixels[y * 28 + x];
    // Each pixel of a block averages a quarter of a disc of radius 10 over 10 × 10 pad pixels: π/4.
    for (const [x, y] of [
      [7, 7],
      [8, 8],
      [7, 26],
      [26, 8],
    ]) {
      expect(p(x, y)).toBeCloseTo(Math.PI / 4, 2);
    }
    expect(p(26, 26)).toBe(0); // no fourth dot
    const centre = massCentre(result.pixels);
    expect(centre.x).toBeCloseTo(14, 5);
    expect(centre.y).toBeCloseTo(14, 5);
  });
});

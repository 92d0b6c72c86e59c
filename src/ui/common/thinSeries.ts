/**
 * Long series, thinned for drawing: a line of thousands of points costs a chart library hundreds of milliseconds of
 * the main thread at every redraw, and a chart a few hundred pixels wide shows no more than a few hundred anyway.
 * Keeps every k-th point, k the smallest power of two that leaves at most `max`, and always the last (the newest
 * value on a live curve). A power of two keeps the points already drawn in place as the series grows: the drawing
 * changes only when k doubles. The full series stays in the store (and in the CSV export).
 */
export const MAX_DRAWN_POINTS = 200;

export function thinSeries<T>(points: readonly T[], max = MAX_DRAWN_POINTS): readonly T[] {
  if (points.length <= max) return points;
  let stride = 1;
  // Every stride-th point from 0, plus the last: ceil(n / stride) + 1 ≤ max.
  while (Math.ceil(points.length / stride) + 1 > max) stride *= 2;
  const kept: T[] = [];
  for (let i = 0; i < points.length; i += stride) kept.push(points[i]);
  if ((points.length - 1) % stride !== 0) kept.push(points[points.length - 1]);
  return kept;
}

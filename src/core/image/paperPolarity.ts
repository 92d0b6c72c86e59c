/**
 * Whether a picture's paper is the light side (dark ink) or the dark side (chalk on a board, a
 * drawing pad's white strokes on black).
 *
 * The paper is most of any neighbourhood and the ink the few pixels that stand out from it, so the
 * picture's departures from its local median are skewed towards the ink: their third moment is
 * negative for dark ink on light paper, positive for light ink on dark paper (Pearson's moment
 * coefficient of skewness). The median, not the mean: a median filter keeps a step edge where it is
 * (Tukey 1977; Huang, Yang & Tang 1979), so the edge of a hard shadow, of the sheet or of a table
 * departs from it by nothing, while a stroke narrower than half the window is removed by it and
 * departs in full. Measured against a local mean instead, such an edge departs by up to half its
 * step on each side; the two sides cancel only to a part in a hundred, and that remainder was ten
 * times a faint pencil digit's whole contribution (photos of seed 2000 read as chalk on a board).
 *
 * The test runs on a copy at most POLARITY_SIDE long, at two window widths, and their skews are
 * added: the narrow window keeps small the corners a median rounds off (a shadow's edge meeting the
 * picture's edge at an acute angle departs like a stroke), the wide one keeps a bold stroke the
 * minority of its window (a clean scan of a bold MNIST digit filling its picture). On the 300
 * tuning photos (seeds 1000 and 2000) and 40 clean scans of bold and thin test digits the paper's
 * side was misread on none with both (3 with the narrow window alone, 3 with the wide one, 8 with a
 * window of 0.05; 4 photos with the earlier local mean).
 * A picture with no departures at all (one flat grey) falls back on the median of its border.
 * Pure arithmetic on arrays.
 */

/** The long side of the copy the polarity is read on (the test is about large shapes). */
export const POLARITY_SIDE = 128;
/** The median windows' half-widths, as fractions of the long side. */
export const POLARITY_WINDOWS = [0.065, 0.13];
const LEVELS = 256;

/**
 * Median over a (2·radius + 1)² square (edges repeated) of a picture with values in [0, 1], by a
 * sliding histogram of LEVELS levels along each row (Huang, Yang & Tang 1979): O(radius) per pixel.
 */
export function medianFilter(image: Float32Array, width: number, height: number, radius: number): Float32Array {
  const level = (x: number, y: number) => {
    const v = image[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))];
    return Math.min(LEVELS - 1, Math.max(0, Math.floor(v * LEVELS)));
  };
  const side = 2 * radius + 1;
  const half = (side * side + 1) / 2;
  const out = new Float32Array(width * height);
  const histogram = new Int32Array(LEVELS);
  for (let y = 0; y < height; y++) {
    histogram.fill(0);
    for (let dy = -radius; dy <= radius; dy++) {
      for (let dx = -radius; dx <= radius; dx++) histogram[level(dx, y + dy)]++;
    }
    for (let x = 0; x < width; x++) {
      if (x > 0) {
        for (let dy = -radius; dy <= radius; dy++) {
          histogram[level(x - radius - 1, y + dy)]--;
          histogram[level(x + radius, y + dy)]++;
        }
      }
      let count = 0;
      let b = 0;
      for (; b < LEVELS; b++) {
        count += histogram[b];
        if (count >= half) break;
      }
      out[y * width + x] = (b + 0.5) / LEVELS;
    }
  }
  return out;
}

function borderMedian(grey: Float32Array, width: number, height: number): number {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(grey[x], grey[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) border.push(grey[y * width], grey[y * width + width - 1]);
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)];
}

/**
 * The skewness of the departures of `grey` (values 0–1) from its local median, over the pixels at
 * least `radius` from the picture's edge (whose windows lie inside the picture: beyond the edge the
 * repeated edge pixels invent content, and a median rounds off the acute corner a shadow's edge makes
 * with the picture's edge, which departs like a stroke); 0 when there are no departures.
 */
export function departureSkew(grey: Float32Array, width: number, height: number, radius: number): number {
  const median = medianFilter(grey, width, height, radius);
  // A picture too small for an inner part is read whole.
  const inset = width > 2 * radius && height > 2 * radius ? radius : 0;
  let second = 0;
  let third = 0;
  let n = 0;
  for (let y = inset; y < height - inset; y++) {
    for (let x = inset; x < width - inset; x++) {
      const d = grey[y * width + x] - median[y * width + x];
      second += d * d;
      third += d * d * d;
      n++;
    }
  }
  if (second <= 1e-12) return 0;
  return third / n / (second / n) ** 1.5;
}

/**
 * True when the paper of `grey` (values 0–1, already at most POLARITY_SIDE long or about to be
 * read as such) is the light side.
 */
export function paperIsLight(grey: Float32Array, width: number, height: number): boolean {
  let skew = 0;
  for (const window of POLARITY_WINDOWS) {
    skew += departureSkew(grey, width, height, Math.max(2, Math.round(window * Math.max(width, height))));
  }
  if (Math.abs(skew) > 1e-6) return skew < 0;
  return borderMedian(grey, width, height) > 0.5;
}

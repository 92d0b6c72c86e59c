/**
 * Finding and erasing notebook rules (and squared paper's columns, a margin line) in an ink mask.
 *
 * A rule is a thin straight line across most of the sheet, slightly tilted when the photo is. For
 * each tilt in a small range the mask is projected onto the line's normal (a Radon / Hough
 * projection restricted to near-horizontal lines; Duda & Hart 1972): a rule piles its whole
 * length into one or two bins. Pairs of bins holding RULE_SPAN of the picture's width more than the
 * bins just over RULE_MAX_THICKNESS of its short side away (a line between two tried tilts straddles
 * two bins) are rules: strokes are shorter, dark regions thicker, and where a digit is written on a
 * rule its ink fills the bins beside the rule's as much as the rule's own, so the rule still stands out.
 * Pixels of a rule are erased except where the ink across the line is thicker than the rule (a
 * stroke crosses it or runs along it) or clearly darker than the rule's own median (a pen stroke
 * lying on it), so a digit written across or on a rule keeps its shape.
 * Vertical lines are found the same way on the transposed mask.
 */

/** A rule spans at least this fraction of the picture's width. */
export const RULE_SPAN = 0.55;
/** A rule is at most this thick, as a fraction of the picture's short side (strokes are thicker). */
export const RULE_MAX_THICKNESS = 0.012;
/** A pixel on a rule this many times darker than the rule's median is a stroke across it: kept. */
export const RULE_INK_CONTRAST = 1.6;
/** Tilts tried, in degrees either side of level. */
const MAX_TILT_DEGREES = 10;
const TILT_STEP_DEGREES = 0.25;

interface LineBands {
  sin: number;
  cos: number;
  offset: number;
  /** Per projection bin: 1 where the bin is part of a rule. */
  isRule: Uint8Array;
}

/** The ink pixels' coordinates: the projections visit these only (ink is a few per cent of a sheet). */
function inkPixels(mask: Uint8Array, width: number): { xs: Int32Array; ys: Int32Array } {
  let count = 0;
  for (const v of mask) if (v) count++;
  const xs = new Int32Array(count);
  const ys = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    xs[k] = i % width;
    ys[k++] = (i - xs[k - 1]) / width;
  }
  return { xs, ys };
}

function projection(ink: { xs: Int32Array; ys: Int32Array }, width: number, height: number, angle: number) {
  const sin = Math.sin(angle);
  const cos = Math.cos(angle);
  const offset = Math.ceil(width * Math.abs(sin)) + 1;
  const bins = new Int32Array(height + 2 * offset + 2);
  const { xs, ys } = ink;
  for (let k = 0; k < xs.length; k++) bins[Math.round(ys[k] * cos - xs[k] * sin) + offset]++;
  return { sin, cos, offset, bins };
}

/** The tilt at which rules show best, and their bins; null when there are none. */
function findRules(mask: Uint8Array, width: number, height: number): LineBands | null {
  const span = RULE_SPAN * width;
  const maxThickness = Math.max(2, Math.round(RULE_MAX_THICKNESS * Math.min(width, height)));
  const away = maxThickness + 2;
  let best: LineBands | null = null;
  let bestCovered = 0;
  const ink = inkPixels(mask, width);
  for (let deg = -MAX_TILT_DEGREES; deg <= MAX_TILT_DEGREES + 1e-9; deg += TILT_STEP_DEGREES) {
    const { sin, cos, offset, bins } = projection(ink, width, height, (deg * Math.PI) / 180);
    const isRule = new Uint8Array(bins.length);
    const pair = (b: number) => (b >= 0 && b < bins.length ? bins[b] + (b + 1 < bins.length ? bins[b + 1] : 0) : 0);
    let covered = 0;
    for (let b = 0; b < bins.length; b++) {
      // A rule stands out from the bins a rule's thickness away on both sides by its whole length; a
      // digit's strokes on it add to both alike, and a wide dark band (a table) is as full there.
      const beside = Math.max(pair(b - away), pair(b + away));
      if (pair(b) - beside < span) continue;
      // And it is thin: a bar as long as a rule (a 7's top filling a small picture) fills several bins alone.
      let full = 0;
      for (let i = Math.max(0, b - away); i <= Math.min(bins.length - 1, b + away + 1); i++) {
        if (bins[i] >= span) full++;
      }
      if (full > maxThickness) continue;
      // The pair b, b + 1, and the faint fringe (anti-aliasing, blur) either side.
      for (let i = Math.max(0, b - 1); i < Math.min(bins.length, b + 3); i++) {
        if (!isRule[i]) covered += bins[i];
        isRule[i] = 1;
      }
    }
    if (covered > bestCovered) {
      bestCovered = covered;
      best = { sin, cos, offset, isRule };
    }
  }
  return best;
}

/**
 * Erases rule pixels in place, except where the ink is thicker across the line than the rule
 * itself: there a stroke crosses the rule or runs along it, and the stroke stays whole.
 */
function eraseRules(mask: Uint8Array, darkness: Float32Array, width: number, height: number, rules: LineBands): number {
  const { sin, cos, offset, isRule } = rules;
  const onRule: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x] && isRule[Math.round(y * cos - x * sin) + offset]) onRule.push(darkness[y * width + x]);
    }
  }
  // Most pixels on a rule are the rule alone: their median is how dark the rule is. A pen is darker.
  onRule.sort((a, b) => a - b);
  const ruleDarkness = onRule.length > 0 ? onRule[Math.floor(onRule.length / 2)] : 0;
  const erase: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const bin = Math.round(y * cos - x * sin) + offset;
      if (!isRule[bin] || darkness[y * width + x] > RULE_INK_CONTRAST * ruleDarkness) continue;
      // The band's thickness here (in bins, ≈ pixels along y for small tilts)…
      let up = 1;
      while (bin - up >= 0 && isRule[bin - up]) up++;
      let down = 1;
      while (bin + down < isRule.length && isRule[bin + down]) down++;
      const band = up + down - 1;
      // …against the ink's run across the line through this pixel.
      let top = y;
      while (top > 0 && mask[(top - 1) * width + x] && y - top <= band + 2) top--;
      let bottom = y;
      while (bottom < height - 1 && mask[(bottom + 1) * width + x] && bottom - top <= band + 2) bottom++;
      if (bottom - top + 1 <= band + 2) erase.push(y * width + x);
    }
  }
  for (const i of erase) mask[i] = 0;
  return erase.length;
}

function transpose(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[x * height + y] = mask[y * width + x];
  return out;
}

/**
 * Erases horizontal and vertical rules from a 0/1 ink mask (in place) and returns how many lines
 * of each were found.
 */
export function eraseRuledLines(
  mask: Uint8Array,
  darkness: Float32Array,
  width: number,
  height: number,
): { horizontal: number; vertical: number } {
  const count = (rules: LineBands | null) => {
    if (!rules) return 0;
    let lines = 0;
    for (let i = 0; i < rules.isRule.length; i++) if (rules.isRule[i] && !rules.isRule[i - 1]) lines++;
    return lines;
  };
  const rows = findRules(mask, width, height);
  if (rows) eraseRules(mask, darkness, width, height, rows);
  const t = transpose(mask, width, height);
  const tDarkness = new Float32Array(darkness.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) tDarkness[x * height + y] = darkness[y * width + x];
  const columns = findRules(t, height, width);
  if (columns) {
    eraseRules(t, tDarkness, height, width, columns);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) mask[y * width + x] = t[x * height + y];
  }
  return { horizontal: count(rows), vertical: count(columns) };
}

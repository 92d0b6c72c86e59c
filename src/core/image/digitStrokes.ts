/**
 * Which marks in an ink mask are the digit: connected components (8-neighbourhood), then the
 * choice a person makes without thinking — the digit is the big, inky mark near the middle; what
 * touches the picture's edge (the table, the sheet's edge, a shadow), long thin lines and specks
 * are not; strokes close to the digit (the bar of a 5 written apart) belong to it. On a clean
 * picture (a drawing, a scan: no grain at all) every mark as big as the main stroke was meant,
 * wherever it lies; in a photo such a mark far away is part of the scene (the table's grain).
 */

/** Extra strokes join the digit when at least this fraction of its area… */
export const STROKE_MIN_AREA = 0.04;
/** …and at least this fraction of its darkest ink… */
export const STROKE_MIN_PEAK = 0.5;
/** …and no farther from it than this fraction of its longer side. */
export const STROKE_MAX_GAP = 0.35;
/** On a clean picture, marks at least this fraction of the main stroke's area join it at any distance. */
export const STROKE_PEER_AREA = 0.5;
/** Marks at least this fraction of the largest one's area set how dark the digit's pen may be. */
const SIZEABLE = 0.05;
/** A mark touching the picture's edge, or shaped like a line, counts this much less. */
const EDGE_PENALTY = 0.05;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface InkComponent {
  area: number;
  /** Sum of the ink strength over the component. */
  mass: number;
  /** Its strongest ink. */
  peak: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  touchesEdge: boolean;
}

/** Labels the 8-connected components of `mask` (0/1); labels[i] = component index + 1, 0 off the mask. */
export function connectedComponents(
  mask: Uint8Array,
  strength: Float32Array,
  width: number,
  height: number,
): { labels: Int32Array; components: InkComponent[] } {
  const labels = new Int32Array(mask.length);
  const components: InkComponent[] = [];
  const stack = new Int32Array(mask.length);
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = components.length + 1;
    const c: InkComponent = { area: 0, mass: 0, peak: 0, x0: width, y0: height, x1: -1, y1: -1, touchesEdge: false };
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const i = stack[--top];
      const x = i % width;
      const y = (i - x) / width;
      c.area++;
      c.mass += strength[i];
      if (strength[i] > c.peak) c.peak = strength[i];
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) c.touchesEdge = true;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (mask[j] && !labels[j]) {
            labels[j] = label;
            stack[top++] = j;
          }
        }
      }
    }
    components.push(c);
  }
  return { labels, components };
}

/** How much a component looks like the digit: its ink, less when far from the middle, at the edge or line-like. */
function digitScore(c: InkComponent, width: number, height: number): number {
  const cx = (c.x0 + c.x1 + 1) / 2;
  const cy = (c.y0 + c.y1 + 1) / 2;
  const d2 = ((cx - width / 2) / (width / 2)) ** 2 + ((cy - height / 2) / (height / 2)) ** 2;
  const central = Math.max(0.05, 1 - 0.5 * d2);
  return c.mass * central * (c.touchesEdge ? EDGE_PENALTY : 1) * (lineLike(c, width, height) ? EDGE_PENALTY : 1);
}

/** Long (over 60 % of the picture) and thin (filling under 12 % of its box): a line, not a digit. */
function lineLike(c: InkComponent, width: number, height: number): boolean {
  const w = c.x1 - c.x0 + 1;
  const h = c.y1 - c.y0 + 1;
  return (w > 0.6 * width || h > 0.6 * height) && c.area < 0.12 * w * h;
}

function gapBetween(a: Box, c: InkComponent): number {
  const gx = Math.max(0, a.x - c.x1 - 1, c.x0 - (a.x + a.width));
  const gy = Math.max(0, a.y - c.y1 - 1, c.y0 - (a.y + a.height));
  return Math.hypot(gx, gy);
}

/**
 * The components that make the digit (indices into `components`, those with peak ≥ `strong`) and
 * their joint bounding box; null when no component reaches `strong`.
 */
export function chooseDigit(
  components: InkComponent[],
  width: number,
  height: number,
  strong: number,
  everyMarkMeant: boolean,
): { keep: number[]; box: Box } | null {
  // The digit's pen is the darkest sizeable ink in the picture: what a closing leaves of a soft
  // shadow's edge or of shading can be wide (much mass) but is faint beside it.
  let largest = 0;
  for (const c of components) if (!c.touchesEdge && c.area > largest) largest = c.area;
  let darkest = 0;
  for (const c of components) {
    if (!c.touchesEdge && c.area >= SIZEABLE * largest && c.peak > darkest) darkest = c.peak;
  }
  let main = -1;
  let best = 0;
  components.forEach((c, i) => {
    if (c.peak < strong || c.peak < STROKE_MIN_PEAK * darkest) return;
    const score = digitScore(c, width, height);
    if (score > best) [best, main] = [score, i];
  });
  if (main < 0) return null;
  const m = components[main];
  const keep = [main];
  const box: Box = { x: m.x0, y: m.y0, width: m.x1 - m.x0 + 1, height: m.y1 - m.y0 + 1 };
  const taken = new Set(keep);
  // The reach and the gap are the main stroke's own: measured from the growing box they would
  // snowball along a row of specks or the grain of a table.
  const own: Box = { ...box };
  const reach = STROKE_MAX_GAP * Math.max(box.width, box.height);
  for (let grew = true; grew; ) {
    grew = false;
    components.forEach((c, i) => {
      if (taken.has(i) || c.peak < strong || c.area < STROKE_MIN_AREA * m.area) return;
      if (c.peak < STROKE_MIN_PEAK * m.peak) return; // the same pen is about as dark everywhere
      if (c.touchesEdge && !m.touchesEdge) return;
      const peer = everyMarkMeant && c.area >= STROKE_PEER_AREA * m.area && !lineLike(c, width, height);
      if (!peer && gapBetween(own, c) > reach) return;
      taken.add(i);
      keep.push(i);
      const x1 = Math.max(box.x + box.width, c.x1 + 1);
      const y1 = Math.max(box.y + box.height, c.y1 + 1);
      box.x = Math.min(box.x, c.x0);
      box.y = Math.min(box.y, c.y0);
      box.width = x1 - box.x;
      box.height = y1 - box.y;
      grew = true;
    });
  }
  return { keep, box };
}

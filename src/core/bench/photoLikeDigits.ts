/**
 * Photo-like pictures of MNIST digits: what a phone sees when a digit written on paper is
 * photographed. A 28×28 MNIST digit is drawn as pen or pencil ink on a sheet at phone resolution,
 * then degraded the way real photos are, each degradation drawn at random from a seed:
 *
 *   - the digit: ink colour (blue, black or red pen, pencil grey with grain), stroke thickness
 *     (the level at which the smoothly enlarged digit becomes ink), size, placement off centre,
 *     rotation and a perspective tilt (a homography);
 *   - the sheet: paper colour and grain, notebook rules (lines, sometimes a margin or squares),
 *     sometimes the sheet's edge with the table beside it;
 *   - the light: a gradient, vignetting, a soft shadow and sometimes a hard-edged one;
 *   - the camera: blur, sensor noise; the JPEG step (random quality) is left to the caller,
 *     which has an encoder (the CLI's photo benchmark and the unit test use jpeg-js).
 *
 * Used to measure the MNIST preprocessing on photos (`npm run bench -- --photos N`) and by its
 * unit test; never to train. Pure arithmetic on arrays, no DOM.
 */
import { mulberry32 } from '../util/random';

const MNIST_SIDE = 28;
const NORMAL_TABLE = 1 << 16;
/** The picture's long side is drawn between these (a phone photo's digit region, 600–1500 px). */
const MIN_SIDE = 600;
const MAX_SIDE = 1500;

/** The drawn picture and the choices behind it (for reports and for reproducing one case). */
export interface PhotoLikeDigit {
  width: number;
  height: number;
  /** width × height × 4 bytes. */
  rgba: Uint8ClampedArray;
  /** JPEG quality (1–100) the caller should encode at. */
  jpegQuality: number;
  /** Which degradations were drawn, in words, for a report. */
  traits: string[];
}

type Rgb = [number, number, number];
type Random = () => number;

const INKS: { name: string; colour: Rgb; pencil: boolean }[] = [
  { name: 'blue pen', colour: [25, 45, 150], pencil: false },
  { name: 'black pen', colour: [22, 22, 28], pencil: false },
  { name: 'red pen', colour: [175, 25, 35], pencil: false },
  { name: 'pencil', colour: [85, 85, 92], pencil: true },
];
const PAPERS: Rgb[] = [
  [246, 246, 242],
  [240, 233, 212],
  [232, 232, 228],
  [250, 242, 185],
  [236, 242, 248],
];
const RULE_COLOURS: Rgb[] = [
  [165, 195, 230],
  [170, 170, 175],
  [120, 150, 210],
];
const TABLE_COLOURS: Rgb[] = [
  [120, 85, 55],
  [70, 70, 75],
  [160, 150, 140],
];

const uniform = (r: Random, a: number, b: number) => a + (b - a) * r();
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
/** A standard normal draw (Box–Muller). */
const gauss = (r: Random) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const smoothstep = (e0: number, e1: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** Catmull–Rom weights of the four taps around a sample at fraction t, written into `w`. */
function cubicWeights(t: number, w: Float64Array): void {
  w[0] = ((-t + 2) * t - 1) * t * 0.5;
  w[1] = ((3 * t - 5) * t * t + 2) * 0.5;
  w[2] = ((-3 * t + 4) * t + 1) * t * 0.5;
  w[3] = (t - 1) * t * t * 0.5;
}

const wx = new Float64Array(4);
const wy = new Float64Array(4);

/** Catmull–Rom bicubic sample of a 28×28 digit (values 0–1, 0 outside), at continuous (u, v). */
function sampleDigit(digit: Float32Array, u: number, v: number): number {
  const x = u - 0.5;
  const y = v - 0.5;
  if (x < -2 || y < -2 || x > MNIST_SIDE + 1 || y > MNIST_SIDE + 1) return 0;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  cubicWeights(x - x0, wx);
  cubicWeights(y - y0, wy);
  let sum = 0;
  for (let j = 0; j < 4; j++) {
    const yy = y0 - 1 + j;
    if (yy < 0 || yy >= MNIST_SIDE) continue;
    for (let i = 0; i < 4; i++) {
      const xx = x0 - 1 + i;
      if (xx < 0 || xx >= MNIST_SIDE) continue;
      sum += wx[i] * wy[j] * digit[yy * MNIST_SIDE + xx];
    }
  }
  return sum;
}

/** Smooth value noise in [−1, 1] on a grid of `cell` pixels (bilinear between seeded lattice values), as a field. */
function noiseField(r: Random, width: number, height: number, cell: number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const lattice = new Float32Array(gw * gh).map(() => 2 * r() - 1);
  const field = new Float32Array(width * height);
  const ix = new Int32Array(width);
  const fx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    ix[x] = Math.floor((x + 0.5) / cell);
    fx[x] = smoothstep(0, 1, (x + 0.5) / cell - ix[x]);
  }
  for (let y = 0; y < height; y++) {
    const gy = (y + 0.5) / cell;
    const iy = Math.floor(gy);
    const fy = smoothstep(0, 1, gy - iy);
    const row0 = iy * gw;
    const row1 = row0 + gw;
    for (let x = 0; x < width; x++) {
      const i = ix[x];
      const f = fx[x];
      const top = lattice[row0 + i] * (1 - f) + lattice[row0 + i + 1] * f;
      const bottom = lattice[row1 + i] * (1 - f) + lattice[row1 + i + 1] * f;
      field[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return field;
}

/**
 * The map from picture pixels to digit coordinates: the digit, `size` pixels tall, centred at
 * (cx, cy), rotated by `angle` and tilted by a small projective term (p, q) — a homography.
 */
function digitMap(cx: number, cy: number, size: number, angle: number, p: number, q: number) {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const k = MNIST_SIDE / size;
  return (x: number, y: number, out: Float64Array): void => {
    const dx = x - cx;
    const dy = y - cy;
    const w = 1 + p * dx + q * dy;
    out[0] = MNIST_SIDE / 2 + ((cos * dx + sin * dy) / w) * k;
    out[1] = MNIST_SIDE / 2 + ((-sin * dx + cos * dy) / w) * k;
  };
}

/** Three box blurs of radius r in each direction: close to a Gaussian blur (Wells 1986). */
function boxBlur3(plane: Float32Array, width: number, height: number, radius: number): void {
  if (radius < 1) return;
  const tmp = new Float32Array(plane.length);
  const pass = (src: Float32Array, dst: Float32Array, n: number, lines: number, stride: number, step: number) => {
    for (let l = 0; l < lines; l++) {
      const base = l * stride;
      let acc = 0;
      for (let i = -radius; i <= radius; i++) acc += src[base + Math.min(n - 1, Math.max(0, i)) * step];
      for (let i = 0; i < n; i++) {
        dst[base + i * step] = acc / (2 * radius + 1);
        acc += src[base + Math.min(n - 1, i + radius + 1) * step] - src[base + Math.max(0, i - radius) * step];
      }
    }
  };
  for (let k = 0; k < 3; k++) {
    pass(plane, tmp, width, height, width, 1);
    pass(tmp, plane, height, width, 1, width);
  }
}

/** The scene without the camera: paper, rules, table, light and ink, as three float planes 0–255. */
interface Scene {
  planes: [Float32Array, Float32Array, Float32Array];
  traits: string[];
}

function drawScene(r: Random, digit: Float32Array, width: number, height: number): Scene {
  const traits: string[] = [];
  const short = Math.min(width, height);
  const ink = pick(r, INKS);
  traits.push(ink.name);
  const level = uniform(r, 0.2, 0.6); // where the enlarged digit becomes ink: lower is bolder
  traits.push(`stroke level ${level.toFixed(2)}`);
  const paper = pick(r, PAPERS);
  const size = short * uniform(r, 0.28, 0.6);
  const half = size * 0.55;
  const cx = width / 2 + uniform(r, -1, 1) * Math.max(0, width / 2 - half - short * 0.06);
  const cy = height / 2 + uniform(r, -1, 1) * Math.max(0, height / 2 - half - short * 0.06);
  const angle = (uniform(r, -8, 8) * Math.PI) / 180;
  const tilt = 0.25 / short;
  const toDigit = digitMap(cx, cy, size, angle, uniform(r, -tilt, tilt), uniform(r, -tilt, tilt));
  const sheetAngle = angle + (uniform(r, -2, 2) * Math.PI) / 180;
  const grain = noiseField(r, width, height, Math.max(2, short / 300));
  const fibres = noiseField(r, width, height, short / 25);
  const grainAmount = uniform(r, 0.005, 0.035);
  const pencilGrain = noiseField(r, width, height, Math.max(1.5, short / 500));

  const ruled = r() < 0.4;
  const ruleSpacing = short * uniform(r, 0.05, 0.09);
  const ruleOffset = r() * ruleSpacing;
  const ruleWidth = Math.max(1, short * uniform(r, 0.0015, 0.004));
  const ruleColour = pick(r, RULE_COLOURS);
  const squared = ruled && r() < 0.3;
  const margin = ruled && !squared && r() < 0.4 ? width * uniform(r, 0.08, 0.2) : null;
  if (ruled) traits.push(squared ? 'squared paper' : margin !== null ? 'ruled, margin' : 'ruled');

  const edge =
    r() < 0.3 ? { side: Math.floor(r() * 4), at: uniform(r, 0.03, 0.15), slope: uniform(r, -0.08, 0.08) } : null;
  const table = pick(r, TABLE_COLOURS);
  if (edge) traits.push('sheet edge and table');

  const gradientDir = r() * 2 * Math.PI;
  const gradientCos = Math.cos(gradientDir);
  const gradientSin = Math.sin(gradientDir);
  const gradient = uniform(r, 0, 0.45);
  const vignette = uniform(r, 0, 0.3);
  const soft = r() < 0.6;
  const shadowDir = r() * 2 * Math.PI;
  const shadowCos = Math.cos(shadowDir);
  const shadowSin = Math.sin(shadowDir);
  const shadowAt = uniform(r, -0.5, 0.5) * short;
  const shadowWidth = soft ? short * uniform(r, 0.03, 0.25) : uniform(r, 1, 3);
  const shadowDepth = r() < 0.7 ? uniform(r, 0.2, 0.55) : 0;
  if (shadowDepth > 0) traits.push(soft ? 'soft shadow' : 'hard shadow');
  traits.push(`light gradient ${gradient.toFixed(2)}`);
  const inkOpacity = ink.pencil ? uniform(r, 0.55, 0.85) : uniform(r, 0.85, 1);

  const planes: Scene['planes'] = [
    new Float32Array(width * height),
    new Float32Array(width * height),
    new Float32Array(width * height),
  ];
  const diag = Math.hypot(width, height) / 2;
  const sc = Math.cos(sheetAngle);
  const ss = Math.sin(sheetAngle);
  const red: Rgb = [225, 110, 115];
  const uv = new Float64Array(2);
  const colour = new Float64Array(3);
  const lineAt = (distanceFromRule: number) =>
    smoothstep(ruleWidth / 2 + 0.7, ruleWidth / 2 - 0.7, ruleSpacing / 2 - distanceFromRule);
  const rowDistance = (t: number) =>
    Math.abs(((((t - ruleOffset) % ruleSpacing) + ruleSpacing) % ruleSpacing) - ruleSpacing / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const px = x + 0.5;
      const py = y + 0.5;
      // Paper and its grain.
      const g = 1 + grainAmount * (grain[i] + 0.5 * fibres[i]);
      for (let k = 0; k < 3; k++) colour[k] = paper[k] * g;
      // Rules, in the sheet's frame.
      if (ruled) {
        const along = -ss * (px - width / 2) + sc * (py - height / 2);
        const across = sc * (px - width / 2) + ss * (py - height / 2);
        let line = lineAt(rowDistance(along));
        if (squared) line = Math.max(line, lineAt(rowDistance(across)));
        for (let k = 0; k < 3; k++) colour[k] += (ruleColour[k] - colour[k]) * line;
        if (margin !== null) {
          const m = smoothstep(ruleWidth / 2 + 0.7, ruleWidth / 2 - 0.7, Math.abs(across + width / 2 - margin));
          for (let k = 0; k < 3; k++) colour[k] += (red[k] - colour[k]) * m;
        }
      }
      // Ink: the enlarged digit thresholded smoothly at `level`.
      toDigit(px, py, uv);
      const value = sampleDigit(digit, uv[0], uv[1]);
      if (value > level - 0.08) {
        let a = smoothstep(level - 0.08, level + 0.08, value) * inkOpacity;
        if (ink.pencil) a *= 0.75 + 0.25 * pencilGrain[i];
        for (let k = 0; k < 3; k++) colour[k] += (ink.colour[k] - colour[k]) * a;
      }
      // The table beyond the sheet's edge.
      if (edge) {
        const coord =
          edge.side === 0
            ? px / width
            : edge.side === 1
              ? 1 - px / width
              : edge.side === 2
                ? py / height
                : 1 - py / height;
        const other = edge.side < 2 ? py / height : px / width;
        if (coord < edge.at + edge.slope * (other - 0.5)) {
          const t = 1 + 0.12 * fibres[i] + 0.05 * grain[i];
          for (let k = 0; k < 3; k++) colour[k] = table[k] * t;
        }
      }
      // Light: gradient, vignetting, shadow.
      const along = (px - width / 2) * gradientCos + (py - height / 2) * gradientSin;
      let light = 1 - gradient * (0.5 + along / (2 * diag));
      light *= 1 - vignette * (((px - width / 2) ** 2 + (py - height / 2) ** 2) / (diag * diag));
      if (shadowDepth > 0) {
        const s = (px - width / 2) * shadowCos + (py - height / 2) * shadowSin - shadowAt;
        light *= 1 - shadowDepth * smoothstep(-shadowWidth / 2, shadowWidth / 2, s);
      }
      for (let k = 0; k < 3; k++) planes[k][i] = colour[k] * light;
    }
  }
  return { planes, traits };
}

/**
 * One photo-like picture of `digit` (28×28 bytes, MNIST form: bright ink on black), its size and
 * every degradation drawn from `seed`; `maxSide` caps the long side (600 px up to it) for quick tests.
 */
export function photoLikeDigit(digit: ArrayLike<number>, seed: number, maxSide = MAX_SIDE): PhotoLikeDigit {
  const r = mulberry32(seed);
  const ink = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  for (let i = 0; i < ink.length; i++) ink[i] = digit[i] / 255;
  const long = Math.round(uniform(r, MIN_SIDE, Math.max(MIN_SIDE, maxSide)));
  const aspect = pick(r, [3 / 4, 1, 4 / 3, 9 / 16]);
  const width = aspect <= 1 ? Math.round(long * aspect) : long;
  const height = aspect <= 1 ? long : Math.round(long / aspect);
  const { planes, traits } = drawScene(r, ink, width, height);
  const blur = r() < 0.7 ? Math.round(uniform(r, 0, 1.2) * (Math.min(width, height) / 600)) : 0;
  if (blur > 0) traits.push(`blur radius ${blur}`);
  for (const plane of planes) boxBlur3(plane, width, height, blur);
  const noise = uniform(r, 1, 9);
  traits.push(`noise σ ${noise.toFixed(1)}`);
  // A table of normal draws, picked from at random: Box–Muller for every pixel would dominate the time.
  const normals = new Float32Array(NORMAL_TABLE).map(() => gauss(r));
  const draw = () => normals[Math.floor(r() * NORMAL_TABLE)];
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const shared = draw() * noise * 0.6;
    for (let k = 0; k < 3; k++) rgba[4 * i + k] = planes[k][i] + shared + draw() * noise * 0.5;
    rgba[4 * i + 3] = 255;
  }
  const jpegQuality = Math.round(uniform(r, 30, 95));
  traits.push(`JPEG ${jpegQuality}`);
  return { width, height, rgba, jpegQuality, traits };
}

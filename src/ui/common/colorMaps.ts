/**
 * Pixel values to RGBA bytes for a canvas. Pure functions: no DOM, so they are testable in Node.
 * Images are h × w × c Float32Arrays, row-major, channels last.
 */
export type Rgb = readonly [number, number, number];

/**
 * Ends and centre of ColorBrewer's RdBu: a diverging map that reads the same in print and for most colour-blind
 * viewers.
 */
const NEGATIVE: Rgb = [33, 102, 172];
const ZERO: Rgb = [247, 247, 247];
const POSITIVE: Rgb = [178, 24, 43];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** t in [−1, 1] → blue (−1), white (0), red (+1). */
export function blueWhiteRed(t: number): Rgb {
  const u = clamp(t, -1, 1);
  return u < 0 ? mix(ZERO, NEGATIVE, -u) : mix(ZERO, POSITIVE, u);
}

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** An image in [0,1] as it is: grey for one channel, colour for three. */
export function imageToRgba(pixels: Float32Array, shape: ImageShape): Uint8ClampedArray<ArrayBuffer> {
  const { height, width, channels } = shape;
  const out = new Uint8ClampedArray(height * width * 4);
  for (let i = 0; i < height * width; i++) {
    for (let k = 0; k < 3; k++) out[4 * i + k] = Math.round(255 * pixels[i * channels + (channels === 1 ? 0 : k)]);
    out[4 * i + 3] = 255;
  }
  return out;
}

/** The largest |value|: the scale at which a perturbation fills the colour map. */
export function maxAbs(values: Float32Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * A signed image (a perturbation δ) on the diverging map, amplified so ±scale reach the ends;
 * colour channels are averaged, since the sign per pixel is what the eye should see.
 */
export function signedToRgba(values: Float32Array, shape: ImageShape, scale: number): Uint8ClampedArray<ArrayBuffer> {
  const { height, width, channels } = shape;
  const out = new Uint8ClampedArray(height * width * 4);
  const inv = scale > 0 ? 1 / scale : 0;
  for (let i = 0; i < height * width; i++) {
    let sum = 0;
    for (let k = 0; k < channels; k++) sum += values[i * channels + k];
    const [r, g, b] = blueWhiteRed((sum / channels) * inv);
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** A CSS linear-gradient of the diverging map, for its legend. */
export const BLUE_WHITE_RED_CSS = `linear-gradient(to right, rgb(${NEGATIVE}), rgb(${ZERO}), rgb(${POSITIVE}))`;

/** The colour channels' names, in the order of the channels-last data. */
export const CHANNEL_NAMES = ['R', 'G', 'B'] as const;

/** One channel of a signed image on the diverging map, amplified so ±scale reach the ends. */
export function channelSignedToRgba(
  values: Float32Array,
  shape: ImageShape,
  channel: number,
  scale: number,
): Uint8ClampedArray<ArrayBuffer> {
  const { height, width, channels } = shape;
  const out = new Uint8ClampedArray(height * width * 4);
  const inv = scale > 0 ? 1 / scale : 0;
  for (let i = 0; i < height * width; i++) {
    const [r, g, b] = blueWhiteRed(values[i * channels + channel] * inv);
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * A signed colour image as colour: mid-grey is 0, each channel moved by δ/scale of the half
 * range, so ±scale reach 0 and 255. Shows which colour each pixel was pushed towards.
 */
export function signedColourToRgba(
  values: Float32Array,
  shape: ImageShape,
  scale: number,
): Uint8ClampedArray<ArrayBuffer> {
  const { height, width, channels } = shape;
  const out = new Uint8ClampedArray(height * width * 4);
  const inv = scale > 0 ? 1 / scale : 0;
  for (let i = 0; i < height * width; i++) {
    for (let k = 0; k < 3; k++)
      out[4 * i + k] = Math.round(127.5 + 127.5 * clamp(values[i * channels + (channels === 1 ? 0 : k)] * inv, -1, 1));
    out[4 * i + 3] = 255;
  }
  return out;
}

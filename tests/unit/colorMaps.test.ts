/**
 * The per-channel and colour views of a perturbation (src/ui/common/colorMaps.ts, pure): each
 * channel's map reads only its own channel; the colour view puts 0 at mid-grey and ±scale at the
 * ends of each channel.
 */
import { describe, expect, test } from 'vitest';
import { blueWhiteRed, channelSignedToRgba, signedColourToRgba } from '../../src/ui/common/colorMaps';

const shape = { height: 1, width: 2, channels: 3 };
/** Pixel 0: δ = (+0.1, 0, −0.1); pixel 1: δ = (−0.05, 0.1, 0). */
const delta = new Float32Array([0.1, 0, -0.1, -0.05, 0.1, 0]);
const rgbAt = (rgba: Uint8ClampedArray, i: number) => Array.from(rgba.subarray(4 * i, 4 * i + 3));
const mapped = (t: number) => blueWhiteRed(t).map((v) => Math.round(v));
/** Within one level: the canvas bytes round (half to even) what the map returns. */
const expectColour = (got: number[], want: number[]) =>
  got.forEach((v, k) => {
    expect(Math.abs(v - want[k]), `${got} vs ${want}`).toBeLessThanOrEqual(1);
  });

describe('perturbation colour maps', () => {
  test('each channel map shows that channel only, at the common scale', () => {
    const red = channelSignedToRgba(delta, shape, 0, 0.1);
    const green = channelSignedToRgba(delta, shape, 1, 0.1);
    const blue = channelSignedToRgba(delta, shape, 2, 0.1);
    expectColour(rgbAt(red, 0), mapped(1));
    expectColour(rgbAt(red, 1), mapped(-0.5));
    expectColour(rgbAt(green, 0), mapped(0));
    expectColour(rgbAt(green, 1), mapped(1));
    expectColour(rgbAt(blue, 0), mapped(-1));
    expectColour(rgbAt(blue, 1), mapped(0));
    expect(red[3]).toBe(255);
  });

  test('the colour view: 0 is mid-grey, ±scale are the ends, beyond is clipped', () => {
    const rgba = signedColourToRgba(delta, shape, 0.1);
    expect(rgbAt(rgba, 0)).toEqual([255, 128, 0]);
    expect(rgbAt(rgba, 1)).toEqual([64, 255, 128]);
    expect(rgbAt(signedColourToRgba(delta, shape, 0.05), 0)).toEqual([255, 128, 0]);
    // A zero perturbation (scale 0) is uniformly grey, not NaN.
    expect(rgbAt(signedColourToRgba(new Float32Array(6), shape, 0), 1)).toEqual([128, 128, 128]);
  });
});

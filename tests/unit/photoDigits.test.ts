/**
 * Photos of handwriting (issue 18): the shipped CNN reads photo-like pictures of MNIST test digits —
 * ink of several colours on shaded, grainy, ruled paper, rotated, tilted, blurred, noisy and
 * JPEG-compressed (src/core/bench/photoLikeDigits.ts) — within 3 points of how it reads the same
 * digits as MNIST images (the target; on 300 held-out photos of seed 7000 the README gives
 * the figure). The reference is independent of the preprocessing under test: the model's own
 * accuracy on the original 28×28 digits. The seeds here differ from those the preprocessing was
 * tuned on (1000 and 2000, digits 0–149), and two seeds over different digits are used, so no one
 * fixed set is learnt. What fails it: cropping to the shading instead of the ink (the 18 %), reading
 * the paper's polarity from which side is quieter (a large shadow flips it), a closing that folds a
 * shadow's edge at the picture's edge into a false band of ink, rules left on a digit written over them.
 * Clean scans of the same digits (enlarged, dark on white, no noise) must read as the MNIST images do.
 * Timeouts are generous: a loaded machine is slow, and timing belongs in `npm run bench`.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { mnistTest, shippedModel, useWasm } from './helpers/env';
import { measurePhotoFigure, photoLikeJpeg } from '../../src/cli/photoBench';
import { preprocessMnist } from '../../src/core/image/mnistPreprocess';
import type { ImageDataset } from '../../src/core/data/dataset';
import { type Classifier, predictProbabilities } from '../../src/core/models/classifier';
import * as tf from '@tensorflow/tfjs';

/** Pictures per seed, and their long side's cap (600 px up to it): as many as fit in about 20 s on one core. */
const PER_SEED = 40;
const MAX_SIDE = 800;
/** The issue's target: photo accuracy at most this far below the same digits' MNIST accuracy. */
const TARGET_GAP = 0.03;

const argMax = (p: number[]) => p.indexOf(Math.max(...p));

/** A clean scan of a 28×28 digit: enlarged `zoom` times (bilinear), dark ink on white, off centre on a page. */
function cleanScan(digit: Uint8Array, zoom: number) {
  const width = 28 * zoom + 160;
  const height = 28 * zoom + 90;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : digit[y * 28 + x] / 255);
  for (let y = 0; y < 28 * zoom; y++) {
    for (let x = 0; x < 28 * zoom; x++) {
      const u = (x + 0.5) / zoom - 0.5;
      const v = (y + 0.5) / zoom - 0.5;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      const ink =
        (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
        fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
      const i = 4 * ((y + 20) * width + x + 120);
      rgba.fill(Math.round(250 - 230 * ink), i, i + 3);
    }
  }
  return { rgba, width, height };
}

describe('photo-like pictures of MNIST test digits, through the app preprocessing', () => {
  let clf: Classifier;
  let ds: ImageDataset;
  beforeAll(async () => {
    await useWasm();
    clf = await shippedModel();
    ds = await mnistTest();
  });

  test('accuracy on the photos is within 3 points of accuracy on the same MNIST images (two seeds)', async () => {
    const a = await measurePhotoFigure(clf, ds, { n: PER_SEED, seed: 31_337, firstIndex: 500, maxSide: MAX_SIDE });
    const b = await measurePhotoFigure(clf, ds, { n: PER_SEED, seed: 424_242, firstIndex: 2000, maxSide: MAX_SIDE });
    const photo = (a.photoAccuracy + b.photoAccuracy) / 2;
    const mnist = (a.mnistAccuracy + b.mnistAccuracy) / 2;
    expect(mnist).toBeGreaterThan(0.9);
    expect(photo, `photos ${photo}, MNIST ${mnist}`).toBeGreaterThanOrEqual(mnist - TARGET_GAP - 1e-9);
    expect(a.refused + b.refused).toBe(0);
  }, 600_000);

  // Three tuning photos (seeds 1000 and 2000) whose strokes, bolder than MNIST's, the 20×20 box read as
  // another digit (a 9 as a 5, a 2 as a 3, twice) until they were thinned to MNIST's widths (strokeWidth.ts).
  test('strokes brought within MNIST widths: three tuning photos read right', async () => {
    for (const [seed, index] of [
      [1000, 62],
      [1000, 149],
      [2000, 149],
    ]) {
      const photo = photoLikeJpeg(ds, index, seed);
      const pixels = preprocessMnist(photo.data, photo.width, photo.height).pixels;
      const x = tf.tensor4d(pixels, [1, 28, 28, 1]);
      const [p] = await predictProbabilities(clf, x);
      x.dispose();
      expect(argMax(p), `seed ${seed} digit ${index} (${photo.traits.join(', ')})`).toBe(ds.labels[index]);
    }
  }, 120_000);

  // Two of these 40 (test digits 3005, an odd 9, and 3030, an odd 6) are lost to the blur of enlarging and
  // shrinking again, with this preprocessing and the one before it alike; a third would be a regression.
  test('clean scans of the same digits read as the MNIST images do, but for two', async () => {
    let scans = 0;
    let originals = 0;
    const n = 40;
    for (let index = 3000; index < 3000 + n; index++) {
      const digit = ds.images.subarray(index * 784, (index + 1) * 784);
      const scan = cleanScan(digit, 10);
      const pixels = preprocessMnist(scan.rgba, scan.width, scan.height).pixels;
      const x = tf.tensor4d([...Float32Array.from(digit, (v) => v / 255), ...pixels], [2, 28, 28, 1]);
      const [original, scanned] = await predictProbabilities(clf, x);
      x.dispose();
      if (argMax(original) === ds.labels[index]) originals++;
      if (argMax(scanned) === ds.labels[index]) scans++;
    }
    expect(originals / n).toBeGreaterThan(0.9);
    expect(scans, `${scans} scans and ${originals} MNIST images of ${n} read right`).toBeGreaterThanOrEqual(
      originals - 2,
    );
  }, 300_000);

  test('the digit box is found around the ink, not the shading: its size matches the drawn digit', () => {
    // The generator draws the 28×28 digit at 28–60 % of the short side; MNIST's own ink box is at most
    // 20 of those 28 pixels, so the crop's long side is at most 0.6·20/28 ≈ 43 % of the short side
    // (plus a stroke's blur), never the whole sheet or a shadow across it.
    for (let index = 700; index < 706; index++) {
      const photo = photoLikeJpeg(ds, index, 99, MAX_SIDE);
      const r = preprocessMnist(photo.data, photo.width, photo.height);
      const short = Math.min(photo.width, photo.height);
      expect(r.crop).not.toBeNull();
      expect(Math.max(r.crop!.width, r.crop!.height)).toBeLessThan(0.5 * short);
      expect(Math.max(r.crop!.width, r.crop!.height)).toBeGreaterThan(0.1 * short);
      // The stages the app shows: a small photo and its ink mask, the kept strokes at full strength.
      const stages = r.photo!.stages;
      expect(Math.max(stages.width, stages.height)).toBeLessThanOrEqual(96);
      expect(Math.max(...stages.ink)).toBeGreaterThan(0.5);
    }
  }, 300_000);
});

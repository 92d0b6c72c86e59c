/**
 * The photo figure: the shipped MNIST model's accuracy on photo-like pictures of MNIST test digits
 * (src/core/bench/photoLikeDigits.ts, JPEG-encoded at each picture's drawn quality with jpeg-js and
 * decoded again, as a phone's file would be) read through the app's preprocessing, beside its
 * accuracy on the same digits as MNIST images.
 *
 *   npm run bench -- --photos N [--photo-seed S] [--photo-start I]
 */
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { photoLikeDigit } from '../core/bench/photoLikeDigits';
import type { ImageDataset } from '../core/data/dataset';
import { preprocessMnist } from '../core/image/mnistPreprocess';
import { type Classifier, predictProbabilities } from '../core/models/classifier';

export interface PhotoFigure {
  n: number;
  seed: number;
  firstIndex: number;
  /** Correct on the photo-like pictures. */
  photoAccuracy: number;
  /** Correct on the same digits as MNIST images. */
  mnistAccuracy: number;
  /** Pictures where preprocessing found no digit (counted as wrong). */
  refused: number;
  /** Mean milliseconds of preprocessing per picture (JPEG decoding excluded). */
  preprocessMs: number;
}

const argMax = (p: number[]) => p.indexOf(Math.max(...p));

async function predictOne(clf: Classifier, pixels: Float32Array): Promise<number> {
  const x = tf.tensor4d(pixels, [1, 28, 28, 1]);
  try {
    return argMax((await predictProbabilities(clf, x))[0]);
  } finally {
    x.dispose();
  }
}

/** One photo-like picture of test digit `index`, drawn from `seed + index`, as RGBA after a JPEG round trip. */
export function photoLikeJpeg(ds: ImageDataset, index: number, seed: number, maxSide?: number) {
  const digit = ds.images.subarray(index * 784, (index + 1) * 784);
  const p = photoLikeDigit(digit, seed + index, maxSide);
  const file = jpeg.encode({ width: p.width, height: p.height, data: p.rgba }, p.jpegQuality).data;
  const decoded = jpeg.decode(file, { useTArray: true, formatAsRGBA: true });
  return { ...decoded, traits: p.traits };
}

/** Accuracy on `n` photo-like pictures of the test digits from `firstIndex`, and on the same MNIST images. */
export async function measurePhotoFigure(
  clf: Classifier,
  ds: ImageDataset,
  options: { n: number; seed: number; firstIndex?: number; maxSide?: number },
): Promise<PhotoFigure> {
  const first = options.firstIndex ?? 0;
  let photoCorrect = 0;
  let mnistCorrect = 0;
  let refused = 0;
  let preprocessMs = 0;
  for (let index = first; index < first + options.n; index++) {
    const label = ds.labels[index];
    const clean = Float32Array.from(ds.images.subarray(index * 784, (index + 1) * 784), (v) => v / 255);
    if ((await predictOne(clf, clean)) === label) mnistCorrect++;
    const photo = photoLikeJpeg(ds, index, options.seed, options.maxSide);
    const started = performance.now();
    let pixels: Float32Array | null = null;
    try {
      pixels = preprocessMnist(photo.data, photo.width, photo.height).pixels;
    } catch {
      refused++;
    }
    preprocessMs += performance.now() - started;
    if (pixels && (await predictOne(clf, pixels)) === label) photoCorrect++;
  }
  return {
    n: options.n,
    seed: options.seed,
    firstIndex: first,
    photoAccuracy: photoCorrect / options.n,
    mnistAccuracy: mnistCorrect / options.n,
    refused,
    preprocessMs: preprocessMs / options.n,
  };
}

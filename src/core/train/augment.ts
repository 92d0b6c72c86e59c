/**
 * Training-time augmentation, seeded and pure.
 *
 * Yan et al.'s Gaussian-noise augmentation (ICLR 2020, and the authors' released code): each
 * example, with probability ½, gets N(0, (σ/255)²) noise with σ drawn from {50, 75, 100} (the
 * 0–255 scale), then is clipped.
 * For colour data, random crop + horizontal flip (`cropFlipAugment`, below).
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32, tfNormalSeed } from '../util/random';

export const NOISE_SIGMAS_255 = [50, 75, 100] as const;
export const NOISE_PROBABILITY = 0.5;

export function noiseAugment(x: tf.Tensor4D, seed: number): tf.Tensor4D {
  const n = x.shape[0];
  const rand = mulberry32(seed);
  const sigmas = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const noisy = rand() < NOISE_PROBABILITY;
    sigmas[i] = noisy ? NOISE_SIGMAS_255[Math.floor(rand() * NOISE_SIGMAS_255.length)] / 255 : 0;
  }
  return tf.tidy(() => {
    const perExample = tf.tensor4d(sigmas, [n, 1, 1, 1]);
    const noise = tf.mul(tf.randomNormal(x.shape, 0, 1, 'float32', tfNormalSeed(seed)), perExample);
    return tf.clipByValue(tf.add(x, noise), 0, 1) as tf.Tensor4D;
  });
}

/**
 * The standard CIFAR augmentation (He et al. 2016, §4.2, after Lee et al. 2015): pad 4 pixels of
 * zeros on each side, take a random crop of the original size, and flip horizontally with
 * probability ½. Each example gets its own shift (dy, dx ∈ {−4 … 4}) and flip, drawn from `seed`.
 */
export const CROP_PADDING = 4;
export const FLIP_PROBABILITY = 0.5;

export interface CropFlipDraw {
  /** Row and column shift of each example: output (i, j) reads input (i + dy, j + dx). */
  dy: Int32Array;
  dx: Int32Array;
  flip: Uint8Array;
}

/** The per-example shifts and flips that `cropFlipAugment` applies for this seed. */
export function cropFlipDraw(n: number, seed: number, padding = CROP_PADDING): CropFlipDraw {
  const rand = mulberry32(seed);
  const draw: CropFlipDraw = { dy: new Int32Array(n), dx: new Int32Array(n), flip: new Uint8Array(n) };
  for (let k = 0; k < n; k++) {
    draw.dy[k] = Math.floor(rand() * (2 * padding + 1)) - padding;
    draw.dx[k] = Math.floor(rand() * (2 * padding + 1)) - padding;
    draw.flip[k] = rand() < FLIP_PROBABILITY ? 1 : 0;
  }
  return draw;
}

/**
 * Random crop (zero padding `padding`) and horizontal flip of a batch [n, h, w, c]: pure, seeded,
 * and exact (every output pixel is an input pixel or 0). One gather on any backend: the source
 * pixel of each output pixel is computed here, with pixels outside the image pointing at an
 * appended zero row, so no per-example slicing is needed.
 */
export function cropFlipAugment(x: tf.Tensor4D, seed: number, padding = CROP_PADDING): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const { dy, dx, flip } = cropFlipDraw(n, seed, padding);
  const zeroRow = n * h * w;
  const source = new Int32Array(n * h * w);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < h; i++) {
      const si = i + dy[k];
      for (let j = 0; j < w; j++) {
        // Flip after cropping: output column j shows cropped column w−1−j.
        const sj = (flip[k] ? w - 1 - j : j) + dx[k];
        const inside = si >= 0 && si < h && sj >= 0 && sj < w;
        source[(k * h + i) * w + j] = inside ? (k * h + si) * w + sj : zeroRow;
      }
    }
  }
  return tf.tidy(() => {
    const pixels = tf.concat([tf.reshape(x, [n * h * w, c]), tf.zeros([1, c])], 0);
    return tf.reshape(tf.gather(pixels, tf.tensor1d(source, 'int32')), [n, h, w, c]) as tf.Tensor4D;
  });
}

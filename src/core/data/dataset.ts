/**
 * The one in-memory form of an image data set: raw bytes, NHWC, 0–255, plus labels.
 * Converting to tensors happens per batch, so a 10,000-image test set costs 7.8 MB, not 31 MB.
 */
import * as tf from '@tensorflow/tfjs';

export type DatasetName = 'mnist' | 'cifar10';
export type Split = 'train' | 'test';

export interface ImageDataset {
  name: DatasetName;
  split: Split;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** count × height × width × channels bytes, row-major, channels last. */
  images: Uint8Array;
  labels: Uint8Array;
  classNames: readonly string[];
}

export function imageSize(ds: Pick<ImageDataset, 'height' | 'width' | 'channels'>): number {
  return ds.height * ds.width * ds.channels;
}

/** The first `limit` examples (a view; no copy). */
export function takeFirst(ds: ImageDataset, limit: number): ImageDataset {
  const n = Math.max(0, Math.min(ds.count, Math.floor(limit)));
  const size = imageSize(ds);
  return { ...ds, count: n, images: ds.images.subarray(0, n * size), labels: ds.labels.subarray(0, n) };
}

/** The last `limit` examples (a view; no copy). */
export function takeLast(ds: ImageDataset, limit: number): ImageDataset {
  const n = Math.max(0, Math.min(ds.count, Math.floor(limit)));
  const size = imageSize(ds);
  const start = ds.count - n;
  return { ...ds, count: n, images: ds.images.subarray(start * size), labels: ds.labels.subarray(start) };
}

/** One example's pixels scaled to [0,1]. */
export function exampleAsFloat(ds: ImageDataset, index: number): Float32Array {
  const size = imageSize(ds);
  const out = new Float32Array(size);
  const src = ds.images.subarray(index * size, (index + 1) * size);
  for (let i = 0; i < size; i++) out[i] = src[i] / 255;
  return out;
}

/** Tensors for the examples at `indices`: x in [0,1] of shape [n,h,w,c], y as int32 labels. */
export function batchTensors(ds: ImageDataset, indices: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const size = imageSize(ds);
  const n = indices.length;
  const pixels = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    const src = ds.images.subarray(i * size, (i + 1) * size);
    const off = k * size;
    for (let p = 0; p < size; p++) pixels[off + p] = src[p] / 255;
    labels[k] = ds.labels[i];
  }
  return {
    x: tf.tensor4d(pixels, [n, ds.height, ds.width, ds.channels]),
    y: tf.tensor1d(labels, 'int32'),
  };
}

/** Indices start … start+n−1 clipped to the data set. */
export function range(start: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

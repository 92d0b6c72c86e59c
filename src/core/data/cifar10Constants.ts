/**
 * CIFAR-10's fixed facts (Krizhevsky 2009): class names, image geometry and the file names of the
 * official binary version. A module of its own, importing nothing, so that the UI can name the
 * classes and the files without bundling the archive reader (cifar10.ts).
 */
import type { Split } from './dataset';

/** The official order (label i is CIFAR10_CLASS_NAMES[i]), as in batches.meta.txt. */
export const CIFAR10_CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;
export const CIFAR10_SIDE = 32;
export const CIFAR10_CHANNELS = 3;
export const CIFAR10_PLANE = CIFAR10_SIDE * CIFAR10_SIDE;
export const CIFAR10_IMAGE_BYTES = CIFAR10_PLANE * CIFAR10_CHANNELS;
/** 1 label byte + 3,072 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 1 + CIFAR10_IMAGE_BYTES;
export const CIFAR10_ARCHIVE_NAME = 'cifar-10-binary.tar.gz';
export const CIFAR10_BATCH_DIR = 'cifar-10-batches-bin';
export const CIFAR10_META_FILE = 'batches.meta.txt';
/** Files of each split, in the order their records are concatenated. */
export const CIFAR10_FILES: Record<Split, readonly string[]> = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};

/**
 * CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images") from its
 * official *binary version*: `cifar-10-binary.tar.gz`, which holds `cifar-10-batches-bin/`
 * with data_batch_1.bin … data_batch_5.bin (training, 10,000 records each), test_batch.bin and
 * batches.meta.txt (the class names, one a line).
 *
 * A record is 1 label byte (0–9) and 3,072 pixel bytes: the red plane, then green, then blue,
 * each 32×32 row-major. The project keeps images NHWC, so the planes are interleaved here.
 *
 * This module reads the .bin files themselves (`cifar10FromFiles`); ./cifar10Archive.ts reads the .tar.gz as a
 * stream. Both are pure (no DOM, no Node APIs). The Python (pickle) and MATLAB versions of the data set are
 * recognised and refused with a message that names the right download.
 */
import { DataFormatError } from '../util/errors';
import {
  CIFAR10_ARCHIVE_NAME,
  CIFAR10_BATCH_DIR,
  CIFAR10_CHANNELS,
  CIFAR10_CLASS_NAMES,
  CIFAR10_FILES,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_META_FILE,
  CIFAR10_PLANE,
  CIFAR10_RECORD_BYTES,
  CIFAR10_SIDE,
} from './cifar10Constants';
import type { ImageDataset, Split } from './dataset';
import { isGzip } from './gunzip';

const BINARY_HINT =
  `This loader reads the binary version: download ${CIFAR10_ARCHIVE_NAME} ` +
  `(${CIFAR10_BATCH_DIR}/data_batch_1.bin … test_batch.bin).`;
export const PICKLE_PROTOCOL_OPCODE = 0x80;

export interface NamedBytes {
  /** File name; a path is fine, only the last component counts. */
  name: string;
  bytes: Uint8Array;
}

export interface Cifar10Splits {
  train?: ImageDataset;
  test?: ImageDataset;
  classNames: string[];
}

// ---------------------------------------------------------------------------------------------
// Names and contents of single files

type FileRole = { role: 'batch'; split: Split; index: number } | { role: 'meta' } | { role: 'other' };

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function pickleError(what: string): DataFormatError {
  return new DataFormatError(
    `${what} is from the Python version of CIFAR-10 (cifar-10-python.tar.gz, pickled batches). ${BINARY_HINT}`,
  );
}

export function matlabError(what: string): DataFormatError {
  return new DataFormatError(
    `${what} is from the MATLAB version of CIFAR-10 (cifar-10-matlab.tar.gz, .mat files). ${BINARY_HINT}`,
  );
}

/**
 * What a path inside an archive or a directory is to CIFAR-10; throws for files of the other
 * releases (Python, MATLAB, CIFAR-100), which would otherwise just look "missing".
 */
export function cifar10FileRole(path: string): FileRole {
  const name = baseName(path);
  const dirs = path.split('/').slice(0, -1);
  if (dirs.includes('cifar-10-batches-py') || /^(data_batch_[1-5]|test_batch|batches\.meta)$/.test(name))
    throw pickleError(path);
  if (dirs.includes('cifar-10-batches-mat') || /\.mat$/i.test(name)) throw matlabError(path);
  if (dirs.some((d) => d.startsWith('cifar-100')) || /^(coarse|fine)_label_names\.txt$/.test(name)) {
    throw new DataFormatError(
      `${path} is from CIFAR-100 (100 classes, two label bytes per record), not CIFAR-10. ${BINARY_HINT}`,
    );
  }
  for (const split of ['train', 'test'] as const) {
    const index = CIFAR10_FILES[split].indexOf(name);
    if (index >= 0) return { role: 'batch', split, index };
  }
  if (name === CIFAR10_META_FILE) return { role: 'meta' };
  return { role: 'other' };
}

/** Refuses contents that are plainly not a binary batch, before the size check would. */
function sniffBatch(bytes: Uint8Array, what: string): void {
  if (bytes.length === 0) throw new DataFormatError(`${what} is empty.`);
  if (bytes[0] === PICKLE_PROTOCOL_OPCODE && bytes.length > 1 && bytes[1] >= 2 && bytes[1] <= 5)
    throw pickleError(what);
  if (startsWithText(bytes, 'MATLAB')) throw matlabError(what);
  if (isGzip(bytes)) {
    throw new DataFormatError(
      `${what} is gzip-compressed: give ${CIFAR10_ARCHIVE_NAME} as an archive, or unpack it first.`,
    );
  }
}

export function checkRecordSize(length: number, what: string): void {
  if (length % CIFAR10_RECORD_BYTES !== 0) {
    throw new DataFormatError(
      `${what}: ${length.toLocaleString('en')} bytes is not a whole number of CIFAR-10 records ` +
        `(${CIFAR10_RECORD_BYTES.toLocaleString('en')} bytes each: 1 label + 3,072 pixels; ` +
        `${length % CIFAR10_RECORD_BYTES} bytes left over) — it is truncated or not a CIFAR-10 binary batch.`,
    );
  }
}

/** Checks a binary batch (size, labels) and returns its number of records. */
export function validateCifar10Batch(bytes: Uint8Array, what: string): number {
  sniffBatch(bytes, what);
  checkRecordSize(bytes.length, what);
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  for (let r = 0; r < count; r++) {
    const label = bytes[r * CIFAR10_RECORD_BYTES];
    if (label > 9) {
      throw new DataFormatError(
        `${what}: record ${r} has label ${label}; CIFAR-10 labels are 0–9 — this is not a CIFAR-10 binary batch.`,
      );
    }
  }
  return count;
}

/**
 * Writes the records of one validated batch into NHWC `images` and `labels` from example
 * `first` on: pixel (y, x) of channel c is byte 1 + c·1024 + 32y + x of its record.
 */
function decodeRecords(raw: Uint8Array, images: Uint8Array, labels: Uint8Array, first: number): void {
  const count = raw.length / CIFAR10_RECORD_BYTES;
  for (let r = 0; r < count; r++) {
    const src = r * CIFAR10_RECORD_BYTES;
    labels[first + r] = raw[src];
    const red = src + 1;
    const dst = (first + r) * CIFAR10_IMAGE_BYTES;
    for (let p = 0; p < CIFAR10_PLANE; p++) {
      const o = dst + CIFAR10_CHANNELS * p;
      images[o] = raw[red + p];
      images[o + 1] = raw[red + CIFAR10_PLANE + p];
      images[o + 2] = raw[red + 2 * CIFAR10_PLANE + p];
    }
  }
}

/** Class names from batches.meta.txt: ten non-empty lines. */
export function parseCifar10ClassNames(bytes: Uint8Array | string, what = CIFAR10_META_FILE): string[] {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
  const names = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (names.length !== CIFAR10_CLASS_NAMES.length) {
    throw new DataFormatError(
      `${what}: ${names.length} class names; CIFAR-10 has ${CIFAR10_CLASS_NAMES.length} (one a line).`,
    );
  }
  return names;
}

/** A CIFAR-10 split as the data set type, from its decoded records (the archive reader and the browser's store). */
export function cifar10Dataset(
  split: Split,
  images: Uint8Array,
  labels: Uint8Array,
  classNames: readonly string[],
): ImageDataset {
  return {
    name: 'cifar10',
    split,
    count: labels.length,
    height: CIFAR10_SIDE,
    width: CIFAR10_SIDE,
    channels: CIFAR10_CHANNELS,
    images,
    labels,
    classNames: [...classNames],
  };
}

/**
 * One split from its batches (any order; concatenated in the official order). Every file of the
 * split must be there: a missing training batch would silently shrink the data set.
 */
export function cifar10Split(
  split: Split,
  batches: readonly NamedBytes[],
  classNames: readonly string[] = CIFAR10_CLASS_NAMES,
): ImageDataset {
  const expected = CIFAR10_FILES[split];
  const byIndex: (NamedBytes | undefined)[] = new Array(expected.length);
  for (const b of batches) {
    const name = baseName(b.name);
    const index = expected.indexOf(name);
    if (index < 0) {
      throw new DataFormatError(
        `Unexpected file "${b.name}" for the CIFAR-10 ${split} split; it is made of ${expected.join(', ')}.`,
      );
    }
    if (byIndex[index]) throw new DataFormatError(`${name} was given twice.`);
    byIndex[index] = b;
  }
  const missing = expected.filter((_, i) => !byIndex[i]);
  if (missing.length > 0) {
    throw new DataFormatError(
      `The CIFAR-10 ${split} split needs ${expected.join(', ')}; missing: ${missing.join(', ')}.`,
    );
  }
  const counts = byIndex.map((b) => validateCifar10Batch(b!.bytes, b!.name));
  const count = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(count * CIFAR10_IMAGE_BYTES);
  const labels = new Uint8Array(count);
  let first = 0;
  byIndex.forEach((b, i) => {
    decodeRecords(b!.bytes, images, labels, first);
    first += counts[i];
  });
  return cifar10Dataset(split, images, labels, [...classNames]);
}

/**
 * The splits found among loose files (data_batch_1..5.bin → train, test_batch.bin → test,
 * batches.meta.txt → class names, else the official list). A split is present only when at
 * least one of its files was given, and then all of them must be.
 */
export function cifar10FromFiles(files: readonly NamedBytes[]): Cifar10Splits {
  const bySplit: Record<Split, NamedBytes[]> = { train: [], test: [] };
  let classNames: string[] = [...CIFAR10_CLASS_NAMES];
  for (const f of files) {
    const role = cifar10FileRole(f.name);
    if (role.role === 'batch') {
      sniffBatch(f.bytes, f.name); // a pickle named data_batch_1.bin is named as such, not as "incomplete"
      bySplit[role.split].push(f);
    } else if (role.role === 'meta') classNames = parseCifar10ClassNames(f.bytes, f.name);
    else {
      sniffBatch(f.bytes, f.name);
      throw new DataFormatError(
        `Unexpected file "${f.name}": CIFAR-10's binary version is ${CIFAR10_FILES.train.join(', ')}, ` +
          `${CIFAR10_FILES.test[0]} and ${CIFAR10_META_FILE}.`,
      );
    }
  }
  if (bySplit.train.length === 0 && bySplit.test.length === 0) {
    throw new DataFormatError(
      `No CIFAR-10 batch among the files given (expected ${CIFAR10_FILES.train[0]} … ${CIFAR10_FILES.test[0]}).`,
    );
  }
  return {
    classNames,
    train: bySplit.train.length > 0 ? cifar10Split('train', bySplit.train, classNames) : undefined,
    test: bySplit.test.length > 0 ? cifar10Split('test', bySplit.test, classNames) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// The archive, streamed

/** Whether the bytes begin with this ASCII text (a MATLAB file's header, say). */
export function startsWithText(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

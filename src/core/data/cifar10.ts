/**
 * CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images") from its
 * official *binary version*: `cifar-10-binary.tar.gz`, which holds `cifar-10-batches-bin/`
 * with data_batch_1.bin … data_batch_5.bin (training, 10,000 records each), test_batch.bin and
 * batches.meta.txt (the class names, one a line).
 *
 * A record is 1 label byte (0–9) and 3,072 pixel bytes: the red plane, then green, then blue,
 * each 32×32 row-major. The project keeps images NHWC, so the planes are interleaved here.
 *
 * Two ways in, both pure (no DOM, no Node APIs): the .bin files themselves (`cifar10FromFiles`),
 * or the .tar.gz read as a stream (`readCifar10Archive`: gzip by fflate, tar by ./tar.ts), which
 * keeps only the entries it needs and reports progress. The Python (pickle) and MATLAB versions
 * of the data set are recognised and refused with a message that names the right download.
 */
import { CancelledError, DataFormatError } from '../util/errors';
import { yieldToEventLoop, type Progress } from '../util/progress';
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
import { GunzipStream, isGzip } from './gunzip';
import { collectEntry, looksLikeTarHeader, TarStreamReader, TAR_BLOCK, type TarEntrySink } from './tar';

/** Input chunk size for in-memory archives (each chunk also lets the event loop run). */
const IN_MEMORY_CHUNK = 4 << 20;
/** Progress is reported at most once per this many input bytes (and at the end). */
const PROGRESS_EVERY_BYTES = 1 << 20;
const BINARY_HINT =
  `This loader reads the binary version: download ${CIFAR10_ARCHIVE_NAME} ` +
  `(${CIFAR10_BATCH_DIR}/data_batch_1.bin … test_batch.bin).`;
const PICKLE_PROTOCOL_OPCODE = 0x80;

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

function pickleError(what: string): DataFormatError {
  return new DataFormatError(
    `${what} is from the Python version of CIFAR-10 (cifar-10-python.tar.gz, pickled batches). ${BINARY_HINT}`,
  );
}

function matlabError(what: string): DataFormatError {
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

function checkRecordSize(length: number, what: string): void {
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
  return {
    name: 'cifar10',
    split,
    count,
    height: CIFAR10_SIDE,
    width: CIFAR10_SIDE,
    channels: CIFAR10_CHANNELS,
    images,
    labels,
    classNames: [...classNames],
  };
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

/** Anything that yields the archive's bytes: whole, a File/Blob, a fetch body, a Node stream. */
export type ByteSource = Uint8Array | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface ArchiveProgress extends Progress {
  /** Compressed bytes read so far. */
  bytesRead: number;
  totalBytes?: number;
}

export interface ReadArchiveOptions {
  /** Splits to keep (default both); entries of the others are decompressed but not stored. */
  splits?: readonly Split[];
  /** Name for messages, e.g. the file name. */
  what?: string;
  /** Size of the source when it cannot be known from it (a stream); for the progress fraction. */
  totalBytes?: number;
  onProgress?: (p: ArchiveProgress) => void;
  /** Polled between chunks; true makes the reader stop and throw CancelledError. */
  isCancelled?: () => boolean;
}

/**
 * Reads cifar-10-binary.tar.gz (or the uncompressed .tar) as a stream: decompresses chunk by
 * chunk, walks the tar entries as they go past, keeps the batches of the wanted splits and the
 * class names, checks the gzip trailer and the end of the tar archive, and assembles the splits.
 * Peak memory is about twice the kept batches (raw records, then the NHWC images).
 */
export async function readCifar10Archive(source: ByteSource, options: ReadArchiveOptions = {}): Promise<Cifar10Splits> {
  const what = options.what ?? 'the archive';
  const wanted = new Set<Split>(options.splits ?? ['train', 'test']);
  const totalBytes =
    options.totalBytes ?? (source instanceof Uint8Array ? source.length : isBlob(source) ? source.size : undefined);
  const kept: Record<Split, NamedBytes[]> = { train: [], test: [] };
  const found: Record<Split, Set<string>> = { train: new Set(), test: new Set() };
  const entryNames: string[] = [];
  let metaBytes: Uint8Array | undefined;

  const tar = new TarStreamReader((entry): TarEntrySink | null => {
    if (entry.type !== 'file') return null;
    entryNames.push(entry.name);
    const role = cifar10FileRole(entry.name);
    if (role.role === 'meta') return collectEntry(entry.size, (bytes) => (metaBytes = bytes));
    if (role.role !== 'batch') return null;
    const name = CIFAR10_FILES[role.split][role.index];
    if (found[role.split].has(name)) throw new DataFormatError(`${what}: ${name} appears twice in the archive.`);
    found[role.split].add(name);
    // Refuse a wrong size from the header, before decompressing the entry.
    if (entry.size === 0) throw new DataFormatError(`${what}: ${entry.name} is empty.`);
    checkRecordSize(entry.size, `${what}: ${entry.name}`);
    if (!wanted.has(role.split)) return null;
    return collectEntry(entry.size, (bytes) => kept[role.split].push({ name: entry.name, bytes }));
  }, what);

  let sink: { push(chunk: Uint8Array): void; end(): void } | undefined;
  let gunzip: GunzipStream | undefined;
  let head: Uint8Array = new Uint8Array(0);
  let bytesRead = 0;
  let lastReport = -Infinity;
  const report = (final: boolean) => {
    if (!options.onProgress || (!final && bytesRead - lastReport < PROGRESS_EVERY_BYTES)) return;
    lastReport = bytesRead;
    const mb = (n: number) => (n / 1e6).toFixed(1);
    options.onProgress({
      bytesRead,
      totalBytes,
      fraction: totalBytes ? Math.min(1, bytesRead / totalBytes) : final ? 1 : 0,
      message: totalBytes ? `read ${mb(bytesRead)} of ${mb(totalBytes)} MB` : `read ${mb(bytesRead)} MB`,
    });
  };
  // The format is decided on the first TAR_BLOCK bytes (gzip magic, tar header, or neither).
  const start = (bytes: Uint8Array) => {
    if (isGzip(bytes)) {
      gunzip = new GunzipStream((chunk) => tar.push(chunk), what);
      sink = gunzip;
    } else if (looksLikeTarHeader(bytes)) {
      sink = { push: (chunk) => tar.push(chunk), end: () => undefined };
    } else {
      refuseUnknown(bytes, what);
    }
  };

  for await (const chunk of chunksOf(source)) {
    if (options.isCancelled?.()) throw new CancelledError();
    bytesRead += chunk.length;
    if (!sink) {
      head = concat(head, chunk);
      if (head.length < TAR_BLOCK) continue;
      start(head);
      sink!.push(head);
    } else {
      sink.push(chunk);
    }
    report(false);
  }
  if (!sink) {
    if (head.length === 0) throw new DataFormatError(`${what} is empty.`);
    start(head);
    sink!.push(head);
  }
  sink!.end();
  tar.end();
  report(true);

  const anyBatch = found.train.size + found.test.size > 0;
  if (!anyBatch) {
    const listed = entryNames.slice(0, 4).join(', ') + (entryNames.length > 4 ? ', …' : '');
    throw new DataFormatError(
      `${what}: no CIFAR-10 batches in this archive (expected ${CIFAR10_BATCH_DIR}/data_batch_1.bin …; ` +
        `it holds ${entryNames.length === 0 ? 'no files' : listed}). Is it ${CIFAR10_ARCHIVE_NAME}?`,
    );
  }
  const classNames = metaBytes
    ? parseCifar10ClassNames(metaBytes, `${what}: ${CIFAR10_META_FILE}`)
    : [...CIFAR10_CLASS_NAMES];
  const result: Cifar10Splits = { classNames };
  for (const split of wanted) {
    const missing = CIFAR10_FILES[split].filter((f) => !found[split].has(f));
    if (missing.length > 0) {
      throw new DataFormatError(
        `${what}: the archive lacks ${missing.map((m) => `${CIFAR10_BATCH_DIR}/${m}`).join(', ')}.`,
      );
    }
    result[split] = cifar10Split(split, kept[split], classNames);
    kept[split] = []; // let the raw records go
  }
  return result;
}

function refuseUnknown(bytes: Uint8Array, what: string): never {
  if (bytes[0] === PICKLE_PROTOCOL_OPCODE && bytes.length > 1 && bytes[1] >= 2 && bytes[1] <= 5)
    throw pickleError(what);
  if (startsWithText(bytes, 'MATLAB')) throw matlabError(what);
  const start = Array.from(bytes.subarray(0, 4), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
  throw new DataFormatError(
    `${what} is neither a gzip-compressed tar archive nor a tar archive (it starts ${start || 'with nothing'}). ` +
      `Give ${CIFAR10_ARCHIVE_NAME} or the .bin files from it.`,
  );
}

function startsWithText(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function isBlob(source: ByteSource): source is Blob {
  return typeof Blob !== 'undefined' && source instanceof Blob;
}

/** The source's bytes as chunks; a ReadableStream is cancelled if the reader stops early. */
async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let pos = 0; pos < source.length; pos += IN_MEMORY_CHUNK) {
      yield source.subarray(pos, Math.min(source.length, pos + IN_MEMORY_CHUNK));
      await yieldToEventLoop(); // lets a cancel request in
    }
    return;
  }
  const stream = isBlob(source) ? (source.stream() as ReadableStream<Uint8Array>) : source;
  if ('getReader' in stream) {
    const reader = stream.getReader();
    let done = false;
    try {
      while (true) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  for await (const chunk of stream) yield chunk;
}

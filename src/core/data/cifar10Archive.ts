/**
 * CIFAR-10's official binary archive (`cifar-10-binary.tar.gz`) read as a stream: gzip by fflate (./gunzip.ts), tar
 * by ./tar.ts, keeping only the entries it needs and reporting progress; the batches are then checked and decoded
 * by ./cifar10.ts. Works on anything that yields bytes (a File, a fetch body, a Node stream), in the worker and in
 * Node alike.
 */
import { CancelledError, DataFormatError } from '../util/errors';
import { yieldToEventLoop, type Progress } from '../util/progress';
import {
  checkRecordSize,
  cifar10FileRole,
  cifar10Split,
  matlabError,
  parseCifar10ClassNames,
  pickleError,
  startsWithText,
  PICKLE_PROTOCOL_OPCODE,
  type Cifar10Splits,
  type NamedBytes,
} from './cifar10';
import {
  CIFAR10_ARCHIVE_NAME,
  CIFAR10_BATCH_DIR,
  CIFAR10_CLASS_NAMES,
  CIFAR10_FILES,
  CIFAR10_META_FILE,
} from './cifar10Constants';
import type { Split } from './dataset';
import { GunzipStream, isGzip } from './gunzip';
import { collectEntry, looksLikeTarHeader, TarStreamReader, TAR_BLOCK, type TarEntrySink } from './tar';

/** Input chunk size for in-memory archives (each chunk also lets the event loop run). */
const IN_MEMORY_CHUNK = 4 << 20;
/** Progress is reported at most once per this many input bytes (and at the end). */
const PROGRESS_EVERY_BYTES = 1 << 20;

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

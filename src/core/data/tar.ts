/**
 * A small streaming reader of tar archives (POSIX.1-1988 ustar, with GNU long names and pax
 * `path`/`size` records): 512-byte blocks, each entry a header block followed by its data padded
 * to a whole block, the archive closed by two zero blocks.
 *
 * Bytes are pushed in chunks of any size (as they come out of a decompressor); at each header the
 * caller decides whether it wants the entry's data, so entries it skips are never held in memory.
 */
import { DataFormatError } from '../util/errors';

export const TAR_BLOCK = 512;

// Offsets and lengths of the header fields (POSIX.1-1988 ustar).
const NAME = [0, 100] as const;
const SIZE = [124, 12] as const;
const CHECKSUM = [148, 8] as const;
const TYPEFLAG = 156;
const MAGIC = [257, 6] as const;
const PREFIX = [345, 155] as const;

export type TarEntryType = 'file' | 'directory' | 'other';

export interface TarEntryHeader {
  /** Full path inside the archive, as stored (prefix/name joined). */
  name: string;
  size: number;
  type: TarEntryType;
}

/** Receives one entry's data, in order; `end` is called once all of it has arrived. */
export interface TarEntrySink {
  data(chunk: Uint8Array): void;
  end(): void;
}

type State = 'header' | 'data' | 'padding' | 'done';

export class TarStreamReader {
  private state: State = 'header';
  private readonly header = new Uint8Array(TAR_BLOCK);
  private headerFill = 0;
  private zeroBlocks = 0;
  private remaining = 0;
  private padding = 0;
  private entry: TarEntryHeader | null = null;
  private sink: TarEntrySink | null = null;
  /** Overrides for the next entry from a GNU long-name ('L') or pax ('x') entry. */
  private pending: { name?: string; size?: number } = {};
  private offset = 0;
  private entries = 0;

  constructor(
    private readonly onEntry: (header: TarEntryHeader) => TarEntrySink | null,
    private readonly what: string,
  ) {}

  /** True once the end-of-archive blocks were read. */
  get finished(): boolean {
    return this.state === 'done';
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length && this.state !== 'done') {
      if (this.state === 'header') {
        const take = Math.min(TAR_BLOCK - this.headerFill, chunk.length - pos);
        this.header.set(chunk.subarray(pos, pos + take), this.headerFill);
        this.headerFill += take;
        pos += take;
        if (this.headerFill === TAR_BLOCK) {
          this.headerFill = 0;
          this.readHeader();
          this.offset += TAR_BLOCK;
        }
      } else if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - pos);
        this.sink?.data(chunk.subarray(pos, pos + take));
        this.remaining -= take;
        pos += take;
        this.offset += take;
        if (this.remaining === 0) this.finishEntry();
      } else {
        const take = Math.min(this.padding, chunk.length - pos);
        this.padding -= take;
        pos += take;
        this.offset += take;
        if (this.padding === 0) this.state = 'header';
      }
    }
    // After the end-of-archive blocks only zero padding (to the tar record size) may follow: ignored.
  }

  /** The input is over: throws DataFormatError when the archive stopped before its end. */
  end(): void {
    if (this.state === 'done') return;
    // One zero block at the very end is accepted as the end marker (as GNU tar and Python's tarfile do).
    if (this.state === 'header' && this.headerFill === 0 && this.zeroBlocks >= 1) {
      this.state = 'done';
      return;
    }
    const where =
      this.state === 'data' || this.state === 'padding'
        ? `inside ${this.entry?.name ?? 'an entry'} ` +
          `(${this.entry ? (this.entry.size - this.remaining).toLocaleString('en') : '?'} of ` +
          `${this.entry?.size.toLocaleString('en') ?? '?'} bytes)`
        : this.headerFill > 0
          ? 'inside a header block'
          : this.entries === 0
            ? 'before its first entry'
            : 'without its end-of-archive marker';
    throw new DataFormatError(`${this.what}: the tar archive ends ${where} — it is truncated; download it again.`);
  }

  private readHeader(): void {
    const h = this.header;
    if (h.every((b) => b === 0)) {
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2) this.state = 'done';
      return;
    }
    if (this.zeroBlocks > 0) {
      throw new DataFormatError(
        `${this.what}: a zero block inside the tar archive at byte ${this.offset} — it is corrupt.`,
      );
    }
    if (!checksumMatches(h)) {
      throw new DataFormatError(
        this.entries === 0
          ? `${this.what}: not a tar archive (the first 512 bytes are not a valid tar header).`
          : `${this.what}: tar header at byte ${this.offset.toLocaleString('en')} has a wrong checksum — the ` +
              `archive is corrupt.`,
      );
    }
    const magic = ascii(h, MAGIC[0], MAGIC[1]);
    const isUstar = magic === 'ustar';
    // The prefix field holds a path prefix in POSIX ustar only ("ustar\0"; GNU writes "ustar  ").
    const posix = isUstar && h[MAGIC[0] + 5] === 0;
    const baseName = ascii(h, NAME[0], NAME[1]);
    const prefix = posix ? ascii(h, PREFIX[0], PREFIX[1]) : '';
    const typeflag = String.fromCharCode(h[TYPEFLAG]);
    const size = this.pending.size ?? parseSize(h, this.what, this.offset);
    const name = this.pending.name ?? (prefix ? `${prefix}/${baseName}` : baseName);
    this.pending = {};
    this.entries++;

    if (typeflag === 'L' || typeflag === 'x') {
      // GNU long name / pax extended header: its data describes the next entry.
      this.startEntry(
        { name, size, type: 'other' },
        collectEntry(size, (bytes) => this.applyExtended(typeflag, bytes)),
      );
      return;
    }
    const type: TarEntryType =
      typeflag === '0' || typeflag === '\0' || typeflag === '7' ? 'file' : typeflag === '5' ? 'directory' : 'other';
    const entry: TarEntryHeader = { name, size: type === 'directory' ? 0 : size, type };
    this.startEntry(entry, this.onEntry(entry));
  }

  private startEntry(entry: TarEntryHeader, sink: TarEntrySink | null): void {
    this.entry = entry;
    this.sink = sink;
    this.remaining = entry.size;
    this.padding = (TAR_BLOCK - (entry.size % TAR_BLOCK)) % TAR_BLOCK;
    if (entry.size === 0) this.finishEntry();
    else this.state = 'data';
  }

  private finishEntry(): void {
    this.sink?.end();
    this.sink = null;
    this.state = this.padding > 0 ? 'padding' : 'header';
  }

  private applyExtended(typeflag: string, bytes: Uint8Array): void {
    if (typeflag === 'L') {
      this.pending.name = ascii(bytes, 0, bytes.length);
      return;
    }
    // pax records: "<length> <key>=<value>\n" (POSIX.1-2001).
    const text = new TextDecoder().decode(bytes);
    let pos = 0;
    while (pos < text.length) {
      const space = text.indexOf(' ', pos);
      const length = Number.parseInt(text.slice(pos, space), 10);
      if (space < 0 || !(length > 0)) break;
      const record = text.slice(space + 1, pos + length - 1);
      const eq = record.indexOf('=');
      const key = record.slice(0, eq);
      const value = record.slice(eq + 1);
      if (key === 'path') this.pending.name = value;
      if (key === 'size' && /^\d+$/.test(value)) this.pending.size = Number(value);
      pos += length;
    }
  }
}

/** A sink that gathers an entry of `size` bytes and hands the whole of it to `done`. */
export function collectEntry(size: number, done: (bytes: Uint8Array) => void): TarEntrySink {
  const bytes = new Uint8Array(size);
  let fill = 0;
  return {
    data(chunk) {
      bytes.set(chunk, fill);
      fill += chunk.length;
    },
    end() {
      done(bytes);
    },
  };
}

/** A tar header block: "ustar" at byte 257 (POSIX), or at least a checksum that adds up (old tar). */
export function looksLikeTarHeader(block: Uint8Array): boolean {
  return block.length >= TAR_BLOCK && (ascii(block, 257, 5) === 'ustar' || checksumMatches(block));
}

/** The header checksum: the sum of all 512 bytes with the checksum field read as spaces. */
function checksumMatches(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= CHECKSUM[0] && i < CHECKSUM[0] + CHECKSUM[1] ? 0x20 : h[i];
  const stored = Number.parseInt(ascii(h, CHECKSUM[0], CHECKSUM[1]).trim() || 'x', 8);
  return stored === sum;
}

/** Octal ASCII, or GNU's base-256 (high bit of the first byte set) for sizes ≥ 8 GiB. */
function parseSize(h: Uint8Array, what: string, offset: number): number {
  if (h[SIZE[0]] & 0x80) {
    let value = h[SIZE[0]] & 0x7f;
    for (let i = 1; i < SIZE[1]; i++) value = value * 256 + h[SIZE[0] + i];
    return value;
  }
  const text = ascii(h, SIZE[0], SIZE[1]).trim();
  if (!/^[0-7]*$/.test(text)) {
    throw new DataFormatError(`${what}: tar header at byte ${offset} has an unreadable size "${text}".`);
  }
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** A NUL-terminated ASCII field. */
function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

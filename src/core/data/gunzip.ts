/**
 * Streaming gzip decompression (RFC 1952) with the integrity check that the inflater leaves out.
 *
 * fflate's `Gunzip` inflates chunk by chunk but neither reads the 8-byte trailer (CRC-32 and
 * ISIZE, §2.3.1) nor complains when the stream stops inside it or inside the header, so a file
 * cut a few bytes short would pass. This wrapper keeps a running CRC-32 and length of the output
 * and checks them against the trailer at the end. For a multi-member stream (§2.2) only the last
 * member is checked this way; earlier members are still checked for structure by the inflater.
 */
import { Gunzip } from 'fflate';
import { DataFormatError, PlaygroundError } from '../util/errors';

export const GZIP_MAGIC = [0x1f, 0x8b] as const;
/** CRC-32 (4 bytes) + ISIZE (4 bytes), little-endian, after each member's deflate data. */
const TRAILER_BYTES = 8;
/** Smallest gzip member: 10-byte header, an empty deflate block (2 bytes), the trailer. */
const MIN_GZIP_BYTES = 10 + 2 + TRAILER_BYTES;

/** The CRC-32 of ISO 3309 / ITU-T V.42 that gzip uses (reflected, polynomial 0xEDB88320). */
const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** Continues a CRC-32 over `bytes` (start with 0). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/**
 * Push compressed chunks in, receive decompressed chunks through `onData` (synchronously, as
 * views that are only valid during the call), then call `end()`. Every failure is a
 * DataFormatError naming `what`; an error thrown by `onData` propagates unchanged.
 */
export class GunzipStream {
  private readonly inflater: Gunzip;
  private crc = 0;
  private size = 0;
  private inputBytes = 0;
  private readonly tail = new Uint8Array(TRAILER_BYTES);
  private tailLength = 0;
  private ended = false;

  constructor(
    onData: (chunk: Uint8Array) => void,
    private readonly what: string,
  ) {
    this.inflater = new Gunzip((chunk) => {
      this.crc = crc32(chunk, this.crc);
      this.size += chunk.length;
      onData(chunk);
    });
    // A new member starts: the trailer to check at the end is that member's.
    this.inflater.onmember = () => {
      this.crc = 0;
      this.size = 0;
    };
  }

  get compressedBytes(): number {
    return this.inputBytes;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new PlaygroundError('GunzipStream: push after end.');
    if (this.inputBytes === 0 && chunk.length >= 2 && !isGzip(chunk)) {
      throw new DataFormatError(
        `${this.what}: not gzip-compressed (it starts 0x${hex(chunk[0])} 0x${hex(chunk[1])}, gzip starts 0x1f 0x8b).`,
      );
    }
    this.inputBytes += chunk.length;
    this.remember(chunk);
    this.inflate(chunk, false);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.inputBytes < MIN_GZIP_BYTES) {
      throw new DataFormatError(
        `${this.what}: only ${this.inputBytes} bytes of gzip data — the file is truncated or empty.`,
      );
    }
    this.inflate(new Uint8Array(0), true);
    const view = new DataView(this.tail.buffer);
    const storedCrc = view.getUint32(0, true);
    const storedSize = view.getUint32(4, true);
    if (storedCrc !== this.crc || storedSize !== this.size % 2 ** 32) {
      throw new DataFormatError(
        `${this.what}: the gzip check failed (CRC-32 or length in the trailer do not match the data) — ` +
          'the file is truncated or corrupt; download it again.',
      );
    }
  }

  private inflate(chunk: Uint8Array, final: boolean): void {
    try {
      this.inflater.push(chunk, final);
    } catch (err) {
      if (err instanceof PlaygroundError) throw err;
      const message = (err as Error)?.message ?? String(err);
      if (/unexpected EOF/i.test(message)) {
        throw new DataFormatError(
          `${this.what}: the gzip stream ends early (after ${this.inputBytes.toLocaleString('en')} bytes) — the ` +
            `file is truncated; download it again.`,
        );
      }
      throw new DataFormatError(`${this.what}: the gzip data is corrupt (${message}); download the file again.`);
    }
  }

  /** Keeps the last TRAILER_BYTES bytes of input. */
  private remember(chunk: Uint8Array): void {
    if (chunk.length >= TRAILER_BYTES) {
      this.tail.set(chunk.subarray(chunk.length - TRAILER_BYTES));
      this.tailLength = TRAILER_BYTES;
      return;
    }
    const keep = Math.min(this.tailLength, TRAILER_BYTES - chunk.length);
    this.tail.copyWithin(0, this.tailLength - keep, this.tailLength);
    this.tail.set(chunk, keep);
    this.tailLength = keep + chunk.length;
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

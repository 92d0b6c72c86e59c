/**
 * Test pictures made in Node with pngjs: photos-of-paper stand-ins (white background, dark ink,
 * digit off-centre) for the drop zone and the file input, and files that are not images.
 */
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

/** Encodes a grey-level picture (0 = black, 255 = white) as a PNG file. */
export function encodeGreyPng(width: number, height: number, grey: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      const v = Math.max(0, Math.min(255, Math.round(grey(x, y))));
      png.data[i] = v;
      png.data[i + 1] = v;
      png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

const PAPER = 245;
const INK = 25;

/** A 300×200 sheet with a thick dark ring ("0") centred at (80, 65): far from the centre. */
export function ringDigitPng(): Buffer {
  return encodeGreyPng(300, 200, (x, y) => {
    const r = Math.hypot(x - 80, y - 65);
    return r >= 26 && r <= 38 ? INK : PAPER;
  });
}

/** A 300×200 sheet with a thick dark vertical bar ("1") at x 205–219, y 45–175. */
export function barDigitPng(): Buffer {
  return encodeGreyPng(300, 200, (x, y) => (x >= 205 && x <= 219 && y >= 45 && y <= 175 ? INK : PAPER));
}

/** The 8-byte PNG signature followed by deterministic pseudo-random garbage. */
export function corruptPng(length = 2048): Buffer {
  const bytes = Buffer.alloc(length);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  let s = 0x2545f491;
  for (let i = 8; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    bytes[i] = s & 0xff;
  }
  return bytes;
}

/** CRC-32 (PNG's chunk checksum), bit by bit: only a few header bytes go through it. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/**
 * A well-formed PNG header declaring a `width` × `height` 8-bit RGBA image, with no pixel data:
 * what a huge photo looks like to the app's size check, which reads the header before decoding.
 */
export function hugePngHeader(width: number, height: number): Buffer {
  return pngFile(width, height, 6, []); // 6: RGBA
}

/** A PNG file: signature, IHDR (8-bit, the colour type given), the given IDAT chunks, IEND. */
function pngFile(width: number, height: number, colourType: number, idat: Buffer[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...idat.map((data) => pngChunk('IDAT', data)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A phone-camera-sized (width × height, e.g. 8000 × 6000 = 48 megapixels) grey PNG of paper with a thick dark bar
 * (a "1") in the middle, written row by row with zlib so the test never holds the RGBA picture (192 MB) in Node;
 * the flat paper compresses to a small file.
 */
export function bigBarDigitPng(width: number, height: number): Buffer {
  const row = Buffer.alloc(width + 1, PAPER); // filter byte 0 (none), then one grey byte per pixel
  row[0] = 0;
  const barRow = Buffer.from(row);
  const x0 = Math.round(width * 0.47);
  const x1 = Math.round(width * 0.53);
  barRow.fill(INK, 1 + x0, 1 + x1);
  const [y0, y1] = [Math.round(height * 0.2), Math.round(height * 0.8)];
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) rows.push(y >= y0 && y < y1 ? barRow : row);
  return pngFile(width, height, 0, [deflateSync(Buffer.concat(rows), { level: 1 })]); // 0: grey
}

/**
 * Recognising an image file by its first bytes, and reading the size it declares, before any
 * decoding: a file's name or MIME type can lie, and a 50-megapixel picture should be refused
 * before the browser spends 200 MB decoding it. Pure functions over bytes.
 */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

const ascii = (b: Uint8Array, at: number, length: number) => String.fromCharCode(...b.subarray(at, at + length));

/** The format named by the file's magic bytes, or null for anything else. */
export function sniffImageFormat(b: Uint8Array): ImageFormat | null {
  if (b.length >= 4 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(b, 0, 4) === 'GIF8') return 'gif';
  if (ascii(b, 0, 2) === 'BM') return 'bmp';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  return null;
}

export interface PixelSize {
  width: number;
  height: number;
}

/** JPEG start-of-frame markers (C0–CF, except DHT C4, JPG C8 and DAC CC) carry the size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(b: Uint8Array, view: DataView): PixelSize | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    } // fill byte
    if ((marker >= 0xd0 && marker <= 0xd9) || marker === 0x01) {
      at += 2;
      continue;
    } // no length
    if (isStartOfFrame(marker)) return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    at += 2 + view.getUint16(at + 2);
  }
  return null;
}

function webpSize(b: Uint8Array, view: DataView): PixelSize | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X' && b.length >= 30) {
    const u24 = (at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
    return { width: u24(24) + 1, height: u24(27) + 1 };
  }
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ' && b.length >= 30) {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  return null;
}

/** The width and height written in the header, or null when they are not within the bytes given. */
export function declaredImageSize(b: Uint8Array, format: ImageFormat): PixelSize | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (format) {
    case 'png':
      // Only trust the size when the first chunk really is IHDR; otherwise let decoding report the damage.
      return b.length >= 24 && ascii(b, 12, 4) === 'IHDR'
        ? { width: view.getUint32(16), height: view.getUint32(20) }
        : null;
    case 'gif':
      return b.length >= 10 ? { width: view.getUint16(6, true), height: view.getUint16(8, true) } : null;
    case 'bmp':
      if (b.length < 26) return null;
      if (view.getUint32(14, true) === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
      // A negative height marks a top-down bitmap.
      return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
    case 'jpeg':
      return jpegSize(b, view);
    case 'webp':
      return webpSize(b, view);
  }
}

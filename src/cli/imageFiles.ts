/**
 * Reading and writing images for the command line (pure JS decoders, no native code): PNG via
 * pngjs, JPEG via jpeg-js. Other formats are refused with a message saying what is accepted.
 */
import { readFile, writeFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ImageInputError } from '../core/util/errors';
import { MAX_PIXELS } from '../core/image/mnistPreprocess';

/** jpeg-js's working memory for a 64-megapixel photo: the RGBA result plus its colour planes. */
const JPEG_MEMORY_MB = 1024;

export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Reads width and height from a PNG IHDR or a JPEG SOF marker without decoding the pixels. */
function sniff(bytes: Uint8Array): 'png' | 'jpeg' | 'other' {
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return 'other';
}

export async function readImageFile(path: string): Promise<DecodedImage> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw new ImageInputError(`Cannot read ${path}.`);
  }
  const kind = sniff(bytes);
  try {
    if (kind === 'png') {
      const width = new DataView(bytes.buffer, bytes.byteOffset).getUint32(16);
      const height = new DataView(bytes.buffer, bytes.byteOffset).getUint32(20);
      checkSize(path, width, height);
      const png = PNG.sync.read(Buffer.from(bytes));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
    }
    if (kind === 'jpeg') {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_PIXELS / 1e6,
        maxMemoryUsageInMB: JPEG_MEMORY_MB,
      });
      return { width: img.width, height: img.height, rgba: img.data };
    }
  } catch (err) {
    if (err instanceof ImageInputError) throw err;
    throw new ImageInputError(
      `${path} could not be decoded as ${kind.toUpperCase()}; the file may be corrupt (${(err as Error).message}).`,
    );
  }
  throw new ImageInputError(
    `${path} is not a PNG or JPEG image (the command line reads those two; the app also reads WebP, GIF and BMP).`,
  );
}

function checkSize(path: string, width: number, height: number): void {
  if (width * height > MAX_PIXELS) {
    throw new ImageInputError(
      `${path} is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels): too large to decode ` +
        `in memory here (the limit is ${MAX_PIXELS / 1e6} megapixels).`,
    );
  }
}

/** Writes h×w×c values in [0,1] (c = 1 or 3) as an 8-bit PNG. */
export async function writePng(
  path: string,
  pixels: Float32Array,
  width: number,
  height: number,
  channels: number,
): Promise<void> {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) {
      const v = pixels[i * channels + (channels === 1 ? 0 : k)];
      png.data[4 * i + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
    png.data[4 * i + 3] = 255;
  }
  await writeFile(path, PNG.sync.write(png));
}

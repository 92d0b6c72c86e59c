/**
 * Turning a file the user dropped into RGBA pixels for the worker's MNIST preprocessing: check it is an image by
 * its magic bytes, decode it scaled down WHILE decoding (createImageBitmap's resize options) so that a 48–50
 * megapixel phone photo never exists at full size in this page, and shrink it so its long side is at most
 * MAX_DECODE_SIDE (the digit ends up 20 px tall anyway). Only a picture the browser cannot hold is refused.
 */
import type { DecodedPicture } from '../../state/imageActions';
import { declaredImageSize, sniffImageFormat, type PixelSize } from './imageHeader';

export const MAX_DECODE_SIDE = 512;
/** Enough to reach a JPEG's size marker behind a large EXIF block. */
const HEADER_BYTES = 256 * 1024;

export const ACCEPTED_TYPES = 'image/png,image/jpeg,image/webp,image/gif,image/bmp';

export class ImageFileError extends Error {
  override name = 'ImageFileError';
}

/**
 * Chromium's largest canvas and decoded-image area (16,384² pixels, 1 GiB of RGBA): beyond it a picture cannot be
 * decoded in memory at all, whatever is done with it afterwards.
 */
export const MAX_DECODE_PIXELS = 16_384 * 16_384;

function checkDecodable({ width, height }: PixelSize): void {
  if (width * height > MAX_DECODE_PIXELS) {
    const mp = ((width * height) / 1e6).toFixed(1);
    throw new ImageFileError(
      `The image is ${width}×${height} pixels (${mp} megapixels): more than a browser can decode in memory (the ` +
        `limit is ${(MAX_DECODE_PIXELS / 1e6).toFixed(0)} megapixels). Use a smaller picture.`,
    );
  }
}

/** The width to decode at so that the long side lands near MAX_DECODE_SIDE (the height follows the aspect ratio). */
function decodeWidth(declared: PixelSize | null): number | undefined {
  if (!declared) return undefined;
  const shrink = MAX_DECODE_SIDE / Math.max(declared.width, declared.height);
  // Only the width is given: a photo that EXIF rotates keeps its shape; the shrink below finishes the job.
  return shrink < 1 ? Math.max(1, Math.round(declared.width * shrink)) : undefined;
}

async function decodeBitmap(file: File, declared: PixelSize | null): Promise<ImageBitmap> {
  const resizeWidth = decodeWidth(declared);
  try {
    return resizeWidth
      ? await createImageBitmap(file, { resizeWidth, resizeQuality: 'high' })
      : await createImageBitmap(file);
  } catch {
    const size = declared ? ` (${declared.width}×${declared.height} pixels)` : '';
    throw new ImageFileError(
      `“${file.name}”${size} could not be decoded: the file may be corrupt, or too large for this device's memory.`,
    );
  }
}

export async function decodeImageFile(file: File): Promise<DecodedPicture> {
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const format = sniffImageFormat(head);
  if (!format) {
    throw new ImageFileError(
      `“${file.name}” is not an image this app can read: choose a PNG, JPEG, WebP, GIF or BMP file.`,
    );
  }
  const declared = declaredImageSize(head, format);
  if (declared) checkDecodable(declared);

  const bitmap = await decodeBitmap(file, declared);
  let resized: ImageBitmap | null = null;
  try {
    // The picture's own size, for the note; the bitmap may already be scaled down while decoding.
    const original = declared ?? { width: bitmap.width, height: bitmap.height };
    const shrink = Math.min(1, MAX_DECODE_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * shrink));
    const height = Math.max(1, Math.round(bitmap.height * shrink));
    if (shrink < 1)
      resized = await createImageBitmap(bitmap, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
    const context = new OffscreenCanvas(width, height).getContext('2d');
    if (!context) throw new ImageFileError('This browser cannot draw images off screen (no 2D OffscreenCanvas).');
    context.drawImage(resized ?? bitmap, 0, 0);
    return { rgba: context.getImageData(0, 0, width, height).data, width, height, original };
  } finally {
    bitmap.close();
    resized?.close();
  }
}

/** The frame a <video> shows now (a camera preview), as RGBA with its long side at most MAX_DECODE_SIDE. */
export function decodeVideoFrame(video: HTMLVideoElement): DecodedPicture {
  const original = { width: video.videoWidth, height: video.videoHeight };
  if (original.width === 0 || original.height === 0) {
    throw new ImageFileError('The camera has not sent a picture yet: wait a moment and snap again.');
  }
  const shrink = Math.min(1, MAX_DECODE_SIDE / Math.max(original.width, original.height));
  const width = Math.max(1, Math.round(original.width * shrink));
  const height = Math.max(1, Math.round(original.height * shrink));
  const context = new OffscreenCanvas(width, height).getContext('2d');
  if (!context) throw new ImageFileError('This browser cannot draw images off screen (no 2D OffscreenCanvas).');
  context.drawImage(video, 0, 0, width, height);
  return { rgba: context.getImageData(0, 0, width, height).data, width, height, original };
}

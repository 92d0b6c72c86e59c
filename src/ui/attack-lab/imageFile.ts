/**
 * Turning a file the user dropped into RGBA pixels for the worker's MNIST preprocessing:
 * check it is an image by its magic bytes, refuse one over MAX_PIXELS, decode it, and shrink it
 * so its long side is at most MAX_DECODE_SIDE (the digit ends up 20 px tall anyway).
 */
import { MAX_PIXELS } from '../../core/image/mnistPreprocess';
import type { DecodedPicture } from '../../state/imageActions';
import { declaredImageSize, sniffImageFormat, type PixelSize } from './imageHeader';

export const MAX_DECODE_SIDE = 512;
/** Enough to reach a JPEG's size marker behind a large EXIF block. */
const HEADER_BYTES = 256 * 1024;

export const ACCEPTED_TYPES = 'image/png,image/jpeg,image/webp,image/gif,image/bmp';

export class ImageFileError extends Error {
  override name = 'ImageFileError';
}

function checkPixelLimit({ width, height }: PixelSize): void {
  if (width * height > MAX_PIXELS) {
    const mp = ((width * height) / 1e6).toFixed(1);
    throw new ImageFileError(
      `The image is ${width}×${height} pixels (${mp} megapixels); the limit is ${MAX_PIXELS / 1e6} megapixels. Use ` +
        `a smaller picture.`,
    );
  }
}

async function decodeBitmap(file: File): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file);
  } catch {
    throw new ImageFileError(`“${file.name}”: could not decode — the file may be corrupt.`);
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
  if (declared) checkPixelLimit(declared);

  const bitmap = await decodeBitmap(file);
  let resized: ImageBitmap | null = null;
  try {
    const original = { width: bitmap.width, height: bitmap.height };
    checkPixelLimit(original);
    const shrink = Math.min(1, MAX_DECODE_SIDE / Math.max(original.width, original.height));
    const width = Math.max(1, Math.round(original.width * shrink));
    const height = Math.max(1, Math.round(original.height * shrink));
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

import { downloadBlob } from './downloadBlob';

/** Saves RGBA pixels as a PNG of exactly their size (28×28 for MNIST), as a browser download. */
export async function downloadPng(
  rgba: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
  fileName: string,
): Promise<void> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the PNG.');
  downloadBlob(blob, fileName);
}

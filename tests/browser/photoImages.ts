/**
 * A photo-like JPEG of an MNIST test digit for the browser tests: the digit written in ink on
 * shaded, grainy paper and photographed (src/core/bench/photoLikeDigits.ts, the generator behind
 * `npm run bench -- --photos`), JPEG-encoded at the quality the generator drew, as a phone would.
 */
import jpeg from 'jpeg-js';
import { loadMnist } from '../../src/cli/nodeFiles';
import { photoLikeDigit } from '../../src/core/bench/photoLikeDigits';

export interface PhotoJpeg {
  bytes: Buffer;
  /** The MNIST test label of the digit drawn. */
  label: number;
  /** The degradations drawn, in words (for a failure message). */
  traits: string[];
}

/** Test digit `index` drawn as a photo from `seed`, at most `maxSide` pixels long. */
export async function photoDigitJpeg(index: number, seed: number, maxSide = 800): Promise<PhotoJpeg> {
  const test = await loadMnist('test');
  const p = photoLikeDigit(test.images.subarray(index * 784, (index + 1) * 784), seed, maxSide);
  const encoded = jpeg.encode({ width: p.width, height: p.height, data: p.rgba }, p.jpegQuality);
  return { bytes: Buffer.from(encoded.data), label: test.labels[index], traits: p.traits };
}

/**
 * The drawing pad's two calls into the worker: a live prediction while the digit is being drawn (not a task: it shows
 * no progress, never clears the error banner and never cancels an attack), and making the drawing the picture under
 * attack (the upload path: the same preprocessing as a dropped photo).
 */
import type { Prediction } from '../worker/api';
import { openPicture } from './imageActions';
import { playground } from './workerSession';

export interface LiveDrawingPrediction {
  /** The 28×28 input the model would receive, ink bright. */
  pixels: Float32Array;
  prediction: Prediction;
}

/** Preprocesses the pad's pixels as an upload would be, and asks the current model what it reads. */
export async function predictDrawing(rgba: Uint8ClampedArray, side: number): Promise<LiveDrawingPrediction> {
  const { pixels } = await playground().preprocess(rgba, side, side);
  const prediction = await playground().predict(pixels);
  return { pixels, prediction };
}

export const DRAWING_NAME = 'your drawing';

/** Makes the drawing the picture under attack. */
export function chooseDrawing(rgba: Uint8ClampedArray, side: number): Promise<void> {
  const size = { width: side, height: side };
  return openPicture(DRAWING_NAME, async () => ({ rgba, ...size, original: size }), 'drawing');
}

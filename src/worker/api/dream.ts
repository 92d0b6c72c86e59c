/** The attack lab's Dream panel: class-conditional SGLD with the current model, from noise or the picture. */
import type { DreamStart } from '../../core/options/dreamOptions';
import type { DreamResult } from '../../core/eval/dream';
import type { Progress } from '../../core/util/progress';

export interface DreamRequest {
  classIndex: number;
  steps: number;
  start: DreamStart;
  /** The picture on screen (h × w × c in [0, 1]), when the dream starts from it. */
  picture?: Float32Array;
  /** Fixes the noise start and the SGLD noise. */
  seed: number;
  /**
   * A second, shipped model that reads the dream too (the data set's standard CNN, as `sample --judge` does): a JEM
   * gives its own samples high energy, so its own argmax on them says little (Grathwohl et al. 2020, §5.1).
   */
  judge?: { url: string; name: string };
}

export type DreamOutcome = DreamResult & {
  ms: number;
  /** The judge's softmax on the dream's end. */
  judge?: { name: string; probabilities: number[] };
};

export interface DreamApi {
  /** Runs the chain with the current model; cancelAttacks() stops it (it rejects with a CancelledError). */
  dream(request: DreamRequest, onProgress?: (p: Progress) => void): Promise<DreamOutcome>;
}

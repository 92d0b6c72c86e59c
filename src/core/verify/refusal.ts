/**
 * A verifier's refusal as data: a model with a layer a method cannot bound (CROWN on a max-pool or a GroupNorm)
 * gets the core's one sentence in place of that method's result, and the other methods still run.
 */
import { UnsupportedLayerError } from '../util/errors';

/** The refusal's sentence, or the work's result; any other failure (cancel, memory) goes on up. */
export async function orRefusal<T>(work: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UnsupportedLayerError) return { error: err.message };
    throw err;
  }
}

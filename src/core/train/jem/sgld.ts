/**
 * Stochastic gradient Langevin dynamics on a classifier's energy (Welling & Teh 2011, §3; as JEM uses it,
 * Grathwohl et al., ICLR 2020, §4): x ← clip(x − α·∂E(x)/∂x + σ·N(0, I)) for K steps.
 *
 * The energies (Grathwohl et al. §3): unconditional E(x) = −logsumexp_y f(x)[y], whose Gibbs density is
 * p(x) = Σ_y p(x, y); class-conditional E(x | y) = −f(x)[y], whose density is p(x, y) ∝ p(x | y).
 *
 * Units: JEM's defaults (α = 1, σ = 0.01, data noise 0.03) are for images scaled to [−1, 1]. The models here
 * take [0, 1]: with u = 2x − 1, ∂E/∂u = ½∂E/∂x, so u ← u − α∂E/∂u + σε is x ← x − (α/4)∂E/∂x + (σ/2)ε.
 * `fromPaperUnits` does that conversion once, so the flags keep the paper's numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { energyGradient } from '../../metrics/energyGradient';
import { InvalidOptionError } from '../../util/errors';
import { tfNormalSeed } from '../../util/random';

/** SGLD in the model's own input units. */
export interface SgldConfig {
  /** α, the step on −∂E/∂x. */
  stepSize: number;
  /** σ of the Gaussian noise added at each step. */
  noise: number;
  steps: number;
  /** The data range the samples are clipped to after each step. */
  range: [number, number];
}

/** JEM's SGLD and data-noise settings in the paper's [−1, 1] units, converted for [0, 1] images. */
export function fromPaperUnits(p: { stepSize: number; noise: number; dataNoise: number }): {
  stepSize: number;
  noise: number;
  dataNoise: number;
} {
  // [−1, 1] is twice as wide as [0, 1]: lengths halve, and a step on the gradient quarters (see the header).
  return { stepSize: p.stepSize / 4, noise: p.noise / 2, dataNoise: p.dataNoise / 2 };
}

export function validateSgld(c: SgldConfig): void {
  if (!Number.isInteger(c.steps) || c.steps < 0 || c.steps > 10_000)
    throw new InvalidOptionError('SGLD steps must be a whole number from 0 to 10000.');
  if (!(c.stepSize >= 0 && c.stepSize <= 1e4)) throw new InvalidOptionError('SGLD step size must be in [0, 10000].');
  if (!(c.noise >= 0 && c.noise <= 10)) throw new InvalidOptionError('SGLD noise must be in [0, 10].');
  if (!(c.range[0] < c.range[1])) throw new InvalidOptionError('The SGLD data range must have low < high.');
}

type Logits = (x: tf.Tensor4D) => tf.Tensor2D;

export { energyGradient, energyOf } from '../../metrics/energyGradient';

/** One SGLD step; `seed` fixes its noise. */
export function sgldStep(
  logitsFn: Logits,
  x: tf.Tensor4D,
  c: Omit<SgldConfig, 'steps'>,
  seed: number,
  classes?: tf.Tensor1D,
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = energyGradient(logitsFn, x, classes);
    let next = tf.sub(x, tf.mul(g, c.stepSize));
    if (c.noise > 0) next = tf.add(next, tf.randomNormal(x.shape, 0, c.noise, 'float32', tfNormalSeed(seed)));
    return tf.clipByValue(next, c.range[0], c.range[1]) as tf.Tensor4D;
  });
}

/** Seeds of the K steps of one chain, distinct from each other and from the other chains' seeds. */
function stepSeed(seed: number, k: number): number {
  return ((seed >>> 0) * 7919 + k * 104_729 + 1) % 2_147_483_647;
}

/**
 * K SGLD steps from `x0` (not disposed). `onStep(k, x)` sees every intermediate batch (for the Dream panel's
 * frames); it must not keep `x` without cloning it.
 */
export function runSgld(
  logitsFn: Logits,
  x0: tf.Tensor4D,
  c: SgldConfig,
  seed: number,
  classes?: tf.Tensor1D,
  onStep?: (k: number, x: tf.Tensor4D) => void,
): tf.Tensor4D {
  validateSgld(c);
  let x = tf.clone(x0);
  for (let k = 0; k < c.steps; k++) {
    const next = sgldStep(logitsFn, x, c, stepSeed(seed, k), classes);
    x.dispose();
    x = next;
    onStep?.(k + 1, x);
  }
  return x;
}

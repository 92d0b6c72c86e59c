/**
 * ODE solvers for neural ODE blocks: dz/dt = f(t, z), z(t0) = z0, integrated to t1 with tfjs ops,
 * so gradients flow by direct backpropagation through every step (no adjoint). For attacks,
 * prefer a fixed-step solver — adaptive tolerances (and adjoint gradients) can mask
 * gradients and make a model look more robust than it is (the obfuscated gradients of Athalye et al. 2018).
 *
 * Fixed step: Euler (order 1), explicit midpoint (order 2), classical RK4 (order 4).
 * Adaptive: Dormand–Prince 5(4) with an error-per-step controller as in torchdiffeq
 * (safety 0.9, growth ≤ 10, shrink ≥ 0.2) and a cap on the number of steps.
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';

export type OdeFunction = (t: number, z: tf.Tensor) => tf.Tensor;

export const FIXED_STEP_SOLVERS = ['euler', 'midpoint', 'rk4'] as const;
export const SOLVERS = [...FIXED_STEP_SOLVERS, 'dopri5'] as const;
export type SolverName = (typeof SOLVERS)[number];

export interface SolverOptions {
  method: SolverName;
  t0: number;
  t1: number;
  /** Fixed-step solvers: number of equal steps. dopri5: the initial step is (t1 − t0)/steps. */
  steps: number;
  /** dopri5 tolerances (torchdiffeq's defaults). */
  rtol?: number;
  atol?: number;
  /** dopri5: stop with an error after this many attempted steps. */
  maxSteps?: number;
}

export interface SolveStats {
  /** Function evaluations (each is one pass through f). */
  evaluations: number;
  acceptedSteps: number;
  rejectedSteps: number;
}

const SAFETY = 0.9;
const MAX_GROWTH = 10;
const MIN_SHRINK = 0.2;
export const DEFAULT_MAX_STEPS = 1000;

function axpy(z: tf.Tensor, terms: [number, tf.Tensor][]): tf.Tensor {
  let out = z;
  for (const [c, k] of terms) if (c !== 0) out = tf.add(out, tf.mul(k, c));
  return out;
}

function fixedStep(
  method: (typeof FIXED_STEP_SOLVERS)[number],
  f: OdeFunction,
  t: number,
  z: tf.Tensor,
  h: number,
): tf.Tensor {
  switch (method) {
    case 'euler':
      return tf.add(z, tf.mul(f(t, z), h));
    case 'midpoint': {
      const k1 = f(t, z);
      return tf.add(z, tf.mul(f(t + h / 2, tf.add(z, tf.mul(k1, h / 2))), h));
    }
    case 'rk4': {
      const k1 = f(t, z);
      const k2 = f(t + h / 2, tf.add(z, tf.mul(k1, h / 2)));
      const k3 = f(t + h / 2, tf.add(z, tf.mul(k2, h / 2)));
      const k4 = f(t + h, tf.add(z, tf.mul(k3, h)));
      return tf.add(z, tf.mul(tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]), h / 6));
    }
  }
}

const EVALS_PER_STEP = { euler: 1, midpoint: 2, rk4: 4 } as const;

// Dormand–Prince 5(4) tableau.
const DP_C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
const DP_A = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
const DP_B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
const DP_B4 = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

function validate(o: SolverOptions): void {
  if (!(SOLVERS as readonly string[]).includes(o.method)) {
    throw new InvalidOptionError(`Unknown ODE solver "${o.method}". Choose one of: ${SOLVERS.join(', ')}.`);
  }
  if (!(Number.isInteger(o.steps) && o.steps >= 1 && o.steps <= 10_000)) {
    throw new InvalidOptionError(`ODE steps must be a whole number from 1 to 10000, got ${o.steps}.`);
  }
  if (!(Number.isFinite(o.t0) && Number.isFinite(o.t1))) throw new InvalidOptionError('ODE time span must be finite.');
}

/**
 * z(t1). Tensors created along the way are left to the caller's tf.tidy (which is what lets
 * tf.grad see them); call it inside tidy or grad.
 */
export function odeSolve(f: OdeFunction, z0: tf.Tensor, o: SolverOptions, stats?: SolveStats): tf.Tensor {
  validate(o);
  if (o.method !== 'dopri5') {
    const h = (o.t1 - o.t0) / o.steps;
    let z = z0;
    for (let i = 0; i < o.steps; i++) z = fixedStep(o.method, f, o.t0 + i * h, z, h);
    if (stats) {
      stats.evaluations += o.steps * EVALS_PER_STEP[o.method];
      stats.acceptedSteps += o.steps;
    }
    return z;
  }
  return dopri5(f, z0, o, stats);
}

function dopri5(f: OdeFunction, z0: tf.Tensor, o: SolverOptions, stats?: SolveStats): tf.Tensor {
  const rtol = o.rtol ?? 1e-7;
  const atol = o.atol ?? 1e-9;
  const maxSteps = o.maxSteps ?? DEFAULT_MAX_STEPS;
  const direction = Math.sign(o.t1 - o.t0) || 1;
  let t = o.t0;
  let h = (o.t1 - o.t0) / o.steps;
  let z = z0;
  let k1 = f(t, z);
  let evaluations = 1;
  let attempts = 0;
  while (direction * (o.t1 - t) > 1e-12) {
    if (++attempts > maxSteps) {
      throw new InvalidOptionError(
        `dopri5 needed more than ${maxSteps} steps (rtol ${rtol}, atol ${atol}); loosen the tolerances or raise ` +
          `the cap.`,
      );
    }
    if (direction * (t + h - o.t1) > 0) h = o.t1 - t;
    const k: tf.Tensor[] = [k1];
    for (let s = 1; s < 7; s++) {
      const zs = axpy(
        z,
        DP_A[s].map((a, j) => [a * h, k[j]] as [number, tf.Tensor]),
      );
      k.push(f(t + DP_C[s] * h, zs));
    }
    evaluations += 6;
    const z5 = axpy(
      z,
      DP_B5.map((b, j) => [b * h, k[j]] as [number, tf.Tensor]),
    );
    const err = axpy(
      tf.zerosLike(z),
      DP_B5.map((b, j) => [(b - DP_B4[j]) * h, k[j]] as [number, tf.Tensor]),
    );
    // RMS of the error scaled by the tolerance, as in torchdiffeq.
    const scale = tf.add(atol, tf.mul(rtol, tf.maximum(tf.abs(z), tf.abs(z5))));
    const errorRatio = tf.sqrt(tf.mean(tf.square(tf.div(err, scale)))).dataSync()[0];
    // A step this small is accepted whatever its error, so the loop always advances.
    if (errorRatio <= 1 || Math.abs(h) < 1e-12) {
      t += h;
      z = z5;
      k1 = k[6]; // FSAL: the last stage is f at the new point
      if (stats) stats.acceptedSteps++;
    } else if (stats) {
      stats.rejectedSteps++;
    }
    const factor =
      errorRatio === 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, Math.max(MIN_SHRINK, SAFETY * errorRatio ** (-1 / 5)));
    h *= Number.isFinite(factor) ? factor : MIN_SHRINK;
  }
  if (stats) stats.evaluations += evaluations;
  return z;
}

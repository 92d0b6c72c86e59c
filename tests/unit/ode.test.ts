/**
 * ODE solvers (src/core/ode/solvers.ts) against closed-form solutions:
 *  - dz/dt = −z, z(0) = 1  →  z(t) = e^{−t}
 *  - harmonic oscillator z = [x, v], x' = v, v' = −x, z(0) = [1, 0]  →  [cos t, −sin t]
 *  - dz/dt = 3t² (checks the time arguments the stages receive)
 * Empirical order of convergence p ≈ log₂(e_N / e_2N) for Euler (1), midpoint (2), RK4 (4);
 * dopri5 accuracy and step statistics; option validation; gradients through the steps equal the
 * derivative of the discrete map (for Euler on −z: (1 − h)^N).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import type { SolverName } from '../../src/core/ode/solverNames';
import { odeSolve, type OdeFunction, type SolveStats } from '../../src/core/ode/solvers';
import { InvalidOptionError } from '../../src/core/util/errors';

const decay: OdeFunction = (_t, z) => tf.neg(z);
// z = [x, v] as a [2] tensor: [x, v]' = [v, −x].
const oscillator: OdeFunction = (_t, z) =>
  tf.stack([tf.slice(z, [1], [1]).squeeze(), tf.neg(tf.slice(z, [0], [1]).squeeze())]);

function solveValues(
  f: OdeFunction,
  z0: number[],
  method: SolverName,
  t0: number,
  t1: number,
  steps: number,
  stats?: SolveStats,
  extra: Record<string, number> = {},
): number[] {
  return tf.tidy(() => Array.from(odeSolve(f, tf.tensor1d(z0), { method, t0, t1, steps, ...extra }, stats).dataSync()));
}

function maxErr(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

const T = 2;
const exactDecay = [Math.exp(-T)];
const exactOsc = [Math.cos(T), -Math.sin(T)];

// Step counts where the truncation error is far above float32 round-off (≈1e-7).
const ORDER_CASES: { method: SolverName; order: number; steps: number[] }[] = [
  { method: 'euler', order: 1, steps: [8, 16, 32] },
  { method: 'midpoint', order: 2, steps: [8, 16, 32] },
  { method: 'rk4', order: 4, steps: [4, 8, 16] },
];

describe('ODE solvers', () => {
  beforeAll(useWasm);

  for (const { method, order, steps } of ORDER_CASES) {
    for (const [problem, f, z0, exact] of [
      ['dz/dt = −z', decay, [1], exactDecay],
      ['harmonic oscillator', oscillator, [1, 0], exactOsc],
    ] as const) {
      test(`${method} on ${problem} over [0, ${T}]: converges with order ≈ ${order}`, () => {
        const errors = steps.map((n) => maxErr(solveValues(f, [...z0], method, 0, T, n), [...exact]));
        const orders = errors.slice(1).map((e, i) => Math.log2(errors[i] / e));
        console.log(
          `${method} ${problem}: errors ${errors.map((e) => e.toExponential(2)).join(', ')}; orders ` +
            `${orders.map((p) => p.toFixed(2)).join(', ')}`,
        );
        // ±0.35: RK4 on −z is still slightly pre-asymptotic at h = 0.5 (measured 4.31).
        for (const p of orders) expect(Math.abs(p - order)).toBeLessThan(0.35);
        // And it actually approaches the solution (not converging to something else).
        expect(errors[errors.length - 1]).toBeLessThan(order === 1 ? 0.07 : 2e-3);
      });
    }
  }

  test('fixed-step solvers pass the right times to f: dz/dt = 3t² on [1, 2]', () => {
    const f: OdeFunction = (t, z) => tf.add(tf.zerosLike(z), 3 * t * t);
    // Exact: z(2) − z(1) = 8 − 1 = 7.
    // RK4 is Simpson's rule on a function of t alone: exact for a quadratic integrand.
    expect(solveValues(f, [0], 'rk4', 1, 2, 3)[0]).toBeCloseTo(7, 5);
    // Midpoint rule: Σ h·3(t_i + h/2)² = 7 − h²/4 ·(t1 − t0)   (error of the midpoint rule on a quadratic:
    // −(b−a)h²·f''/24, f'' = 6).
    const n = 4;
    const h = 1 / n;
    expect(solveValues(f, [0], 'midpoint', 1, 2, n)[0]).toBeCloseTo(7 - (h * h) / 4, 5);
    // Euler: left Riemann sum Σ h·3(1 + i h)².
    let left = 0;
    for (let i = 0; i < n; i++) left += h * 3 * (1 + i * h) ** 2;
    expect(solveValues(f, [0], 'euler', 1, 2, n)[0]).toBeCloseTo(left, 5);
  });

  test('fixed-step stats count evaluations (1, 2, 4 per step) and accepted steps', () => {
    for (const [method, perStep] of [
      ['euler', 1],
      ['midpoint', 2],
      ['rk4', 4],
    ] as const) {
      const stats: SolveStats = { evaluations: 0, acceptedSteps: 0, rejectedSteps: 0 };
      let calls = 0;
      const counted: OdeFunction = (t, z) => {
        calls++;
        return decay(t, z);
      };
      solveValues(counted, [1], method, 0, 1, 5, stats);
      expect(stats).toEqual({ evaluations: 5 * perStep, acceptedSteps: 5, rejectedSteps: 0 });
      expect(calls).toBe(5 * perStep);
    }
  });

  test('dopri5 meets its tolerance on both problems and counts its work consistently', () => {
    for (const [f, z0, exact] of [
      [decay, [1], exactDecay],
      [oscillator, [1, 0], exactOsc],
    ] as const) {
      const stats: SolveStats = { evaluations: 0, acceptedSteps: 0, rejectedSteps: 0 };
      let calls = 0;
      const counted: OdeFunction = (t, z) => {
        calls++;
        return f(t, z);
      };
      const z = solveValues(counted, [...z0], 'dopri5', 0, T, 1, stats, { rtol: 1e-5, atol: 1e-7 });
      expect(maxErr(z, [...exact])).toBeLessThan(1e-4);
      expect(stats.acceptedSteps).toBeGreaterThanOrEqual(2); // one step of length 2 cannot meet rtol 1e-5
      expect(stats.acceptedSteps).toBeLessThan(100);
      // FSAL: 7 stages, the first reused from the previous accepted step, plus the initial f(t0, z0).
      expect(stats.evaluations).toBe(1 + 6 * (stats.acceptedSteps + stats.rejectedSteps));
      expect(calls).toBe(stats.evaluations);
    }
  });

  test('dopri5 with a tighter tolerance takes more steps and is more accurate', () => {
    const loose: SolveStats = { evaluations: 0, acceptedSteps: 0, rejectedSteps: 0 };
    const tight: SolveStats = { evaluations: 0, acceptedSteps: 0, rejectedSteps: 0 };
    const eLoose = maxErr(
      solveValues(oscillator, [1, 0], 'dopri5', 0, T, 1, loose, { rtol: 1e-2, atol: 1e-4 }),
      exactOsc,
    );
    const eTight = maxErr(
      solveValues(oscillator, [1, 0], 'dopri5', 0, T, 1, tight, { rtol: 1e-5, atol: 1e-7 }),
      exactOsc,
    );
    expect(tight.acceptedSteps).toBeGreaterThan(loose.acceptedSteps);
    expect(eTight).toBeLessThan(eLoose);
  });

  test('dopri5 with a step cap on a stiff problem throws InvalidOptionError', () => {
    const stiff: OdeFunction = (_t, z) => tf.mul(z, -1000);
    expect(() =>
      solveValues(stiff, [1], 'dopri5', 0, 1, 1, undefined, { rtol: 1e-9, atol: 1e-9, maxSteps: 5 }),
    ).toThrow(InvalidOptionError);
  });

  test('invalid options: unknown solver, steps 0, fractional steps, non-finite time → InvalidOptionError', () => {
    const z0 = tf.tensor1d([1]);
    const bad = [
      { method: 'heun' as SolverName, t0: 0, t1: 1, steps: 4 },
      { method: 'euler' as SolverName, t0: 0, t1: 1, steps: 0 },
      { method: 'rk4' as SolverName, t0: 0, t1: 1, steps: 2.5 },
      { method: 'euler' as SolverName, t0: 0, t1: Infinity, steps: 4 },
    ];
    for (const o of bad) expect(() => odeSolve(decay, z0, o), JSON.stringify(o)).toThrow(InvalidOptionError);
    z0.dispose();
  });

  test('gradient through Euler steps: d z(1)/d z0 = (1 − h)^N for dz/dt = −z', () => {
    for (const n of [1, 3, 10]) {
      const h = 1 / n;
      const g = tf.grad((z0: tf.Tensor) => odeSolve(decay, z0, { method: 'euler', t0: 0, t1: 1, steps: n }).sum());
      const value = tf.tidy(() => g(tf.tensor1d([0.7])).dataSync()[0]);
      expect(value).toBeCloseTo((1 - h) ** n, 6);
    }
  });

  test('gradient through RK4 steps equals the stability polynomial R(h)^N; dopri5 ≈ e^{−1}', () => {
    const n = 3;
    const h = 1 / n;
    const r = 1 - h + h ** 2 / 2 - h ** 3 / 6 + h ** 4 / 24;
    const g = tf.grad((z0: tf.Tensor) => odeSolve(decay, z0, { method: 'rk4', t0: 0, t1: 1, steps: n }).sum());
    expect(tf.tidy(() => g(tf.tensor1d([2])).dataSync()[0])).toBeCloseTo(r ** n, 6);
    const gd = tf.grad((z0: tf.Tensor) =>
      odeSolve(decay, z0, { method: 'dopri5', t0: 0, t1: 1, steps: 1, rtol: 1e-6, atol: 1e-8 }).sum(),
    );
    expect(tf.tidy(() => gd(tf.tensor1d([2])).dataSync()[0])).toBeCloseTo(Math.exp(-1), 4);
  });
});

/**
 * The ODE solvers solvers.ts implements, by name. A module without TensorFlow.js, so that the UI
 * can offer the choice.
 */
export const FIXED_STEP_SOLVERS = ['euler', 'midpoint', 'rk4'] as const;
export const SOLVERS = [...FIXED_STEP_SOLVERS, 'dopri5'] as const;
export type SolverName = (typeof SOLVERS)[number];

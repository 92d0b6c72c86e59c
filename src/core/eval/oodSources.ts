/**
 * The sets the energy analysis compares with the in-distribution test images (Grathwohl et al. 2020,
 * JEM's energy score as an out-of-distribution detector; see energyAnalysis.ts). A module without
 * TensorFlow.js, so that the UI can list and describe them.
 */
export const OOD_SOURCES = ['uniform', 'inverted', 'adversarial', 'user'] as const;
export type OodSource = (typeof OOD_SOURCES)[number];

export type EnergySource = 'in-distribution' | OodSource;

export const OOD_DESCRIPTIONS: Record<EnergySource, string> = {
  'in-distribution': 'test images',
  uniform: 'uniform noise in [0,1]',
  inverted: 'test images inverted (1 − x)',
  adversarial: 'PGD-10 (L∞) adversarial test images',
  user: 'your images',
};

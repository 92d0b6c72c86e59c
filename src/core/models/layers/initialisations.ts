/**
 * The weight initialisations of the MLP studies (He et al. 2015, LeCun et al. 1998, the NTK
 * parameterisation of Jacot et al. 2018; Zhu et al. 2022 compare them) and the standard deviation
 * each prescribes. No TensorFlow.js here, so that the UI can offer the choice; exactNormal.ts draws
 * the weights.
 */
export const INITIALISATIONS = ['he', 'lecun', 'ntk'] as const;
export type Initialisation = (typeof INITIALISATIONS)[number];

/**
 * Weight standard deviation for a layer with `fanIn` inputs: He √(2/fan_in), LeCun √(1/fan_in), NTK 1 (scaled in the
 * forward pass).
 */
export function initStddev(init: Initialisation, fanIn: number): number {
  switch (init) {
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'lecun':
      return Math.sqrt(1 / fanIn);
    case 'ntk':
      return 1;
  }
}

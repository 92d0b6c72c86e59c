/**
 * The weight initialisations of the MLP studies (He et al. 2015, LeCun et al. 1998, the NTK
 * parameterisation of Jacot et al. 2018; Zhu et al. 2022 compare them) and the standard deviation
 * each prescribes. No TensorFlow.js here, so that the UI can offer the choice; exactNormal.ts draws
 * the weights.
 */
export const INITIALISATIONS = ['he', 'lecun', 'ntk', 'small'] as const;
export type Initialisation = (typeof INITIALISATIONS)[number];
/** The lazy-regime initialisations of Zhu et al.'s depth and width trends (the sweep's default). */
export const LAZY_INITIALISATIONS: readonly Initialisation[] = ['he', 'lecun', 'ntk'];

/**
 * Weight standard deviation for a layer with `fanIn` inputs: He √(2/fan_in), LeCun √(1/fan_in), NTK 1 (scaled in the
 * forward pass), and `small` √(1/(fan_in·m)) for a network of width m: LeCun's variance shrunk by the width, the
 * small-initialisation (condensed, non-lazy) side of Luo et al.'s (2021) phase diagram that Zhu et al. (2022, §4)
 * use for their non-lazy two-layer networks. The 1/m factor is this project's choice of how small.
 */
export function initStddev(init: Initialisation, fanIn: number, width = 1): number {
  switch (init) {
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'lecun':
      return Math.sqrt(1 / fanIn);
    case 'ntk':
      return 1;
    case 'small':
      return Math.sqrt(1 / (fanIn * width));
  }
}

/**
 * Defense lesson: certificates, from interval bound propagation (Gowal et al. 2018) and randomized smoothing (Cohen et
 * al. 2019).
 */
import type { Lesson } from './types';

export const certificates: Lesson = {
  id: 'certificates',
  title: 'Defense: certificates',
  summary: 'Attacks can only show a model is fooled; a certificate proves that no perturbation within ε can fool it.',
  steps: [
    {
      title: 'Why attacks are not enough',
      text: [
        'An attack that fails proves only that this attack failed; a stronger one may succeed. A certificate is a ' +
          'proof: for this image, every δ with ‖δ‖ ≤ ε leaves the prediction unchanged.',
      ],
      setup: { view: 'analysis' },
    },
    {
      title: 'Interval bound propagation',
      text: [
        'IBP (Gowal et al. 2018, §3) pushes the box [x − ε, x + ε] through the network layer by layer, keeping a ' +
          'lower and an upper bound for every unit. If the right class’s lower bound beats every other class’s ' +
          'upper bound, ' +
          'no point of the box is misclassified. The bounds are loose on a normally trained model; training against ' +
          'them (the certified-training loss) tightens them.',
      ],
    },
    {
      title: 'Randomized smoothing',
      text: [
        'Cohen et al. (2019, §3) classify many noisy copies of the image and take the majority: if the top class ' +
          'wins with probability pA under Gaussian noise σ, no L2 perturbation smaller than σ·Φ⁻¹(pA) changes the ' +
          'majority. The certificate holds with a confidence the Clopper–Pearson bound on pA sets.',
        'The analysis view’s glossary explains the operator-norm bound, a cheaper certificate from the network’s ' +
          'Lipschitz constant.',
      ],
      highlight: 'analysis-setup-heading',
    },
  ],
};

/**
 * Lesson 4: neural ODEs under noise and attacks (Yan et al. 2020, “On Robustness of Neural Ordinary Differential
 * Equations”).
 */
import type { Lesson, LessonSetup } from './types';

/** Test image 0 under the shipped ODENet, PGD at L∞ ε = 0.1: the first two steps swap only the model. */
const PGD_ON_ODENET: LessonSetup = {
  view: 'attack-lab',
  dataset: 'mnist',
  model: 'mnist-odenet',
  image: 0,
  attack: { method: 'pgd', eps: '0.1', norm: 'linf', target: 'untargeted' },
};

export const odenetVsCnn: Lesson = {
  id: 'odenet-vs-cnn',
  title: 'ODENet vs CNN under noise (Yan et al.)',
  summary: 'Does integrating an ODE make a classifier harder to fool? Yan et al.’s protocol on the shipped models.',
  steps: [
    {
      title: 'A network that integrates',
      text: [
        'An ODENet replaces a residual block by the solution of an ordinary differential equation. Yan et al. (2020, ' +
          '§4) found ODENets more robust than CNNs of the same size to Gaussian noise and to FGSM and PGD, and made ' +
          'the ODE time-invariant with a steady-state loss (TisODE) for more.',
      ],
      setup: PGD_ON_ODENET,
      highlight: 'model',
      task: {
        says: 'Attack the digit with the ODENet at ε = 0.1.',
        done: (s) => s.modelId === 'mnist-odenet' && s.outcome !== null,
      },
    },
    {
      title: 'The same attack on the CNN',
      text: ['Now the CNN with the same settings. One picture proves little; the next step measures many.'],
      setup: { ...PGD_ON_ODENET, model: 'mnist-cnn' },
      highlight: 'model',
      task: { says: 'Attack with the CNN.', done: (s) => s.modelId === 'mnist-cnn' && s.outcome !== null },
    },
    {
      title: 'Yan et al.’s protocol',
      text: [
        'The analysis view runs their protocol on the three classroom-size models: accuracy under Gaussian noise ' +
          '(σ = 50, 75 and 100 grey levels), FGSM at ε = 0.15, 0.3, 0.5 and PGD-10 at ε = 0.2 and 0.3, over the ' +
          'first ' +
          '1,000 test images.',
      ],
      setup: { view: 'analysis', analysisModels: ['mnist-cnn', 'mnist-odenet', 'mnist-tisode'] },
      highlight: 'robustness-heading',
      task: {
        says: 'Press “Run the Yan et al. protocol” and compare the curves.',
        done: (s) => s.analysis.robustness,
      },
    },
  ],
};

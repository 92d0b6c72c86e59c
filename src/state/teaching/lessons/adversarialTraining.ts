/** Defense lesson: adversarial training (Madry et al. 2018) and its fast variant (Wong et al. 2020). */
import type { Lesson } from './types';
import { PGD_ON_TEST_DIGIT_0 } from './setups';

export const adversarialTraining: Lesson = {
  id: 'adversarial-training',
  title: 'Defense: adversarial training',
  summary: 'Train on the attacks themselves, and see the shipped robust model hold where the standard one falls.',
  steps: [
    {
      title: 'The standard model falls',
      text: ['First the standard CNN against PGD at ε = 0.3, the MNIST budget of Madry et al. (2018, §5).'],
      setup: PGD_ON_TEST_DIGIT_0,
      highlight: 'attack',
      task: { says: 'Attack the standard CNN.', done: (s) => s.modelId === 'mnist-cnn' && s.outcome !== null },
    },
    {
      title: 'The adversarially trained model',
      text: [
        'Madry et al. (2018, §3) train on PGD examples instead of clean ones: a min-max problem whose inner maximum ' +
          'is the attack. The shipped strided CNN was trained this way (PGD-10, ε = 0.3, 15 epochs); on the first ' +
          '1,000 test images it keeps 92.7 % under PGD-50 and 89.5 % under AutoAttack-lite.',
      ],
      setup: { ...PGD_ON_TEST_DIGIT_0, model: 'mnist-cnn-pgd-at' },
      highlight: 'model',
      task: {
        says: 'Attack the same digit with the same settings on the robust model.',
        done: (s) => s.modelId === 'mnist-cnn-pgd-at' && s.outcome !== null,
      },
    },
    {
      title: 'Train both yourself',
      text: [
        'The training lab’s comparison trains the same network normally and with PGD examples, and plots robust ' +
          'accuracy (PGD-10 on held-out images) as it goes: watch it climb for one and stay at zero for the other.',
      ],
      setup: { view: 'training-lab', preset: 'adversarial-vs-standard' },
      highlight: 'comparison-heading',
    },
    {
      title: 'Fast, and how it breaks',
      text: [
        'FGSM training from a random start is nearly as good at a fraction of the cost (Wong et al. 2020, §4); ' +
          'without the random start the model learns to beat its one step while PGD still breaks it — catastrophic ' +
          'overfitting, which the lab flags.',
      ],
      setup: { view: 'training-lab', preset: 'fast-adversarial' },
      highlight: 'comparison-heading',
    },
  ],
};

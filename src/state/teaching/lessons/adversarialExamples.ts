/** Lesson 1: what an adversarial example is, and what ε buys (Szegedy et al. 2014; Goodfellow et al. 2015). */
import type { Lesson } from './types';
import { PGD_ON_TEST_DIGIT_0 } from './setups';

export const adversarialExamples: Lesson = {
  id: 'adversarial-examples',
  title: 'What is an adversarial example?',
  summary: 'A digit the model reads correctly, a change too small to notice, and a wrong answer; then ε.',
  steps: [
    {
      title: 'A digit the model reads',
      text: [
        'This is test image 0 of MNIST, a handwritten 7, and a convolutional network trained on the other 60,000 ' +
          'digits. The model is confident: look at its prediction under the picture.',
        'An adversarial example is this picture changed by a perturbation δ so small that you still see a 7, but ' +
          'chosen so that the model does not (Szegedy et al. 2014).',
      ],
      setup: {
        ...PGD_ON_TEST_DIGIT_0,
      },
      highlight: 'model-input',
    },
    {
      title: 'Attack it',
      text: [
        'PGD (Madry et al. 2018, §2) takes 40 small steps up the gradient of the model’s loss, each time clipping δ ' +
          'so that no pixel moves by more than ε = 0.3.',
      ],
      setup: PGD_ON_TEST_DIGIT_0,
      highlight: 'attack',
      task: {
        says: 'Press Attack and watch the prediction of the adversarial image.',
        done: (s) => s.outcome !== null && s.outcome.method === 'pgd' && s.outcome.success,
      },
    },
    {
      title: 'Choose the answer',
      text: [
        'An untargeted attack takes any wrong class. A targeted one picks the class: it climbs toward that class ' +
          'instead of merely away from the right one.',
      ],
      setup: PGD_ON_TEST_DIGIT_0,
      highlight: 'target',
      task: {
        says: 'Make the model read this 7 as a 3: set Target to class 3 and attack.',
        done: (s) =>
          s.image?.index === 0 &&
          s.outcome !== null &&
          s.outcome.target === 3 &&
          s.outcome.success &&
          s.outcome.label === 3,
      },
    },
    {
      title: 'How much is enough? ε',
      text: [
        'ε is the budget: how far each pixel may move. After an attack the playground re-ran it at eleven budgets ' +
          'from 0 to 2ε; the scrubber under the result moves through them.',
        'Find the smallest ε at which the model is still fooled. Too small a budget and the 7 stays a 7.',
      ],
      // No picture here: choosing it again would clear the attack whose sweep the scrubber shows.
      setup: { view: 'attack-lab', dataset: 'mnist', model: 'mnist-cnn' },
      highlight: 'scrubber',
      task: {
        says: 'Move the ε scrubber below the ε you attacked with (attack first if no result is on screen).',
        done: (s) => s.outcome !== null && s.scrubbedEps !== null && s.scrubbedEps < s.outcome.eps - 1e-9,
      },
    },
  ],
};

/** Lesson 2: the L∞ and L2 threat models, and targeted attacks (Carlini & Wagner 2017; Madry et al. 2018). */
import type { Lesson, LessonSetup } from './types';

/** Test image 1 under the shipped CNN with PGD-40 at L∞ ε = 0.2: where every step of the lesson starts. */
const LINF_ON_TEST_DIGIT_1: LessonSetup = {
  view: 'attack-lab',
  dataset: 'mnist',
  model: 'mnist-cnn',
  image: 1,
  attack: {
    method: 'pgd',
    norm: 'linf',
    eps: '0.2',
    steps: '40',
    stepSize: '',
    restarts: '1',
    target: 'untargeted',
  },
};

export const normsAndTargets: Lesson = {
  id: 'norms-and-targets',
  title: 'L∞ vs L2, and targeted attacks',
  summary: 'Two ways to measure “small”, and what changes when the attacker picks the answer.',
  steps: [
    {
      title: 'L∞: every pixel a little',
      text: [
        'Under L∞ every pixel may move by at most ε. The perturbation spreads over the whole picture as a faint haze.',
      ],
      setup: LINF_ON_TEST_DIGIT_1,
      highlight: 'attack',
      task: {
        says: 'Attack under L∞ and look at the perturbation image.',
        done: (s) => s.outcome !== null && s.outcome.norm === 'linf',
      },
    },
    {
      title: 'L2: fewer pixels, more each',
      text: [
        'Under L2 the Euclidean length of δ is at most ε. The attack can spend its budget on a few strokes: ‖δ‖∞ ' +
          'grows while ‖δ‖₂ stays within ε. The budgets are not comparable numbers: 0.3 in L∞ over 784 pixels is up ' +
          'to 8.4 in L2.',
      ],
      setup: { ...LINF_ON_TEST_DIGIT_1, attack: { ...LINF_ON_TEST_DIGIT_1.attack, norm: 'l2', eps: '2' } },
      highlight: 'norm',
      task: {
        says: 'Attack under L2 with ε = 2 and compare ‖δ‖∞ and ‖δ‖₂ with the L∞ run.',
        done: (s) => s.outcome !== null && s.outcome.norm === 'l2',
      },
    },
    {
      title: 'Targeted: the attacker picks the class',
      text: [
        'A targeted attack must reach one class, which is harder than leaving the right one: it needs a larger ε or ' +
          'more steps. “Least likely” aims at the class the model thinks least probable, the hardest target.',
      ],
      setup: {
        ...LINF_ON_TEST_DIGIT_1,
        attack: { ...LINF_ON_TEST_DIGIT_1.attack, eps: '0.3', target: 'least-likely' },
      },
      highlight: 'target',
      task: {
        says: 'Run a targeted attack (any class, or least likely) and see whether it reached its target.',
        done: (s) => s.outcome !== null && s.outcome.target !== null,
      },
    },
  ],
};

/** Setups several lessons start from. */
import type { LessonSetup } from './types';

/** Test image 0 (a 7) under the shipped CNN, with PGD-40 at L∞ ε = 0.3 — Madry et al.'s (2018, §5) MNIST budget. */
export const PGD_ON_TEST_DIGIT_0: LessonSetup = {
  view: 'attack-lab',
  dataset: 'mnist',
  model: 'mnist-cnn',
  image: 0,
  attack: {
    method: 'pgd',
    norm: 'linf',
    eps: '0.3',
    steps: '40',
    stepSize: '',
    restarts: '1',
    target: 'untargeted',
    seed: '0',
  },
};

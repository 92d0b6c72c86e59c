/**
 * Lesson 3: one step against many, and why a weak attack proves nothing (Goodfellow et al. 2015; Madry et al. 2018;
 * Athalye, Carlini & Wagner 2018 on obfuscated gradients).
 */
import type { Lesson, LessonSetup } from './types';

/** Test image 0 under the adversarially trained model, FGSM at L∞ ε = 0.3: the lesson's first two steps. */
const FGSM_ON_ROBUST_MODEL: LessonSetup = {
  view: 'attack-lab',
  dataset: 'mnist',
  model: 'mnist-cnn-pgd-at',
  image: 0,
  attack: { method: 'fgsm', norm: 'linf', eps: '0.3', target: 'untargeted', seed: '0' },
};

export const fgsmVsPgd: Lesson = {
  id: 'fgsm-vs-pgd',
  title: 'FGSM vs PGD, and gradient masking',
  summary: 'One gradient step against forty, and why “my defense stops FGSM” is not a robustness claim.',
  steps: [
    {
      title: 'One step: FGSM',
      text: [
        'FGSM (Goodfellow et al. 2015) moves every pixel by ε in the direction of the sign of the loss gradient: one ' +
          'step, as if the loss were linear around the picture.',
      ],
      setup: FGSM_ON_ROBUST_MODEL,
      highlight: 'method',
      task: { says: 'Attack with FGSM.', done: (s) => s.outcome?.method === 'fgsm' },
    },
    {
      title: 'Many steps: PGD',
      text: [
        'PGD (Madry et al. 2018, §2.1) repeats small steps from a random start and projects back into the ε-ball. ' +
          'Where the loss curves, it finds what one step misses. An attack that PGD wins and FGSM loses shows a ' +
          'model whose loss is not linear near its inputs.',
      ],
      setup: { ...FGSM_ON_ROBUST_MODEL, attack: { ...FGSM_ON_ROBUST_MODEL.attack, method: 'pgd', steps: '40' } },
      highlight: 'method',
      task: { says: 'Attack the same picture with PGD.', done: (s) => s.outcome?.method === 'pgd' },
    },
    {
      title: 'Gradient masking',
      text: [
        'A defense can make the gradient useless — flat, noisy or saturated — without making the model robust. ' +
          'Gradient attacks then fail while an attack that does not follow the gradient still succeeds. Athalye, ' +
          'Carlini & Wagner (2018, §3) list the signs: one-step attacks doing better than iterative ones, larger ε ' +
          'not helping, random noise beating the gradient.',
        'The analysis view’s strong evaluation runs FGSM, PGD, APGD-CE and AutoAttack-lite side by side and checks ' +
          'these signs on the models you choose.',
      ],
      setup: { view: 'analysis', analysisModels: ['mnist-cnn', 'mnist-cnn-pgd-at'] },
      highlight: 'robustness-heading',
      task: {
        says: 'Run the strong evaluation (or the Yan et al. protocol) and look for the signs of masking.',
        done: (s) => s.analysis.robustness,
      },
    },
  ],
};

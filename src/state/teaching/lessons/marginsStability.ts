/**
 * Lesson 6: how far the decision boundary is, and how much outputs move (Elsayed et al. 2018; Moosavi-Dezfooli et al.
 * 2016; Lyu & Li 2020).
 */
import type { Lesson, LessonSetup } from './types';

/** The analysis view with the shipped CNN alone. */
const ANALYSIS_OF_CNN: LessonSetup = { view: 'analysis', analysisModels: ['mnist-cnn'] };

export const marginsStability: Lesson = {
  id: 'margins-stability',
  title: 'Margins and stability',
  summary: 'How far each image is from the nearest wrong answer, and how much the output moves when the input does.',
  steps: [
    {
      title: 'The margin',
      text: [
        'The logit margin is the gap between the right class’s logit and the best other one; divided by the ' +
          'gradient’s size it estimates the distance to the decision boundary (Elsayed et al. 2018, §3). DeepFool ' +
          '(Moosavi-Dezfooli et al. 2016) walks to the boundary and measures that distance for real.',
      ],
      setup: ANALYSIS_OF_CNN,
      highlight: 'margins-heading',
      task: { says: 'Press “Measure margins”.', done: (s) => s.analysis.margins },
    },
    {
      title: 'Stability',
      text: [
        'Stability asks how much the output changes for a small change of the input: the ratio ‖f(x+δ) − f(x)‖ / ‖δ‖ ' +
          'for random and adversarial δ. A small ratio everywhere is what a robustness certificate needs.',
      ],
      setup: ANALYSIS_OF_CNN,
      highlight: 'stability-heading',
      task: { says: 'Press “Measure stability”.', done: (s) => s.analysis.stability },
    },
    {
      title: 'Margins grow with training',
      text: [
        'For networks without biases, training on after the training error reaches zero keeps raising the normalised ' +
          'margin (Lyu & Li 2020, §4). The training lab’s “Margin growth” comparison shows it.',
      ],
      setup: { view: 'training-lab', preset: 'margin-growth' },
      highlight: 'comparison-heading',
    },
  ],
};

/**
 * Lesson 5: confidence that means something (Guo et al. 2017, temperature scaling) and the energy score for inputs
 * from elsewhere (Liu et al. 2020).
 */
import type { Lesson, LessonSetup } from './types';

/** The analysis view with the shipped CNN alone: the model the lesson's numbers are about. */
const ANALYSIS_OF_CNN: LessonSetup = { view: 'analysis', analysisModels: ['mnist-cnn'] };

export const calibrationEnergy: Lesson = {
  id: 'calibration-energy',
  title: 'Calibration, temperature scaling and the energy score',
  summary: 'When a model says 99 %, is it right 99 % of the time? And does it know when a picture is not a digit?',
  steps: [
    {
      title: 'Confidence and accuracy',
      text: [
        'A model is calibrated when, of all the answers it gives with 80 % confidence, 80 % are right. Guo et al. ' +
          '(2017, §2) measure the gap with the expected calibration error (ECE) over confidence bins.',
      ],
      setup: ANALYSIS_OF_CNN,
      highlight: 'calibration-heading',
      task: { says: 'Press “Measure calibration”.', done: (s) => s.analysis.calibration },
    },
    {
      title: 'Temperature scaling',
      text: [
        'Dividing the logits by one number T, fitted on held-out images, keeps every prediction and changes only ' +
          'the confidence (Guo et al. 2017, §4.2). The reliability charts show the bars before and after.',
      ],
      setup: ANALYSIS_OF_CNN,
      highlight: 'calibration-heading',
      task: {
        says: 'Measure calibration (if no reliability chart is on screen) and compare ECE before and after scaling.',
        done: (s) => s.analysis.calibration,
      },
    },
    {
      title: 'The energy score',
      text: [
        'The energy −T·log Σ exp(logit/T) (Liu et al. 2020, §2) is lower on inputs like the training data. Feed the ' +
          'model noise or letters and see whether their energy stands apart from the digits’.',
      ],
      setup: ANALYSIS_OF_CNN,
      highlight: 'energy-heading',
      task: { says: 'Press “Measure energy”.', done: (s) => s.analysis.energy },
    },
  ],
};

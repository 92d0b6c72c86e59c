/**
 * Lesson 9: a classifier that is secretly a generative model (Grathwohl, Wang, Jacobsen, Duvenaud, Norouzi &
 * Swersky, ICLR 2020): the energy in the logits, dreaming by Langevin dynamics, training with a replay buffer, and
 * what the energy says about calibration and inputs from elsewhere.
 */
import type { Lesson, LessonSetup } from './types';

const JEM_IN_ATTACK_LAB: LessonSetup = { view: 'attack-lab', model: 'mnist-jem' };

export const jemGenerative: Lesson = {
  id: 'jem',
  title: 'A classifier that is secretly a generative model',
  summary:
    'Read a classifier’s logits as an energy, and the same network draws digits, knows noise and can be trained.',
  steps: [
    {
      title: 'The energy in the logits',
      text: [
        'A classifier gives each class a logit f(x)[y]. Grathwohl et al. (2020, §3) read them as an energy model: ' +
          'p(x, y) ∝ exp(f(x)[y]), so −f(x)[y] is the energy of “x and y together” and E(x) = −logsumexp_y f(x)[y] ' +
          'the energy of x alone. Low energy means likely. Nothing in the network changes; only how we read it.',
        'If the model is an energy model it can dream: walk an image downhill on −f(x)[y] with a little noise at ' +
          'every step (Langevin dynamics, Welling & Teh 2011). The model on screen is a JEM, trained so that this ' +
          'energy is low on real digits.',
      ],
      setup: JEM_IN_ATTACK_LAB,
      highlight: 'dream-heading',
      task: {
        says: 'In the Dream panel pick a class and press “Dream”.',
        done: (s) => s.dream?.modelId === 'mnist-jem',
      },
    },
    {
      title: 'A dream is a picture like any other',
      text: [
        'The dream ends on an image the model is sure of. Put it on screen and the model classifies it as the class ' +
          'it dreamed of; you can attack it like a photo.',
      ],
      setup: JEM_IN_ATTACK_LAB,
      highlight: 'dream-heading',
      task: {
        says: 'Dream (if no dream is shown yet), then press “Use as picture”.',
        done: (s) => s.image?.dreamedClass !== undefined,
      },
    },
    {
      title: 'The standard CNN dreams too',
      text: [
        'Every classifier has logits, so every classifier can dream. The standard CNN was never asked to give real ' +
          'digits low energy: its walk raises one logit by whatever pattern works, the same trick an adversarial ' +
          'attack uses. Compare its dream with the JEM’s.',
      ],
      setup: { view: 'attack-lab', model: 'mnist-cnn' },
      highlight: 'dream-heading',
      task: { says: 'Press “Dream” with the standard CNN.', done: (s) => s.dream?.modelId === 'mnist-cnn' },
    },
    {
      title: 'Training with a replay buffer',
      text: [
        'A JEM is trained on cross-entropy plus E(data) − E(samples): real digits are pushed down the energy, the ' +
          'model’s own samples up. The samples come from a replay buffer (Du & Mordatch 2019): each batch a few SGLD ' +
          'steps move some of its images, 5 % restart from noise. Press Train and watch its rows of noise become ' +
          'strokes, one row per class, beside the standard CNN trained on the same images.',
        'The tug of war can run away; the app then stops that run, restores its last good weights and says so.',
      ],
      setup: { view: 'training-lab', preset: 'jem-vs-standard' },
      highlight: 'curves-heading',
    },
    {
      title: 'Does the energy know noise?',
      text: [
        'Grathwohl et al. (§5.2) use log p(x) = −E(x) to tell digits from inputs of other kinds, beside the maximum ' +
          'softmax and the gradient norm ‖∂ log p(x)/∂x‖. Measure both models: a higher AUROC separates better.',
      ],
      setup: { view: 'analysis', analysisModels: ['mnist-jem', 'mnist-cnn'] },
      highlight: 'energy-heading',
      task: { says: 'Press “Measure energy”.', done: (s) => s.analysis.energy },
    },
  ],
};

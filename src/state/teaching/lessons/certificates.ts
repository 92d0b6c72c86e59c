/**
 * Defense lesson: certificates, from interval bound propagation (Gowal et al. 2018) and CROWN (Zhang et al. 2018)
 * to randomized smoothing (Cohen et al. 2019), on the shipped IBP-trained model.
 */
import type { Lesson, LessonSetup } from './types';

/** Test image 0 under the shipped IBP-trained model, in the attack lab. */
const IBP_MODEL_ON_TEST_DIGIT_0: LessonSetup = {
  view: 'attack-lab',
  dataset: 'mnist',
  model: 'mnist-cnn-ibp',
  image: 0,
};

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
        'The model now loaded was trained against its own bounds (IBP training, Gowal et al. 2018, §3) so that ' +
          'such proofs exist for most digits.',
      ],
      setup: IBP_MODEL_ON_TEST_DIGIT_0,
    },
    {
      title: 'Proof ≤ truth ≤ attack',
      text: [
        'Press “Certify this image”. Interval bound propagation (IBP) pushes the box [x − ε, x + ε] through the ' +
          'network layer by layer; CROWN (Zhang et al. 2018) bounds each ReLU by lines instead and is usually ' +
          'tighter. The largest ε either proves is a lower bound on the true robust radius.',
        'PGD then searches for the smallest ε at which it fools the model: an upper bound. The true radius lies in ' +
          'the shaded gap between proof and attack, and no one knows where.',
      ],
      setup: IBP_MODEL_ON_TEST_DIGIT_0,
      highlight: 'picture-certificate-heading',
      task: { says: 'Press “Certify this image”.', done: (s) => s.pictureCertified },
    },
    {
      title: 'Certified accuracy on many images',
      text: [
        'In the analysis view, the Certify panel draws for each model the share of test images certified at each ε ' +
          'under the share PGD leaves standing. The band between them is what neither proof nor attack settles.',
        'On the shipped IBP model (first 1,000 test images) 82 % are certified at ε = 0.3 while PGD-50 leaves ' +
          '89 %; the normally trained CNN certifies almost nothing at that ε, and PGD fools it on nearly every digit.',
      ],
      // The two models the text compares; the view's default three (CNN, ODENet, TisODE) would certify for a minute.
      setup: { view: 'analysis', analysisModels: ['mnist-cnn-ibp', 'mnist-cnn'] },
      highlight: 'certify-heading',
      task: { says: 'Press Certify and compare the two models’ bands.', done: (s) => s.analysis.certify },
    },
    {
      title: 'Randomized smoothing',
      text: [
        'Cohen et al. (2019, §3) classify many noisy copies of the image and take the majority: if the top class ' +
          'wins with probability pA under Gaussian noise σ, no L2 perturbation smaller than σ·Φ⁻¹(pA) changes the ' +
          'majority. pA is only estimated, so the certificate holds with a chosen confidence (Clopper–Pearson), and ' +
          'when no class is clearly ahead the smoothed classifier abstains.',
      ],
      setup: { view: 'analysis', analysisModels: ['mnist-cnn-smoothing-0.5'] },
      highlight: 'certify-heading',
      task: {
        says: 'Tick randomized smoothing, press Certify, and read the certified L2 radii of the noise-trained model.',
        done: (s) => s.analysis.smoothing,
      },
    },
  ],
};

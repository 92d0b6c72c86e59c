/**
 * The training lab's ready-made comparisons. Each is a TrainingSpec the user can then edit:
 * classroom sizes, so that an epoch on 10,000 images takes minutes on wasm.
 */
import type { TrainingRunSpec, TrainingSpec } from '../../worker/api';

/**
 * The shipped JEM's settings (public/models/mnist-jem) with a buffer small enough for 5,000 images to revisit each
 * chain a few times; SGLD in the models' [0, 1] input units (sgld.ts). The JEM preset trains it, and a run switched
 * to JEM in the training lab starts from it.
 */
export const CLASSROOM_JEM: TrainingRunSpec['defense'] & { kind: 'jem' } = {
  kind: 'jem',
  sgld: { steps: 5, stepSize: 2, noise: 0.005, range: [0, 1] },
  bufferSize: 1_000,
  reinit: 0.05,
  dataNoise: 0.015,
  energyRegularisation: 0.1,
  classConditional: true,
};

export interface TrainingPreset {
  id: string;
  title: string;
  /** What to look for in the curves. */
  watch: string;
  spec: TrainingSpec;
}

const common = { seed: 1, heldOutExamples: 500, schedule: 'interleaved' as const };

const run = (id: string, label: string, r: Omit<TrainingRunSpec, 'id' | 'label'>): TrainingRunSpec => ({
  id,
  label,
  ...r,
});

export const TRAINING_PRESETS: readonly TrainingPreset[] = [
  {
    id: 'odenet-vs-cnn',
    title: 'ODENet vs CNN (Yan et al.)',
    watch:
      'Both reach high accuracy; the ODENet is slower per sample because every forward pass integrates an ODE. ' +
      'Take both to the attack lab afterwards: the ODENet should hold on longer under noise and small perturbations.',
    spec: {
      ...common,
      epochs: 1,
      trainExamples: 10_000,
      reportEvery: 10,
      runs: [
        run('A', 'CNN (residual block)', { arch: 'yan-cnn', build: { size: 'classroom' } }),
        run('B', 'ODENet (Euler)', { arch: 'odenet', build: { size: 'classroom' } }),
      ],
    },
  },
  {
    id: 'tisode-vs-odenet',
    title: 'TisODE vs ODENet',
    watch:
      'TisODE makes the ODE autonomous and adds a steady-state loss (the second curve on the loss chart is not ' +
      'shown separately: it is part of the TisODE loss). Accuracy should be close; TisODE is meant to be the ' +
      'more stable one.',
    spec: {
      ...common,
      epochs: 1,
      trainExamples: 10_000,
      reportEvery: 10,
      runs: [
        run('A', 'ODENet', { arch: 'odenet', build: { size: 'classroom' } }),
        run('B', 'TisODE', { arch: 'tisode', build: { size: 'classroom' }, recipe: { steadyStateStart: 0 } }),
      ],
    },
  },
  {
    id: 'margin-growth',
    title: 'Margin growth (Lyu & Li)',
    watch:
      'Bias-free (homogeneous) CNNs on 1,000 images: once training accuracy reaches 100 %, the normalised margin ' +
      'q_min/ρ^L keeps rising, faster with the loss-based learning rate than with a fixed 0.01.',
    spec: {
      ...common,
      epochs: 20,
      trainExamples: 1_000,
      reportEvery: 10,
      runs: [
        run('A', 'SGD, lr 0.01', {
          arch: 'homogeneous-cnn',
          build: { size: 'classroom' },
          recipe: { optimizer: 'sgd', learningRate: 0.01 },
        }),
        run('B', 'Loss-based lr', {
          arch: 'homogeneous-cnn',
          build: { size: 'classroom' },
          recipe: { optimizer: 'loss-based' },
        }),
      ],
    },
  },
  {
    id: 'adversarial-vs-standard',
    title: 'Adversarial vs standard training (Madry et al.)',
    watch:
      'The same strided CNN trained normally and with PGD examples (5 steps at L∞ ε = 0.3, ε warmed up over the ' +
      'first epoch). The robust-accuracy curve (PGD-10 at ε = 0.3 on held-out images) climbs for the adversarially ' +
      'trained model and stays near zero for the standard one, whose clean accuracy is only a little higher; ' +
      'samples/s shows what robustness costs (about six passes per batch instead of one). Madry et al. trained ' +
      'far longer: the shipped PGD-trained model reaches 89.5 % under AutoAttack-lite.',
    spec: {
      ...common,
      epochs: 3,
      trainExamples: 10_000,
      reportEvery: 20,
      robustProbe: { examples: 200, eps: 0.3, steps: 10 },
      runs: [
        run('A', 'Standard training', { arch: 'strided-cnn', build: {} }),
        run('B', 'PGD adversarial training', {
          arch: 'strided-cnn',
          build: {},
          defense: { kind: 'adversarial', config: { method: 'pgd', eps: 0.3, steps: 5, warmupEpochs: 1 } },
        }),
      ],
    },
  },
  {
    id: 'fast-adversarial',
    title: 'Fast adversarial training (Wong et al.)',
    watch:
      'FGSM training with and without a random start (L∞ ε = 0.3, warmed up over the first epoch). Without it the ' +
      'model learns to beat its one training step — its training accuracy on FGSM examples climbs — while its ' +
      'accuracy under PGD stays at zero: catastrophic overfitting, which the app flags. From a random start the ' +
      'PGD curve climbs, at the cost of just two passes per batch.',
    spec: {
      ...common,
      epochs: 3,
      trainExamples: 20_000,
      reportEvery: 20,
      robustProbe: { examples: 200, eps: 0.3, steps: 10 },
      runs: [
        run('A', 'FGSM, random start', {
          arch: 'strided-cnn',
          build: {},
          defense: { kind: 'adversarial', config: { method: 'fgsm-rs', eps: 0.3, warmupEpochs: 1 } },
        }),
        run('B', 'FGSM, no random start', {
          arch: 'strided-cnn',
          build: {},
          defense: { kind: 'adversarial', config: { method: 'fgsm', eps: 0.3, warmupEpochs: 1 } },
        }),
      ],
    },
  },
  {
    id: 'certified-ibp',
    title: 'Certified training with IBP (Gowal et al.)',
    watch:
      'The same strided CNN trained normally and with interval bound propagation: a quarter of an epoch plain, ' +
      'then ε grows to 0.1 over one epoch while the weight κ of the clean loss falls to ½, the rest going to the ' +
      'worst case of the interval bounds. Watch the certified-accuracy curve (IBP at ε = 0.1 on held-out images): ' +
      'only a network trained for its bounds gets certificates from IBP, so the standard one stays near zero ' +
      'there even where PGD leaves it some accuracy — an attack’s failure is no proof. The same recipe on the ' +
      'command line reached 54.5 % IBP-certified on 200 probe images after 3 epochs (91.4 % clean); Gowal et ' +
      'al.’s large model, trained far longer, certifies 97.8 % at ε = 0.1. Take both models to the analysis view ' +
      'and press Certify to see the band between proof and attack.',
    spec: {
      ...common,
      epochs: 3,
      trainExamples: 10_000,
      reportEvery: 20,
      robustProbe: { examples: 200, eps: 0.1, steps: 10 },
      certifiedProbe: { examples: 200, eps: 0.1 },
      runs: [
        run('A', 'Standard training', { arch: 'strided-cnn', build: {} }),
        run('B', 'IBP certified training', {
          arch: 'strided-cnn',
          build: {},
          defense: { kind: 'certified', bound: 'ibp', eps: 0.1, warmupEpochs: 0.25, rampEpochs: 1, finalKappa: 0.5 },
        }),
      ],
    },
  },
  {
    id: 'noise-smoothing',
    title: 'Gaussian noise for randomized smoothing (Cohen et al.)',
    watch:
      'The same strided CNN trained on clean images and on images with Gaussian noise of σ = 0.5 added. Save ' +
      'both, then in the analysis view tick randomized smoothing and press Certify: smoothed at σ = 0.5 (read ' +
      'from the model’s training), a network that has seen the noise keeps its certified L2 radii where one ' +
      'that has not loses accuracy and abstains. Measured on the command line (first 20 test images, n = 1,000, ' +
      'α = 0.001): this noise-trained network certified 95 % at radius 0.5 and 65 % at 1; the shipped CNN, ' +
      'trained without noise, 20 % and 0 %, abstaining on 7 of the 20.',
    spec: {
      ...common,
      epochs: 2,
      trainExamples: 10_000,
      reportEvery: 20,
      runs: [
        run('A', 'Standard training', { arch: 'strided-cnn', build: {} }),
        run('B', 'Gaussian noise σ = 0.5', { arch: 'strided-cnn', build: {}, defense: { kind: 'noise', sigma: 0.5 } }),
      ],
    },
  },
  {
    id: 'jem-vs-standard',
    title: 'JEM vs standard CNN (Grathwohl et al.)',
    watch:
      'The same strided CNN (no batch norm) trained with plain cross-entropy and as a JEM, whose loss adds the ' +
      'generative term E(data) − E(samples): every batch, 5 class-conditional SGLD steps move 64 chains of a ' +
      'replay buffer of 1,000 images (100 per class, 5 % restarted from noise each batch) down the energy. ' +
      'Classroom size: 5,000 images, one epoch (Grathwohl et al. train for days on all of the data; the shipped ' +
      'JEM saw 60,000 images 3 times). Watch the sample grid, one row per class: it ' +
      'starts as noise; in a test run (wasm, 83 s) every row showed digits of its class after the 5,000 ' +
      'images. Each JEM batch adds 5 SGLD steps (a gradient each) and a double batch: that run trained the JEM at ' +
      '109 images/s against the standard CNN’s 357, and reached 79.2 % on 500 test images against 90.8 %. If the ' +
      'energies run away the app stops that run and restores its last good weights.',
    spec: {
      ...common,
      epochs: 1,
      trainExamples: 5_000,
      reportEvery: 5,
      runs: [
        run('A', 'Standard CNN', { arch: 'strided-cnn', build: {} }),
        run('B', 'JEM', {
          arch: 'strided-cnn',
          build: {},
          defense: CLASSROOM_JEM,
        }),
      ],
    },
  },
  {
    id: 'mlp-initialisation',
    title: 'Initialisation and lazy training (Zhu et al.)',
    watch:
      'The same wide ReLU MLP under He, LeCun and NTK initialisation: the lazy-training ratio ‖θ_t − θ₀‖/‖θ₀‖ ' +
      'stays small for the NTK parameterisation (the weights barely move) and grows for the others.',
    spec: {
      ...common,
      epochs: 1,
      trainExamples: 10_000,
      reportEvery: 10,
      runs: [
        run('A', 'MLP, He', { arch: 'mlp', build: { width: 512, depth: 2, init: 'he' } }),
        run('B', 'MLP, LeCun', { arch: 'mlp', build: { width: 512, depth: 2, init: 'lecun' } }),
        run('C', 'MLP, NTK', { arch: 'mlp', build: { width: 512, depth: 2, init: 'ntk' } }),
      ],
    },
  },
  {
    id: 'lazy-vs-non-lazy',
    title: 'Lazy vs non-lazy training (Zhu et al.)',
    watch:
      'A two-layer ReLU MLP (one hidden layer of 256) under LeCun initialisation and under a small one (LeCun ' +
      'variance divided by the width), trained with SGD. Zhu et al. (2022, Figs. 2–3): the lazy-training ratio ' +
      '‖θ_t − θ₀‖/‖θ₀‖ stays small and flattens for the lazy network, and keeps growing for the non-lazy one, ' +
      'whose weights must travel far from their tiny start. Classroom size: 5,000 images, one epoch (they train ' +
      '50 on all of MNIST).',
    spec: {
      ...common,
      epochs: 1,
      trainExamples: 5_000,
      reportEvery: 10,
      runs: [
        run('A', 'MLP, LeCun (lazy)', {
          arch: 'mlp',
          build: { width: 256, depth: 1, init: 'lecun' },
          recipe: { optimizer: 'sgd', learningRate: 0.05 },
        }),
        run('B', 'MLP, small init (non-lazy)', {
          arch: 'mlp',
          build: { width: 256, depth: 1, init: 'small' },
          recipe: { optimizer: 'sgd', learningRate: 0.05 },
        }),
      ],
    },
  },
  {
    id: 'clean-images-batch-norm',
    title: 'Clean images and batch norm in adversarial training (Xie & Yuille)',
    watch:
      'The small CNN with batch norm, PGD-3 adversarial training at L∞ ε = 0.1: on adversarial images only (A), ' +
      'with every clean image beside them through one batch norm (B), and through split batch norms, BN_clean and ' +
      'BN_adv (C). Xie & Yuille (2020) found on ImageNet that B is the least robust — one batch norm sees two ' +
      'domains — and that C recovers it. Watch the robust-accuracy curve (PGD-10 at ε = 0.1). Classroom size: ' +
      '2,000 images, ε 0.1 instead of the paper’s 16/255 on ImageNet; see the README for longer runs.',
    spec: {
      ...common,
      epochs: 1,
      trainExamples: 2_000,
      heldOutExamples: 200,
      reportEvery: 5,
      robustProbe: { examples: 100, eps: 0.1, steps: 10 },
      runs: [
        run('A', 'Adversarial images only', {
          arch: 'cnn',
          build: { norm: { norm: 'batch' } },
          defense: { kind: 'adversarial', config: { method: 'pgd', eps: 0.1, steps: 3 } },
        }),
        run('B', '+ clean, one batch norm', {
          arch: 'cnn',
          build: { norm: { norm: 'batch' } },
          defense: { kind: 'adversarial', config: { method: 'pgd', eps: 0.1, steps: 3, cleanShare: 1 } },
        }),
        run('C', '+ clean, split batch norm', {
          arch: 'cnn',
          build: { norm: { norm: 'batch', splitBatchNorm: true } },
          defense: {
            kind: 'adversarial',
            config: { method: 'pgd', eps: 0.1, steps: 3, cleanShare: 1, batchNorm: 'split' },
          },
        }),
      ],
    },
  },
  {
    id: 'adversarial-depth',
    title: 'Depth in adversarial training (Xie & Yuille)',
    watch:
      'The residual CNN with batch norm at a fixed width of 16 channels and 1, 2 or 4 residual blocks, each trained ' +
      'with PGD-3 adversarial training at L∞ ε = 0.1. Xie & Yuille (2020, §5) found on ImageNet that adversarial ' +
      'training keeps gaining robustness with depth (ResNet-152 → 638) long after standard training has saturated. ' +
      'Watch the robust-accuracy curve (PGD-10 at ε = 0.1); for the standard-training side, set each run’s ' +
      'defense to none and train again. Classroom size: 2,000 images, one epoch, ε 0.1 instead of the paper’s ' +
      '16/255 on ImageNet; the README has the CLI grid (depths 1–8, PGD-50 and AutoAttack-lite).',
    spec: {
      ...common,
      epochs: 1,
      trainExamples: 2_000,
      heldOutExamples: 200,
      reportEvery: 5,
      robustProbe: { examples: 100, eps: 0.1, steps: 10 },
      runs: [1, 2, 4].map((depth, i) =>
        run('ABC'[i], `${depth} block${depth === 1 ? '' : 's'}`, {
          arch: 'res-cnn',
          build: { width: 16, depth, norm: { norm: 'batch' } },
          recipe: { learningRate: 0.005 },
          defense: { kind: 'adversarial', config: { method: 'pgd', eps: 0.1, steps: 3 } },
        }),
      ),
    },
  },
  {
    id: 'cifar-colour',
    title: 'Colour CNN vs colour ODENet (CIFAR-10)',
    watch:
      'Needs CIFAR-10 in the browser (choose CIFAR-10 in the header and give its files). Both train with random ' +
      'crops and flips; the ODENet is several times slower per image. With the 4,660-image sample expect modest ' +
      'accuracy: it is a demonstration, not a benchmark.',
    spec: {
      ...common,
      dataset: 'cifar10',
      epochs: 1,
      trainExamples: 2_000,
      heldOutExamples: 200,
      reportEvery: 5,
      runs: [
        run('A', 'Colour CNN', { arch: 'cifar-cnn', build: { size: 'classroom' } }),
        run('B', 'Colour ODENet', { arch: 'odenet', build: { size: 'classroom' } }),
      ],
    },
  },
  {
    id: 'cnn-smoke',
    title: 'Two small CNNs, a few batches (quick check)',
    watch: 'A quick look at the machinery: two small models on 1,024 images, curves within seconds.',
    spec: {
      ...common,
      epochs: 1,
      trainExamples: 1_024,
      heldOutExamples: 200,
      reportEvery: 2,
      runs: [
        run('A', 'CNN', { arch: 'cnn', build: {} }),
        run('B', 'CNN (residual block)', { arch: 'yan-cnn', build: { size: 'classroom' } }),
      ],
    },
  },
];

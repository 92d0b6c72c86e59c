/**
 * The analysis view's in-app explanations: one entry per idea a chart measures. Every chart's
 * definition line links here ("What is this?"), so the longer story has one home.
 */
export type ConceptId =
  | 'robust-accuracy'
  | 'gradient-masking'
  | 'calibration'
  | 'energy'
  | 'sgld'
  | 'replay-buffer'
  | 'jem-divergence'
  | 'jem-refinement'
  | 'margins'
  | 'distances'
  | 'lipschitz'
  | 'stability'
  | 'lazy-training'
  | 'strong-attacks'
  | 'adversarial-training'
  | 'catastrophic-overfitting'
  | 'robust-overfitting'
  | 'certificates'
  | 'ibp-crown'
  | 'randomized-smoothing'
  | 'complete-verification';

export interface Concept {
  title: string;
  paragraphs: string[];
}

export const CONCEPTS: Record<ConceptId, Concept> = {
  'robust-accuracy': {
    title: 'Accuracy against ε',
    paragraphs: [
      'Robust accuracy at ε is the share of test images that the model classifies correctly both as they are and ' +
        'after the perturbation; an image misclassified to begin with never counts as robust. ε is the size of the ' +
        'perturbation in pixel units, pixels in [0,1]: under L∞ every pixel may move by at most ε; under L2 the ' +
        'whole perturbation has Euclidean length at most ε.',
      'Gaussian noise adds N(0, σ²) to every pixel and clips to [0,1]. Yan et al. quote σ on the 0–255 scale (σ = ' +
        '50 means 50/255 ≈ 0.2). FGSM takes one step of size ε along the sign of the loss gradient; PGD takes ' +
        'several smaller steps from a random start, projecting back into the ε-ball after each, and is the ' +
        'stronger attack. With several seeds the curves show the mean and the table mean ± std.',
    ],
  },
  'gradient-masking': {
    title: 'Gradient masking, and why an adaptive ODE solver can cause it',
    paragraphs: [
      'A gradient attack only finds what the gradient shows it. A model can look robust because its gradients are ' +
        'useless — flat, noisy or wrong — while adversarial examples still exist: that is gradient masking. The ' +
        'tell-tale signs are Carlini et al.’s sanity checks: an iterative attack doing no better than one step, ' +
        'accuracy that never reaches zero however large ε gets, random noise hurting more than a gradient attack ' +
        'of the same size, and accuracy that still falls when the attack gets more steps or restarts.',
      'Neural ODEs invite it. With an adaptive solver (dopri5) the number and size of steps depend on the input, ' +
        'and with loose tolerances the computed trajectory is only roughly the true one: the gradient ' +
        'backpropagated through the solver describes the solver’s path, not the function the model computes. ' +
        'Attacks then stall and robustness is overstated. The models here use fixed-step solvers with gradients ' +
        'through every step for this reason.',
    ],
  },
  calibration: {
    title: 'Calibration: reliability, ECE, MCE and temperature scaling',
    paragraphs: [
      'A model is calibrated when, among the images it classifies with confidence p (its largest softmax ' +
        'probability), a share p is right. The reliability diagram sorts images into equal-width confidence bins — ' +
        '(lo, hi], the first bin closed — and plots each bin’s accuracy; a calibrated model sits on the diagonal.',
      'ECE = Σ_m (|B_m|/n)·|acc(B_m) − conf(B_m)| is the count-weighted gap; MCE = max_m |acc(B_m) − conf(B_m)| ' +
        'the worst bin’s gap; empty bins contribute nothing. Temperature scaling divides the logits by one number ' +
        'T > 0, fitted by minimising the negative log-likelihood on one half of the images and reported on the ' +
        'other half — never fitted on the images it is judged on. It changes confidence, never the predicted class.',
    ],
  },
  energy: {
    title: 'The energy score (JEM)',
    paragraphs: [
      'Grathwohl et al. (2020) read a classifier’s logits z(x) as an energy-based model of the inputs: E(x) = ' +
        '−logsumexp_y z_y(x), so p(x) ∝ exp(−E(x)). A high logsumexp(z) says “this looks like my training data”, a ' +
        'low one “I have not seen anything like this”.',
      'The AUROC is the probability that a random test image scores higher than a random image of the other set ' +
        '(ties count one half): 1 separates them perfectly, 0.5 is chance, below 0.5 the other set looks more ' +
        'in-distribution than the real images. The maximum softmax probability is the usual baseline. Adversarial ' +
        'examples tend to defeat both: PGD raises the wrong logit, and with it logsumexp(z).',
    ],
  },
  sgld: {
    title: 'Sampling by Langevin dynamics (SGLD)',
    paragraphs: [
      'If a classifier is an energy model, p(x) ∝ exp(−E(x)), then it can draw pictures: start from noise and walk ' +
        'downhill on the energy, adding a little noise at every step, x ← x − α·∂E/∂x + σ·N(0, I) (stochastic ' +
        'gradient Langevin dynamics, Welling & Teh 2011). For a chosen class y the walk uses −z_y(x) instead, the ' +
        'energy of “x and y together”: the model paints what it thinks a y looks like. The Dream panel of the ' +
        'attack lab does exactly this with the model on screen.',
      'Every model can be walked on, but only one trained as a JEM (Grathwohl et al. 2020) has learned an energy ' +
        'that is low on digits and high elsewhere; a standard classifier’s walk mostly finds patterns of noise that ' +
        'raise one logit, the same trick an adversarial attack uses.',
    ],
  },
  'replay-buffer': {
    title: 'The replay buffer of a JEM',
    paragraphs: [
      'Training a JEM needs samples of the model’s own p(x) at every batch, and SGLD from noise needs hundreds of ' +
        'steps to produce one. Du & Mordatch (2019, §3.1) keep a buffer of past samples instead: each batch’s chains ' +
        'start from buffer entries, take a few SGLD steps (5 in the training lab), and are written back. A chain ' +
        'thus grows a little longer every time it is picked, and 5 % of the starts are fresh noise so the buffer ' +
        'keeps exploring.',
      'The loss then lowers the energy of the real images and raises that of the samples, E(data) − E(samples) ' +
        '(contrastive divergence, Grathwohl et al. 2020, §4), beside the usual cross-entropy. The training lab’s ' +
        'grid shows the entries the last batches wrote, one row per class.',
    ],
  },
  'jem-divergence': {
    title: 'Why JEM training can diverge',
    paragraphs: [
      'The generative term is a tug of war: the network lowers the energy of data and raises that of its samples, ' +
        'and the samples chase the low energy. When the network wins too easily — samples too short-run to follow — ' +
        'the energies of data and samples run apart without limit, or the samples pile up at black or white. ' +
        'Grathwohl et al. (2020, §6) report such instabilities; they are the price of training by sampling.',
      'The app checks every batch: if the gap E(data) − E(samples) leaves ±1,000 or the samples saturate, it stops ' +
        'that run at once, restores the weights of its last report and says why; the other model trains on. Smaller ' +
        'SGLD steps, more of them, an energy regulariser (Du & Mordatch 2019, §3.3) or a lower learning rate help.',
    ],
  },
  'jem-refinement': {
    title: 'Refining an input by SGLD before classifying it',
    paragraphs: [
      'Grathwohl et al. (2020, §5.3) move an input a few SGLD steps down the JEM’s energy before classifying it: a ' +
        'perturbation that pushed a digit off the data gets pulled back. The defence is random and iterative, the ' +
        'two ways a defence can hide its gradient (Athalye, Carlini & Wagner 2018), so the attack here ' +
        'differentiates through every refinement step and averages over noise draws (EOT). What survives that is a ' +
        'real gain; what does not was masking.',
    ],
  },
  margins: {
    title: 'Logit margins and the normalised margin (Lyu & Li)',
    paragraphs: [
      'The logit margin of an image is q = z_y − max_{j≠y} z_j: how far the true class’s logit is ahead of the ' +
        'best other class. It is negative exactly when the image is misclassified. Attacks push margins below ' +
        'zero; the histogram after PGD shows how far.',
      'Lyu & Li (2020) show that for homogeneous networks (bias-free ReLU nets, output scaling as ‖θ‖^L) trained ' +
        'past 100 % training accuracy, gradient descent keeps raising the normalised margin γ̄ = q_min/ρ^L, with ρ ' +
        '= ‖θ‖₂ and L the number of weight layers. For other networks the number is shown for comparison but the ' +
        'theorem does not apply.',
    ],
  },
  distances: {
    title: 'Minimal adversarial distance: DeepFool and PGD bisection',
    paragraphs: [
      'How far is an image from the nearest point the model classifies differently? DeepFool linearises the model ' +
        'around the image, steps to the nearest linearised boundary, and repeats (overshoot 0.02): the L2 distance ' +
        'it needs is an upper bound on the true distance. For L∞, PGD bisection searches the smallest ε at which ' +
        'PGD-20 breaks the image, to 1/255: again an upper bound.',
      'A verified lower bound (next entry) and an attack’s upper bound bracket the true robust radius.',
    ],
  },
  lipschitz: {
    title: 'Certified L2 radius from operator norms',
    paragraphs: [
      'Each layer changes its input by at most its operator norm ‖W‖₂ times the change (ReLU, max-pooling and ' +
        'reshaping do not increase it). So a logit difference moves by at most √2·Π‖W_l‖₂·‖δ‖₂, and no ' +
        'perturbation smaller than q/(√2·Π‖W_l‖₂) can flip a correctly classified image: a certified lower bound ' +
        'on its L2 distance.',
      'Convolution norms come from power iteration on the real convolution and its transpose — the kernel’s ' +
        'Frobenius norm is not an upper bound. The bound is loose on trained networks, which is itself the lesson; ' +
        'layers it cannot cover (GroupNorm, ODE blocks) are named.',
    ],
  },
  stability: {
    title: 'Perturbation stability (Zhu et al.)',
    paragraphs: [
      'Perturbation stability asks how much the output moves for a random perturbation: x̂ is drawn uniformly from ' +
        'the L2 ball of radius ε around x, and the change is averaged over images and draws; smaller means more ' +
        'stable. The exact formula was lost from the paper text we have, so three forms are offered and every ' +
        'chart names the one it shows: the first-order change ∇ₓf(x)ᵀ(x̂ − x), squared (default) or not, and the ' +
        'finite difference f(x̂) − f(x), squared.',
      'For the squared first-order form there is a closed form: for u uniform in the d-ball of radius ε, E[uuᵀ] = ' +
        'ε²/(d+2)·I, so E(gᵀu)² = ε²‖g‖²/(d+2). The Monte-Carlo estimate is drawn beside it as a check. Zhu et al. ' +
        'report that stability depends on width, depth and initialisation (He, LeCun, NTK): the MLP sweep lets you ' +
        'see it.',
    ],
  },
  'lazy-training': {
    title: 'The lazy-training ratio',
    paragraphs: [
      '‖θ_t − θ₀‖₂ / ‖θ₀‖₂: how far training has moved the weights relative to where they started. Wide networks ' +
        'with standard initialisation train “lazily” — the ratio stays small and the network behaves like its ' +
        'linearisation at initialisation (the NTK regime); a small initial variance or a narrow network moves ' +
        'further and learns features.',
    ],
  },
  'strong-attacks': {
    title: 'Why a stronger attack matters: APGD, AutoAttack-lite and Carlini–Wagner',
    paragraphs: [
      'An attack that fails proves nothing: robust accuracy measured with a weak attack is only an upper bound, and ' +
        'many published defences were later broken by a better one (Carlini et al. 2019). Every robustness claim ' +
        'here names its attack, and the sanity checks compare it with a stronger one.',
      'APGD (Croce & Hein 2020) is PGD that needs no step size: it starts at 2ε, adds momentum, and halves the step ' +
        'for an image whenever its loss stopped rising often enough, restarting from the best point found. With the ' +
        'DLR loss — the logit margin divided by the spread of the top logits — it is blind to the scale of the ' +
        'logits, so a saturated softmax (a vanishing cross-entropy gradient) cannot hide the boundary from it. ' +
        'APGD-T aims at each runner-up class in turn. AutoAttack-lite runs APGD-CE, then APGD-T on the images ' +
        'still standing: a subset of Croce & Hein’s AutoAttack, which also runs FAB-T and the black-box Square ' +
        'attack, so it is never reported as AutoAttack.',
      'Carlini & Wagner’s L2 attack (2017) asks a different question: not “is there an adversarial example within ' +
        'ε?” but “how close is the nearest one?”. It optimises the perturbation’s length plus c times a margin ' +
        'loss, searching c per image; its distances sit beside DeepFool’s.',
    ],
  },
  'adversarial-training': {
    title: 'Adversarial training',
    paragraphs: [
      'Adversarial training trains on the worst inputs an attack can find near each training image instead of on ' +
        'the images themselves: min over the weights of the expected max over the ε-ball of the loss (Madry et al. ' +
        '2018). The inner maximum is approximated by PGD — K steps per batch, so training costs about K + 1 ' +
        'times as much, which the samples/s chart shows.',
      'FGSM training from a random start (Wong, Rice & Kolter 2020) replaces PGD by one step of 1.25·ε from a ' +
        'random point of the ball: nearly as robust at a fraction of the cost. TRADES (Zhang et al. 2019) keeps ' +
        'the clean loss and adds β times the KL divergence between the predictions on the clean image and on its ' +
        'worst neighbour, trading clean accuracy for smoothness. Robustness needs capacity: small networks can ' +
        'fit the clean data but not the ε-balls around it (Madry et al. 2018, §4). Adversarial examples are ' +
        'crafted with the model in inference mode (Xie & Yuille 2020), and ε can warm up from 0 over the first ' +
        'epochs so a small network is not overwhelmed at the start.',
      'A robust model’s gradients are meaningful: a targeted attack with a large ε paints strokes of the target ' +
        'digit instead of noise (Tsipras et al. 2019, perceptually aligned gradients).',
    ],
  },
  'catastrophic-overfitting': {
    title: 'Catastrophic overfitting',
    paragraphs: [
      'Trained on FGSM examples, a model can learn to defeat that one step instead of becoming robust: its loss ' +
        'surface bends so the single gradient step misses, and within an epoch its accuracy under PGD falls to ' +
        'nearly zero while clean accuracy (and accuracy under FGSM) keeps rising (Wong, Rice & Kolter 2020). FGSM ' +
        'without a random start collapses this way quickly; a random start postpones it; too large a step or too ' +
        'long a training brings it back.',
      'The robust-accuracy curve watches for it: PGD on held-out images at every report. When that accuracy falls ' +
        'to under half its best (by at least 20 points) while clean accuracy holds, the run is flagged, and it can ' +
        'stop and restore the weights of its best report — Wong et al.’s early stopping.',
    ],
  },
  'robust-overfitting': {
    title: 'Robust overfitting',
    paragraphs: [
      'Long adversarial training overfits in its own way: robust accuracy on the training images keeps rising ' +
        'while robust accuracy on held-out images peaks and then declines, usually after the learning rate decays ' +
        '(Rice, Wong & Kolter 2020). Unlike catastrophic overfitting it is gradual. Watch the held-out robust ' +
        'curve, not the training loss, and keep the model from its best point.',
    ],
  },
  certificates: {
    title: 'Certificates: what provably holds',
    paragraphs: [
      'An attack that fails proves nothing: a stronger one may succeed. A certificate is a proof that no ' +
        'perturbation within ε changes the prediction of this image: the lower bound of every margin z_y − z_j over ' +
        'the whole ε-ball is positive. Certified accuracy at ε — correct and proven robust — is therefore a lower ' +
        'bound on the true robust accuracy, and accuracy under the strongest attack the app has is an upper bound.',
      'The truth lies in between. The shaded band in the Certify charts is what nobody knows: images with no ' +
        'proof and no attack found. A good certified model narrows it from below (IBP training, Gowal et al. ' +
        '2018); a stronger attack narrows it from above. For one picture the same holds on one ruler: the ' +
        'certified radius ≤ the true distance to the nearest adversarial example ≤ the smallest perturbation an ' +
        'attack found (proof ≤ truth ≤ attack).',
    ],
  },
  'ibp-crown': {
    title: 'Why IBP is loose and CROWN tighter',
    paragraphs: [
      'Interval bound propagation (Gowal et al. 2018) pushes a box through the network: each layer maps the ' +
        'box of its inputs to a box of its outputs, one interval per unit. It is cheap (about two forward passes) ' +
        'but forgets that units are correlated, so the boxes grow layer by layer and the final margins are ' +
        'pessimistic — on a normally trained network IBP certifies almost nothing beyond tiny ε.',
      'CROWN (Zhang et al. 2018) instead bounds each ReLU between two lines and carries linear functions of the ' +
        'input backwards through the network, so correlations survive; its bounds are much tighter on normally ' +
        'or adversarially trained networks, at the cost of one backward pass per layer. IBP training (Gowal et ' +
        'al. 2018) makes the network’s own boxes tight, so there IBP can even beat CROWN; the app uses the ' +
        'better of the two, which stays sound. CROWN here relaxes feed-forward chains of dense, convolution and ' +
        'ReLU layers; a max-pool, a GroupNorm or an ODE block is named and refused rather than silently bounded.',
    ],
  },
  'randomized-smoothing': {
    title: 'Randomized smoothing: L2 certificates with a probability',
    paragraphs: [
      'Randomized smoothing (Cohen, Rosenfeld & Kolter 2019) certifies a different classifier: g(x) is the class ' +
        'the base network picks most often on x + Gaussian noise of size σ. If the top class has probability at ' +
        'least p̲_A > ½, g cannot change within L2 radius σ·Φ⁻¹(p̲_A), whatever the network inside.',
      'p̲_A is estimated by sampling (n noisy copies) with a Clopper–Pearson lower confidence bound, so the ' +
        'certificate holds with probability 1 − α over the sampling, not with certainty. When p̲_A ≤ ½ the ' +
        'procedure abstains: it will not vouch for any class. Larger σ gives larger radii but a noisier, less ' +
        'accurate g; a base network trained with the same Gaussian noise keeps g accurate. The certificate is ' +
        'for L2 only, and for g — an attack on the base network alone (DeepFool) is on another classifier.',
    ],
  },
  'complete-verification': {
    title: 'Complete and incomplete verification',
    paragraphs: [
      'IBP and CROWN are incomplete: when they fail to prove an image robust it may still be robust, the bound ' +
        'was just too loose. A complete verifier decides the question exactly — for a ReLU network, e.g. by ' +
        'mixed-integer linear programming with one binary variable per unstable ReLU (Tjeng, Xiao & Tedrake 2019) ' +
        '— and so would close the band, but its cost grows exponentially with the unstable ReLUs, which is why ' +
        'this app, running in a browser, uses the incomplete bounds and shows the band that remains.',
    ],
  },
};

export const conceptElementId = (id: ConceptId) => `concept-${id}`;

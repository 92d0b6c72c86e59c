/**
 * What each attack method, each norm and each training defense is, in a sentence a learner reads beside the attack
 * lab's and the training lab's choices. Text for
 * teachers to edit, kept with the lessons, presets and explanations (src/state/teaching). BIM is cited as Kurakin,
 * Goodfellow & Bengio 2016 (arXiv:1607.02533), the version that introduced it.
 */
import type { AttackMethod, Norm } from '../../core/attacks/types';
import type { AdversarialMethod } from '../../core/train/defenseNames';

export const METHOD_HELP: Record<AttackMethod, string> = {
  fgsm: 'FGSM (Goodfellow et al. 2015): one step of size ε along the sign of the loss gradient.',
  bim: 'BIM (Kurakin et al. 2016): many small FGSM steps, each projected back into the ε-ball.',
  pgd: 'PGD (Madry et al. 2018): BIM from a random start in the ε-ball, optionally restarted.',
  'apgd-ce':
    'APGD-CE (Croce & Hein 2020): PGD that sets its own step size (2ε, halved when progress stalls) and uses ' +
    'momentum; cross-entropy loss.',
  'apgd-dlr':
    'APGD-DLR (Croce & Hein 2020): APGD on the Difference-of-Logits-Ratio loss, which a saturated softmax cannot hide.',
  'apgd-t':
    'APGD-T (Croce & Hein 2020): targeted DLR toward each of the 9 runner-up classes in turn; any wrong class counts.',
  'autoattack-lite':
    'AutoAttack-lite: APGD-CE, then APGD-T on what survives — a subset of Croce & Hein’s AutoAttack (no FAB, no ' +
    'Square), never AutoAttack itself.',
  'cw-l2':
    'Carlini & Wagner L2 (2017): searches for the smallest L2 perturbation that fools the model; ε is the budget a ' +
    'success must fit in.',
};

export const NORM_HELP: Record<Norm, string> = {
  linf: 'L∞: every pixel may change by at most ε — a faint change spread everywhere.',
  l2: 'L2: the Euclidean length of δ is at most ε — larger changes on fewer pixels.',
};

/** The training lab's defense choice: what a run with it trains on. */
export const DEFENSE_HELP: Record<AdversarialMethod | 'certified' | 'noise', string> = {
  fgsm: 'One step of size ε from the image: the model learns to beat this one step — watch the robust curve.',
  'fgsm-rs': 'One step of 1.25·ε from a random point of the ε-ball: cheap, nearly as robust as PGD.',
  pgd: 'K steps from a random start: the strong, K + 1 times slower recipe.',
  trades: 'Clean loss plus β × how much the prediction changes within the ε-ball.',
  certified: 'Trains on the worst case of the interval (or CROWN-IBP) bounds over the ε-box: a proof, not an attack.',
  noise: 'Trains on x + N(0, σ²): the base network of a smoothed classifier certified at the same σ.',
};

/**
 * The strong evaluation of the analysis view: the same models under PGD, APGD-CE and AutoAttack-lite at equal
 * iterations (Croce & Hein 2020), so the curves show how much a weaker attack overstates robustness, and the
 * sanity checks compare them (APGD never weaker than PGD).
 */
import type { RobustnessRequest } from '../../worker/api';

/** L∞ budgets around Madry et al.'s MNIST ε = 0.3. */
export const STRONG_EPS = [0.1, 0.2, 0.3, 0.4];
/** Iterations of every attack (AutoAttack-lite: of each of its runs). */
export const STRONG_STEPS = 20;

export const STRONG_GROUPS: RobustnessRequest['groups'] = [
  { attack: { name: 'fgsm', norm: 'linf' }, eps: STRONG_EPS },
  { attack: { name: 'pgd', norm: 'linf', steps: STRONG_STEPS }, eps: STRONG_EPS },
  { attack: { name: 'apgd-ce', norm: 'linf', steps: STRONG_STEPS }, eps: STRONG_EPS },
  { attack: { name: 'autoattack-lite', norm: 'linf', steps: STRONG_STEPS }, eps: STRONG_EPS },
];

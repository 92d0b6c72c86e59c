/**
 * Yan et al. (ICLR 2020)'s MNIST evaluation protocol (as in their paper and released code) and the robust
 * accuracies the authors released, which the analysis view shows beside ours, labelled as theirs.
 */
import type { RobustnessRequest } from '../../worker/api';

export const YAN_GROUPS: RobustnessRequest['groups'] = [
  // σ ∈ {50, 75, 100} on the 0–255 scale, i.e. σ/255 in pixel units.
  { attack: { name: 'gaussian' }, eps: [50 / 255, 75 / 255, 100 / 255] },
  { attack: { name: 'fgsm', norm: 'linf' }, eps: [0.15, 0.3, 0.5] },
  // PGD: 10 iterations, step 0.04 at ε = 0.2 and 0.06 at ε = 0.3.
  { attack: { name: 'pgd', norm: 'linf', steps: 10, alpha: 0.04 }, eps: [0.2] },
  { attack: { name: 'pgd', norm: 'linf', steps: 10, alpha: 0.06 }, eps: [0.3] },
];

/** The authors' images: 1,000 random test images. Ours: the first N (same for every model). */
export const YAN_IMAGES = 1000;

export interface ReleasedPoint {
  model: 'CNN' | 'ODENet';
  attack: 'fgsm';
  eps: number;
  accuracy: number;
}

/**
 * FGSM robust accuracy released by the authors (mean of three runs). Their FGSM is a sign step on
 * a log-softmax margin loss, ours on cross-entropy: expect the same ordering, not the same numbers.
 */
export const YAN_RELEASED: readonly ReleasedPoint[] = [
  { model: 'CNN', attack: 'fgsm', eps: 0.15, accuracy: 0.855 },
  { model: 'CNN', attack: 'fgsm', eps: 0.3, accuracy: 0.54 },
  { model: 'CNN', attack: 'fgsm', eps: 0.5, accuracy: 0.16 },
  { model: 'ODENet', attack: 'fgsm', eps: 0.15, accuracy: 0.94 },
  { model: 'ODENet', attack: 'fgsm', eps: 0.3, accuracy: 0.71 },
  { model: 'ODENet', attack: 'fgsm', eps: 0.5, accuracy: 0.2 },
];

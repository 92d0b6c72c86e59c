/** The attack lab: one attack on one image with the current model, or the same attack over an ε grid. */
import type { AttackOptions, ResolvedAttackOptions } from '../../core/attacks/types';
import type { Progress } from '../../core/util/progress';
import type { Prediction } from './model';

export interface AttackRequest {
  /** h × w × c values in [0,1]. */
  image: Float32Array;
  /** The true label, or the model's clean prediction when it is unknown (a dropped photo). */
  label: number;
  options: AttackOptions;
}

export interface AttackOutcome {
  original: Prediction;
  adversarial: Prediction;
  adversarialImage: Float32Array;
  /** adversarialImage − image. */
  perturbation: Float32Array;
  linf: number;
  l2: number;
  /** Untargeted: prediction ≠ label. Targeted: prediction = target. */
  success: boolean;
  /** The class aimed at, for targeted attacks. */
  target?: number;
  /** Every parameter that ran, defaults filled in. */
  options: ResolvedAttackOptions;
  ms: number;
  /** The tfjs backend the attack actually ran on. */
  backend: string;
}

export interface AttackApi {
  attack(request: AttackRequest, onProgress?: (p: Progress) => void): Promise<AttackOutcome>;
  /** Attacks at each ε of `epsValues` (same other options): the data behind the ε scrubber. */
  attackSweep(
    request: AttackRequest,
    epsValues: number[],
    onProgress?: (p: Progress) => void,
  ): Promise<AttackOutcome[]>;
  /** Stops the attacks and sweeps started so far (they reject with a CancelledError), and no other work. */
  cancelAttacks(): void;
}

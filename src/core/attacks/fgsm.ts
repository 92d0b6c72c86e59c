/**
 * Fast Gradient Sign Method (Goodfellow et al. 2015): one step of size ε along the steepest-ascent
 * direction of the objective, x' = clip[0,1](x + ε·sign(∇ₓL)); for L2, x + ε·∇ₓL/‖∇ₓL‖₂.
 * No random start.
 */
import * as tf from '@tensorflow/tfjs';
import type { LogitsFn } from '../models/classifier';
import { objectiveGradient, type AttackGoal } from './objective';
import { steepestAscentDirection } from './norms';
import type { Norm } from './types';

export function fgsm(logitsFn: LogitsFn, x: tf.Tensor4D, goal: AttackGoal, eps: number, norm: Norm): tf.Tensor4D {
  return tf.tidy(() => {
    const grad = objectiveGradient(logitsFn, x, goal);
    return tf.clipByValue(tf.add(x, tf.mul(eps, steepestAscentDirection(grad, norm))), 0, 1) as tf.Tensor4D;
  });
}

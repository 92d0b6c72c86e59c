/**
 * JEM's refinement defence (Grathwohl et al., ICLR 2020, §5.3): before classifying, move the input K SGLD steps
 * down the model's own energy E(x) = −logsumexp f(x), then classify where it lands. K = 0 is the plain classifier.
 *
 * The refined classifier is stochastic (the SGLD noise) and iterative, the two ways a defence can hide gradients
 * (Athalye, Carlini & Wagner 2018, §4.1–4.2). So it is attacked as a whole: its logits are the mean over S noise
 * draws of f(SGLD_K(x)) (Expectation over Transformation, §4.2), computed with every step on the gradient tape, so
 * an attack's ∂/∂x runs back through the K steps and averages over the draws. Each call draws fresh noise (a seeded
 * counter), so an attack's iterations see different draws, as EOT requires. A gain that holds against this attack
 * is not mere masking of the gradient by the noise or the steps; one that vanishes under it was.
 */
import * as tf from '@tensorflow/tfjs';
import type { Classifier, LogitsFn } from '../models/classifier';
import { sgldStep, validateSgld } from '../train/jem/sgld';
import { InvalidOptionError } from '../util/errors';

export interface RefinementConfig {
  /** K SGLD steps before classifying (0: none). */
  steps: number;
  /** Step size and noise in input units. */
  stepSize: number;
  noise: number;
  /** S noise draws whose logits are averaged (EOT). */
  draws: number;
  seed: number;
  range?: [number, number];
}

/** The classifier with K refinement steps in front, differentiable end to end. */
export function refinedClassifier(clf: Classifier, c: RefinementConfig): Classifier {
  const range = c.range ?? [0, 1];
  validateSgld({ steps: c.steps, stepSize: c.stepSize, noise: c.noise, range });
  if (!Number.isInteger(c.draws) || c.draws < 1 || c.draws > 1000)
    throw new InvalidOptionError('the EOT draws must be a whole number from 1 to 1000.');
  if (c.steps === 0) return clf;
  let calls = 0;
  const logits: LogitsFn = (x) =>
    tf.tidy(() => {
      const call = calls++;
      const perDraw: tf.Tensor2D[] = [];
      for (let s = 0; s < c.draws; s++) {
        let xk = x;
        for (let k = 0; k < c.steps; k++) {
          const seed = (c.seed * 1_000_003 + call * 9_973 + s * 101 + k + 1) % 2_147_483_647;
          xk = sgldStep(clf.logits, xk, { stepSize: c.stepSize, noise: c.noise, range }, seed);
        }
        perDraw.push(clf.logits(xk));
      }
      return (c.draws === 1 ? perDraw[0] : tf.div(tf.addN(perDraw), c.draws)) as tf.Tensor2D;
    });
  return { ...clf, logits };
}

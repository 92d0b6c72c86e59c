/**
 * What one optimizer step minimises: the trainer's extension point. Standard training minimises the
 * cross-entropy of the batch; adversarial training first crafts inputs (outside the gradient tape, with the
 * model in inference mode) and then minimises a loss on them; certified training minimises a loss on bounds.
 * The trainer adds what every objective shares (the ODE blocks' auxiliary loss, weight decay) and owns the
 * optimizer, the data order, the reports and stop/resume.
 */
import * as tf from '@tensorflow/tfjs';

/** Where in the run a step is, for schedules (ε warm-up, κ ramps) and seeds. */
export interface StepContext {
  /** 0-based epoch. */
  epoch: number;
  /** Epochs done, fractional: epoch + (batch in epoch)/(batches per epoch). */
  epochProgress: number;
  /** Total epochs of the run. */
  epochs: number;
  /** A seed unique to this step, derived from the run's seed. */
  seed: number;
}

export interface ObjectiveLoss {
  loss: tf.Scalar;
  /** Logits of the examples whose accuracy the report shows as training accuracy ([n, k], labels `y`). */
  logits: tf.Tensor2D;
}

export interface TrainingObjective {
  /** One line for the run's description and the model's metadata, e.g. "PGD-10 adversarial training, ε = 0.3". */
  readonly description: string;
  /**
   * Runs before the gradient step, outside the tape: e.g. crafts adversarial examples. Returns tensors the loss
   * reads (the trainer disposes them after the step); none by default.
   */
  prepare?(model: tf.LayersModel, x: tf.Tensor4D, y: tf.Tensor1D, ctx: StepContext): Promise<tf.Tensor[]>;
  /** Inside optimizer.minimize (training mode): the loss to minimise. */
  loss(model: tf.LayersModel, x: tf.Tensor4D, y: tf.Tensor1D, prepared: tf.Tensor[], ctx: StepContext): ObjectiveLoss;
  /** Short labels of this step's schedule values for the reports (e.g. the warmed-up ε), if any. */
  schedule?(ctx: StepContext): Record<string, number>;
  /**
   * After each step (its loss read): why the run must stop, or null. The trainer then restores the weights of
   * its last report and ends the run (JEM's divergence check).
   */
  afterStep?(): Promise<string | null>;
}

/** Mean softmax cross-entropy of logits against integer labels. */
export function crossEntropy(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1]), logits) as tf.Scalar;
}

/** Plain empirical risk minimisation: the cross-entropy of the batch as it is. */
export const STANDARD_OBJECTIVE: TrainingObjective = {
  description: 'standard training (cross-entropy)',
  loss(model, x, y) {
    const logits = model.apply(x, { training: true }) as tf.Tensor2D;
    return { loss: crossEntropy(logits, y), logits };
  },
};

/**
 * Fully connected ReLU networks for the width × depth × initialisation studies of Zhu et al.
 * (NeurIPS 2022): `depth` hidden layers of `width` units, optional biases,
 * and one of three initialisations with the exact variances:
 *
 *   he     W ~ N(0, 2/fan_in)
 *   lecun  W ~ N(0, 1/fan_in)
 *   ntk    W ~ N(0, 1), pre-activation scaled by √(c/fan_in), c = 2 on hidden (ReLU) layers and
 *          c = 1 on the output layer (the constants that keep the forward variance of He/LeCun)
 *   small  W ~ N(0, 1/(fan_in·width)), the non-lazy regime's small initialisation (initialisations.ts)
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';
import { checkValue } from '../options/field';
import { MODEL_FIELDS } from '../options/trainingOptions';
import { redrawKernel } from './layers/exactNormal';
import { initStddev, type Initialisation, INITIALISATIONS } from './layers/initialisations';
import { Scale } from './layers/scale';

export interface MlpConfig {
  width: number;
  depth: number;
  useBias: boolean;
  init: Initialisation;
  seed: number;
  inputShape: [number, number, number];
  classes: number;
}

export const NTK_HIDDEN_C = 2;
export const NTK_OUTPUT_C = 1;

export function buildMlp(c: MlpConfig): tf.LayersModel {
  const invalid = (message: string) => new InvalidOptionError(`MLP ${message}`);
  checkValue(MODEL_FIELDS.width, c.width, { arch: 'mlp' }, invalid);
  checkValue(MODEL_FIELDS.depth, c.depth, { arch: 'mlp' }, invalid);
  if (!(INITIALISATIONS as readonly string[]).includes(c.init))
    throw new InvalidOptionError(`Unknown initialisation "${c.init}".`);
  const input = tf.input({ shape: c.inputShape, name: 'image' });
  let h = tf.layers.flatten({ name: 'flatten' }).apply(input) as tf.SymbolicTensor;
  let fanIn = c.inputShape[0] * c.inputShape[1] * c.inputShape[2];
  const draws: { layer: tf.layers.Layer; stddev: number; seed: number }[] = [];
  for (let layer = 0; layer <= c.depth; layer++) {
    const isOutput = layer === c.depth;
    const units = isOutput ? c.classes : c.width;
    const name = isOutput ? 'logits' : `hidden${layer + 1}`;
    const dense = tf.layers.dense({ units, useBias: c.useBias, name: c.init === 'ntk' ? `${name}_raw` : name });
    h = dense.apply(h) as tf.SymbolicTensor;
    draws.push({ layer: dense, stddev: initStddev(c.init, fanIn, c.width), seed: c.seed * 1009 + layer });
    if (c.init === 'ntk') {
      const constant = isOutput ? NTK_OUTPUT_C : NTK_HIDDEN_C;
      h = new Scale({ factor: Math.sqrt(constant / fanIn), name }).apply(h) as tf.SymbolicTensor;
    }
    if (!isOutput) h = tf.layers.reLU({ name: `${name}_relu` }).apply(h) as tf.SymbolicTensor;
    fanIn = units;
  }
  const model = tf.model({ inputs: input, outputs: h, name: `mlp_${c.width}x${c.depth}_${c.init}` });
  for (const d of draws) redrawKernel(d.layer, d.stddev, d.seed);
  return model;
}

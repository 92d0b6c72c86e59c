/**
 * A residual convnet whose depth is a parameter at fixed width, for Xie & Yuille's (2020, §5) finding that
 * adversarial training needs depth more than standard training does (their ResNet-152 → 638). He et al.'s
 * (2016) basic block, sized for wasm:
 *
 *   stem:   conv 3×3 stride 2 (same), W channels → norm → ReLU        28×28 → 14×14 (32×32 → 16×16)
 *   block:  z + norm(conv(ReLU(norm(conv(z)))))  then ReLU          × D, all at W channels, 14×14
 *   head:   global average pool → dense W → classes (logits)
 *
 * Every block adds 2·(9·W² + W) conv parameters, so the width stays fixed while the depth grows. `norm` is
 * none, batch (optionally split, Xie & Yuille 2020 §4) or group. He-normal initialisation, seeded per layer.
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';
import { normLayer, type NormSettings } from './normalisation';
import { checkValue } from '../options/field';
import { ARCH_SIZE_DEFAULTS, MODEL_FIELDS } from '../options/trainingOptions';

export const RESIDUAL_CNN_ARCH = 'res-cnn';
export const RESIDUAL_CNN_DEFAULTS = ARCH_SIZE_DEFAULTS['res-cnn'];

export interface ResidualCnnConfig {
  seed: number;
  inputShape: [number, number, number];
  classes: number;
  /** Channels of every conv. */
  width: number;
  /** Residual blocks D. */
  depth: number;
  norm: NormSettings;
}

/** Layer names carry the block index, so tests and views can count blocks: "res_block_3_add". */
export function residualBlockName(block: number, part: string): string {
  return `res_block_${block}_${part}`;
}

export function buildResidualCnn(c: ResidualCnnConfig): tf.LayersModel {
  const invalid = (message: string) => new InvalidOptionError(`the residual CNN's ${message}`);
  checkValue(MODEL_FIELDS.depth, c.depth, { arch: 'res-cnn' }, invalid);
  checkValue(MODEL_FIELDS.width, c.width, { arch: 'res-cnn' }, invalid);
  const he = (offset: number) => tf.initializers.heNormal({ seed: c.seed * 101 + offset });
  const conv = (offset: number, name: string, strides = 1) =>
    tf.layers.conv2d({
      filters: c.width,
      kernelSize: 3,
      strides,
      padding: 'same',
      kernelInitializer: he(offset),
      name,
    });
  const normed = (z: tf.SymbolicTensor): tf.SymbolicTensor => {
    const layer = normLayer(c.norm, c.width);
    return layer ? (layer.apply(z) as tf.SymbolicTensor) : z;
  };
  const input = tf.input({ shape: c.inputShape });
  let z = conv(1, 'stem_conv', 2).apply(input) as tf.SymbolicTensor;
  z = tf.layers.reLU().apply(normed(z)) as tf.SymbolicTensor;
  for (let b = 1; b <= c.depth; b++) {
    let h = conv(10 * b, residualBlockName(b, 'conv1')).apply(z) as tf.SymbolicTensor;
    h = tf.layers.reLU().apply(normed(h)) as tf.SymbolicTensor;
    h = normed(conv(10 * b + 1, residualBlockName(b, 'conv2')).apply(h) as tf.SymbolicTensor);
    z = tf.layers.add({ name: residualBlockName(b, 'add') }).apply([z, h]) as tf.SymbolicTensor;
    z = tf.layers.reLU().apply(z) as tf.SymbolicTensor;
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(z) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: c.classes, kernelInitializer: he(2) }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: `res_cnn_d${c.depth}_w${c.width}` });
}

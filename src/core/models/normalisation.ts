/**
 * The normalisation a convnet puts after each conv (`--norm`): none, batch norm (Ioffe & Szegedy 2015) with one
 * or two sets of statistics (split for adversarial training, Xie & Yuille 2020, §4), or group norm (Wu & He
 * 2018), which does not depend on the batch. A module without TensorFlow.js for the names; `normLayer` builds.
 */
import * as tf from '@tensorflow/tfjs';
import { BatchNorm } from './layers/batchNorm';
import { defaultGroups, GroupNorm } from './layers/groupNorm';
import { NORMALISATIONS, type Normalisation, type NormSettings } from './normalisationNames';

export { NORMALISATIONS, type Normalisation, type NormSettings };

/** The normalisation layer after a conv of `channels` outputs, or null for none. */
export function normLayer(settings: NormSettings, channels: number): tf.layers.Layer | null {
  if (settings.norm === 'batch') return new BatchNorm({ branches: settings.splitBatchNorm ? 2 : 1 });
  if (settings.norm === 'group') return new GroupNorm({ groups: defaultGroups(channels) });
  return null;
}

/** conv → [norm] → ReLU: the conv keeps its fused ReLU without a norm, and hands it to a layer after one. */
export function convNormRelu(
  settings: NormSettings,
  conv: (activation: 'relu' | 'linear') => tf.layers.Layer,
  channels: number,
): tf.layers.Layer[] {
  const norm = normLayer(settings, channels);
  if (!norm) return [conv('relu')];
  return [conv('linear'), norm, tf.layers.reLU()];
}

/**
 * Element-wise activations as the bound propagators see them. A non-decreasing σ maps an interval [l, u] to
 * [σ(l), σ(u)] exactly (Gowal et al. 2018, §3: "monotonic activation functions"), so IBP takes every monotone
 * activation tfjs names; CROWN relaxes only ReLU (Zhang et al. 2018 give lines for others; this project's
 * models use ReLU). GELU, swish, mish and softmax are not monotone (or not element-wise) and are refused.
 */
import * as tf from '@tensorflow/tfjs';
import { UnsupportedLayerError } from '../util/errors';
import { describeLayer } from './layerGraph';

export type Monotone = (x: tf.Tensor) => tf.Tensor;

/** tfjs' serialised activation names that are non-decreasing, with their functions. */
const MONOTONE: Record<string, Monotone> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  sigmoid: (x) => tf.sigmoid(x),
  hardSigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  tanh: (x) => tf.tanh(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
};

/** The activation a Dense or Conv2D layer applies after its affine map ('linear' when none). */
export function fusedActivationName(layer: tf.layers.Layer): string {
  const name = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof name === 'string' ? name : 'linear';
}

/** The monotone function of a named activation, or a refusal naming the layer. */
export function monotoneActivation(name: string, layer: tf.layers.Layer): Monotone {
  const f = MONOTONE[name];
  if (!f) {
    throw new UnsupportedLayerError(
      `Interval bounds need a non-decreasing activation; ${describeLayer(layer)} uses "${name}".`,
    );
  }
  return f;
}

/**
 * The element-wise function of an activation-only layer (ReLU, LeakyReLU, ELU, Activation), or null when the
 * layer is not one of them.
 */
export function activationLayerFunction(layer: tf.layers.Layer): Monotone | null {
  const config = layer.getConfig() as { maxValue?: number | null; alpha?: number; activation?: string };
  switch (layer.getClassName()) {
    case 'ReLU': {
      const max = config.maxValue;
      return max == null ? (x) => tf.relu(x) : (x) => tf.clipByValue(x, 0, max);
    }
    case 'LeakyReLU': {
      const alpha = config.alpha ?? 0.3;
      if (!(alpha >= 0)) {
        throw new UnsupportedLayerError(`${describeLayer(layer)} has a negative slope ${alpha}; it is not monotone.`);
      }
      return (x) => tf.leakyRelu(x, alpha);
    }
    case 'ELU': {
      const alpha = config.alpha ?? 1;
      if (!(alpha >= 0)) {
        throw new UnsupportedLayerError(`${describeLayer(layer)} has α = ${alpha}; it is not monotone.`);
      }
      return (x) => tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), alpha));
    }
    case 'Activation':
      return monotoneActivation(config.activation ?? 'linear', layer);
    default:
      return null;
  }
}

/** True when the activation-only layer is a plain ReLU (what CROWN relaxes). */
export function isPlainRelu(layer: tf.layers.Layer): boolean {
  const config = layer.getConfig() as { maxValue?: number | null; activation?: string };
  const cls = layer.getClassName();
  return (cls === 'ReLU' && config.maxValue == null) || (cls === 'Activation' && config.activation === 'relu');
}

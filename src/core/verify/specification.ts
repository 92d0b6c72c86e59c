/**
 * The robustness specification: the class c of each image stays on top, i.e. every margin z_c − z_j ≥ 0. As a
 * matrix C with rows e_c − e_j (one per class j; the row j = c is zero), the margins are C·z, and folding C into
 * the last affine layer(s) bounds C·W·h + C·b directly (Gowal et al. 2018, §3, "elision of the last layer"),
 * which is tighter than subtracting separately bounded logits. CROWN starts its backward pass from the same C
 * (Zhang et al. 2018, §3).
 */
import * as tf from '@tensorflow/tfjs';
import { biasTerm, type LinearMap } from './linearMaps';
import { centreRadius, type Interval } from './interval';

/**
 * One-hot rows as float32. Cast from tfjs' int32 one-hot rather than asking for float32: tfjs-backend-wasm 4.22
 * ignores the dtype argument and writes int32 bits into the float buffer (1 reads as 1.4e−45).
 */
export function oneHotFloat(indices: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(tf.cast(indices, 'int32'), depth), 'float32') as tf.Tensor2D;
}

/** C of shape [n, K, K]: C[i, j] = e_{c_i} − e_j. */
export function marginSpecification(classes: tf.Tensor1D, numClasses: number): tf.Tensor3D {
  return tf.sub(
    tf.expandDims(oneHotFloat(classes, numClasses), 1),
    tf.expandDims(tf.eye(numClasses), 0),
  ) as tf.Tensor3D;
}

/**
 * Lower bounds of the margins C·z when z = L(h) for a chain of affine maps L (last map first) and h in a box:
 * the rows of C are carried back through the maps (C·W_k ⋯ W_1, with the biases collected on the way), and
 * the box then bounds each row exactly: row·μ − |row|·r. Returns [n, K], zero at j = c.
 */
export function foldedMarginLowerBounds(
  spec: tf.Tensor3D,
  mapsLastFirst: LinearMap[],
  outputShape: number[],
  input: Interval,
): tf.Tensor2D {
  const [n, k] = spec.shape;
  let rows: tf.Tensor = tf.reshape(spec, [n * k, ...outputShape]);
  let offset: tf.Tensor = tf.zeros([n * k]);
  for (const map of mapsLastFirst) {
    const bias = map.bias();
    if (bias) offset = tf.add(offset, biasTerm(rows, bias));
    rows = map.transpose(rows);
  }
  const { centre, radius } = centreRadius(input);
  const flat = tf.reshape(rows, [n, k, -1]);
  const mu = tf.sum(tf.mul(flat, tf.reshape(centre, [n, 1, -1])), 2);
  const r = tf.sum(tf.mul(tf.abs(flat), tf.reshape(radius, [n, 1, -1])), 2);
  return tf.add(tf.sub(mu, r), tf.reshape(offset, [n, k])) as tf.Tensor2D;
}

/**
 * The worst-case logits ẑ of IBP training (Gowal et al. 2018, §3, with the elided last layer): ẑ_j is the
 * upper bound of z_j − z_c, i.e. minus the margin's lower bound, and ẑ_c = 0. CE(ẑ, c) is the robust loss.
 */
export function worstCaseLogits(marginLower: tf.Tensor2D): tf.Tensor2D {
  return tf.neg(marginLower);
}

/** Whether every margin other than j = c has a positive lower bound: [n] booleans. */
export function certifiedByMargins(marginLower: tf.Tensor2D, classes: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const k = marginLower.shape[1];
    const onTop = oneHotFloat(classes, k);
    // Lift the j = c entry (always 0) above every real margin before taking the minimum.
    const others = tf.add(marginLower, tf.mul(onTop, 1e30));
    return tf.greater(tf.min(others, 1), 0) as tf.Tensor1D;
  });
}

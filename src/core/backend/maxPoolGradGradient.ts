/**
 * The gradient of MaxPoolGrad, which tfjs lacks: needed wherever a gradient is differentiated again through a
 * max-pooling network — JEM's SGLD refinement attacked through its steps (Athalye, Carlini & Wagner 2018 §4: the
 * attack differentiates through the defence), a gradient-norm score's own gradient. Without it such a job ends in
 * "gradient function not found for MaxPoolGrad" (found on the CIFAR-10 JEM, whose CNN pools).
 *
 * MaxPoolGrad(dy, x, y) scatters each window's dy to the first position in the window holding its maximum y (the
 * rule of tfjs' cpu backend and of this project's wasm kernel). It is linear in dy, so its gradient with respect to
 * dy gathers: for an upstream g shaped like x, g at that same position, per window. The selection is piecewise
 * constant in x and y, so their gradients are zero (almost everywhere). Built from tfjs ops (pad, strided slices,
 * comparisons), it runs on every backend. Where a window holds several maxima — in practice ReLU zeros, whose own
 * gradient is zero — only the first counts, as in the scatter.
 */
import * as tf from '@tensorflow/tfjs';
import { backend_util, type GradConfig, type NamedAttrMap, type Tensor, type Tensor4D } from '@tensorflow/tfjs';

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Per window of the pooling, the value of `g` where `x` first reaches the window's maximum `y`. */
export function gatherAtFirstMaxima(g: Tensor4D, x: Tensor4D, y: Tensor4D, attrs: PoolAttrs): Tensor4D {
  const info = backend_util.computePool2DInfo(
    x.shape,
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { outHeight, outWidth, strideHeight, strideWidth, effectiveFilterHeight: kh, effectiveFilterWidth: kw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Pad so every window lies inside; padded x is −∞ (never a maximum), padded g is 0.
  const bottom = Math.max(0, (outHeight - 1) * strideHeight + kh - x.shape[1] - top);
  const right = Math.max(0, (outWidth - 1) * strideWidth + kw - x.shape[2] - left);
  return tf.tidy(() => {
    const padding: [number, number][] = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const xp = tf.pad(x, padding, Number.NEGATIVE_INFINITY);
    const gp = tf.pad(g, padding, 0);
    const [n, , , c] = x.shape;
    const slice = (t: Tensor4D, i: number, j: number) =>
      tf.stridedSlice(
        t,
        [0, i, j, 0],
        [n, i + (outHeight - 1) * strideHeight + 1, j + (outWidth - 1) * strideWidth + 1, c],
        [1, strideHeight, strideWidth, 1],
      ) as Tensor4D;
    let taken = tf.zerosLike(y).cast('bool');
    let gathered = tf.zerosLike(y);
    // Window positions in the scan order of the scatter (rows, then columns): the first maximum wins.
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const isMax = tf.logicalAnd(tf.equal(slice(xp, i, j), y), tf.logicalNot(taken));
        gathered = tf.add(gathered, tf.where(isMax, slice(gp, i, j), tf.zerosLike(y)));
        taken = tf.logicalOr(taken, isMax);
      }
    }
    return gathered as Tensor4D;
  });
}

export const maxPoolGradGradConfig: GradConfig = {
  kernelName: 'MaxPoolGrad',
  inputsToSave: ['dy', 'input', 'output'],
  gradFunc: (g: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [, x, y] = saved as [Tensor4D, Tensor4D, Tensor4D];
    const upstream = g as Tensor4D;
    return {
      dy: () => gatherAtFirstMaxima(upstream, x, y, attrs as unknown as PoolAttrs),
      input: () => tf.zerosLike(x),
      output: () => tf.zerosLike(y),
    };
  },
};

/** Installs the gradient once, for every backend (the registry is global). */
export function registerMaxPoolGradGradient(): void {
  if (tf.getGradient('MaxPoolGrad') === undefined) tf.registerGradient(maxPoolGradGradConfig);
}

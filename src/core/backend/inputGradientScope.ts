/**
 * A scope in which only gradients with respect to a computation's inputs are wanted, never those
 * of its parameters: an attack's ∇ₓ. tfjs' fused convolution (what tf.layers.conv2d runs) computes
 * the gradients of its input, filter and bias together whenever one is asked for, so every attack
 * step paid for each layer's filter gradient too — measured: a third of a PGD step on the
 * paper-size Yan et al. CNN on wasm. Inside the scope the project's wasm Conv2DBackpropFilter
 * returns zeros without computing; the attack discards those gradients anyway.
 *
 * Sound when no convolution filter is computed from the input being differentiated (true of every
 * model here: filters are weights). Synchronous only: the scope ends when `fn` returns.
 */
let depth = 0;

export function withInputGradientsOnly<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/** True inside withInputGradientsOnly: filter gradients may be skipped. */
export function parameterGradientsUnwanted(): boolean {
  return depth > 0;
}

/**
 * The three MNIST models of Yan et al. (ICLR 2020, and the authors' TisODE code), sharing one feature
 * extractor and one head, differing only in the middle block:
 *
 *   extractor: conv 3×3 (1→C, valid) → GN → ReLU → conv 4×4 stride 2 (C→C, pad 1) → GN → ReLU   28→26→13
 *   cnn:       residual block  z + ReLU(GN(conv(ReLU(GN(conv(z))))))
 *   odenet:    ODE block, f(t, z) with a concatenated time channel, integrated over [0, T]
 *   tisode:    ODE block, autonomous f, bias-free, + steady-state regulariser in training
 *   head:      global average pool → dense C→10 (paper); flatten → dense C·13·13→10 (classroom)
 *
 * "paper" is the published size (C = 64, Euler with step 0.1, ~141k parameters); "classroom" is
 * narrower and takes fewer steps so an epoch of MNIST trains in minutes on wasm.
 *
 * The same layers take colour input (CIFAR-10, 32×32×3): only the first conv's input channels
 * (1 → 3) and the map sizes (32→30→15) change. `inputShape` defaults to MNIST's.
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidOptionError } from '../util/errors';
import type { SolverName } from '../ode/solverNames';
import { defaultGroups, GroupNorm } from './layers/groupNorm';
import { OdeBlock, type SteadyStateConfig } from './layers/odeBlock';
import { ODE_STEPS_BY_SIZE } from '../options/trainingOptions';

export const YAN_ARCHS = ['cnn', 'odenet', 'tisode'] as const;
export type YanArch = (typeof YAN_ARCHS)[number];
export type ModelSize = 'paper' | 'classroom';

export interface YanModelConfig {
  arch: YanArch;
  channels: number;
  /**
   * GroupNorm groups. The paper uses min(32, C) (2 channels a group at C = 64). At the classroom
   * width that would be one channel a group (instance norm), after which the global average pool
   * sees almost the same statistics for every input and the network barely learns (measured: 26 %
   * train accuracy after 128 batches vs 4 channels a group), so the classroom size uses 4 groups.
   */
  groups: number;
  solver: SolverName;
  steps: number;
  endTime: number;
  /** TisODE only: the regulariser's interval and step (the authors' (0.9 … 1.5), step 0.05 at paper size). */
  steadyState?: SteadyStateConfig;
  seed: number;
  /** [height, width, channels] of the input; MNIST's 28×28×1 when absent. */
  inputShape?: [number, number, number];
  /**
   * The head: 'pool' (the paper: global average pool → dense C→10) or 'flatten' (flatten the
   * C×13×13 map → dense → 10). The classroom size flattens: with 16 channels and GroupNorm, the
   * pooled features carry too little for the model to learn in the epochs wasm allows (measured
   * on 8,000 images, 1 epoch: 21 % test accuracy with the pool head at the default recipe).
   */
  head?: 'pool' | 'flatten';
}

export const YAN_SIZES: Record<ModelSize, Omit<YanModelConfig, 'arch' | 'seed'>> = {
  paper: {
    channels: 64,
    groups: 32,
    solver: 'euler',
    steps: ODE_STEPS_BY_SIZE.paper,
    endTime: 1,
    steadyState: { from: 0.9, to: 1.5, dt: 0.05 },
  },
  classroom: {
    channels: 16,
    groups: 4,
    solver: 'euler',
    steps: ODE_STEPS_BY_SIZE.classroom,
    endTime: 1,
    steadyState: { from: 0.75, to: 1.5, dt: 0.25 },
    head: 'flatten',
  },
};

export function yanConfig(
  arch: YanArch,
  size: ModelSize,
  seed: number,
  overrides: Partial<YanModelConfig> = {},
): YanModelConfig {
  if (overrides.channels !== undefined && overrides.groups === undefined) {
    overrides = {
      ...overrides,
      groups: size === 'paper' ? defaultGroups(overrides.channels) : largestDivisorAtMost(overrides.channels, 4),
    };
  }
  if (!(YAN_ARCHS as readonly string[]).includes(arch)) throw new InvalidOptionError(`Unknown architecture "${arch}".`);
  return { arch, seed, ...YAN_SIZES[size], ...overrides };
}

function convGnRelu(
  x: tf.SymbolicTensor,
  c: number,
  groups: number,
  kernel: number,
  stride: number,
  padding: 'valid' | 'same',
  useBias: boolean,
  seed: number,
  name: string,
) {
  const conv = tf.layers
    .conv2d({
      filters: c,
      kernelSize: kernel,
      strides: stride,
      padding,
      useBias,
      kernelInitializer: tf.initializers.heNormal({ seed }),
      name: `${name}_conv`,
    })
    .apply(x) as tf.SymbolicTensor;
  const gn = new GroupNorm({ groups, name: `${name}_gn` }).apply(conv) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(gn) as tf.SymbolicTensor;
}

export function buildYanModel(config: YanModelConfig): tf.LayersModel {
  const { arch, channels: c, seed } = config;
  const g = config.groups;
  if (c % g !== 0) throw new InvalidOptionError(`${c} channels do not split into ${g} GroupNorm groups.`);
  const input = tf.input({ shape: config.inputShape ?? [28, 28, 1], name: 'image' });
  let z = convGnRelu(input, c, g, 3, 1, 'valid', true, seed * 101 + 1, 'extract1');
  z = convGnRelu(z, c, g, 4, 2, 'same', true, seed * 101 + 2, 'extract2');
  if (arch === 'cnn') {
    let r = convGnRelu(z, c, g, 3, 1, 'same', true, seed * 101 + 3, 'res1');
    r = convGnRelu(r, c, g, 3, 1, 'same', true, seed * 101 + 4, 'res2');
    z = tf.layers.add({ name: 'residual' }).apply([z, r]) as tf.SymbolicTensor;
  } else {
    z = new OdeBlock({
      channels: c,
      groups: g,
      timeDependent: arch === 'odenet',
      useBias: arch === 'odenet',
      solver: config.solver,
      steps: config.steps,
      endTime: config.endTime,
      steadyState: arch === 'tisode' ? config.steadyState : null,
      seed: seed * 101 + 3,
      name: 'ode_block',
    }).apply(z) as tf.SymbolicTensor;
  }
  const pooled = (
    config.head === 'flatten'
      ? tf.layers.flatten({ name: 'flatten' })
      : tf.layers.globalAveragePooling2d({ name: 'pool' })
  ).apply(z) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: 10, kernelInitializer: tf.initializers.heNormal({ seed: seed * 101 + 5 }), name: 'logits' })
    .apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: `yan_${arch}` });
}

function largestDivisorAtMost(n: number, max: number): number {
  let g = Math.min(n, max);
  while (n % g !== 0) g--;
  return g;
}

/** The ODE blocks of a model (their auxiliary losses feed TisODE's regulariser). */
export function odeBlocksOf(model: tf.LayersModel): OdeBlock[] {
  return model.layers.filter((l): l is OdeBlock => l instanceof OdeBlock);
}

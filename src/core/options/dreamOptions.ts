/**
 * The schema of a dream (see field.ts): class-conditional SGLD from noise or from the picture on screen toward one
 * class (Grathwohl et al., ICLR 2020, §5.1; Welling & Teh 2011). The attack lab's Dream panel renders from it and
 * the core's `dream` checks with it. Pure TypeScript.
 */
import type { OptionField } from './field';

/** Where a dream starts. */
export const DREAM_STARTS = ['noise', 'picture'] as const;
export type DreamStart = (typeof DREAM_STARTS)[number];

export const DREAM_FIELDS = {
  classIndex: {
    key: 'classIndex',
    label: 'Dream of class',
    symbol: 'the class',
    type: 'integer',
    min: 0,
    // The model's class count, when the caller knows it; ten (MNIST, CIFAR-10) otherwise.
    max: (ctx) => Number(ctx.classes ?? 10) - 1,
    default: 3,
    help: 'The class whose logit SGLD climbs: −f(x)[y] is the energy of x and y together.',
  },
  steps: {
    key: 'steps',
    label: 'SGLD steps',
    symbol: 'SGLD steps',
    type: 'integer',
    unit: 'steps',
    min: 1,
    max: 500,
    // `sample`'s default, with which the shipped JEM's dreams are judged (public/models/mnist-jem/model.json).
    default: 100,
    help: 'Each step: x ← clip(x − α·∂E/∂x + σ·noise), one gradient of the model.',
  },
  start: {
    key: 'start',
    label: 'Start from',
    type: 'enum',
    choices: DREAM_STARTS,
    default: 'noise',
    help: 'Uniform noise, or the picture on screen (“what would this look like as a 3?”).',
  },
} as const satisfies Record<string, OptionField>;

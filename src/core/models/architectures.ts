/**
 * The architectures the project can build, by id, and which data sets each can read. A module
 * without TensorFlow.js, so that the UI can offer the choice; registry.ts builds them.
 */
import type { DatasetName } from '../data/dataset';
import { InvalidOptionError } from '../util/errors';

export const ARCHITECTURES = [
  'cnn',
  'yan-cnn',
  'odenet',
  'tisode',
  'mlp',
  'homogeneous-cnn',
  'cifar-cnn',
  'strided-cnn',
  'res-cnn',
] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export function parseArchitecture(value: string): Architecture {
  if ((ARCHITECTURES as readonly string[]).includes(value)) return value as Architecture;
  throw new InvalidOptionError(`Unknown architecture "${value}". Choose one of: ${ARCHITECTURES.join(', ')}.`);
}

/** Architectures built for MNIST's 28×28×1 only. */
export const MNIST_ONLY_ARCHITECTURES: readonly Architecture[] = ['cnn', 'homogeneous-cnn'];

/** The architectures that can read a data set's images (the MNIST CNNs take 28×28×1 only). */
export function architecturesFor(dataset: DatasetName): Architecture[] {
  return ARCHITECTURES.filter((a) =>
    dataset === 'cifar10' ? !MNIST_ONLY_ARCHITECTURES.includes(a) : a !== 'cifar-cnn',
  );
}

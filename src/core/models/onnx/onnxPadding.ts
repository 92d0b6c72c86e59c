/**
 * Padding arithmetic shared by the importer and the exporter. ONNX states padding explicitly (pads, or auto_pad
 * SAME_UPPER/SAME_LOWER/VALID); tfjs layers know 'valid' and 'same', where 'same' pads
 * total = max((⌈n/s⌉ − 1)·s + k − n, 0) and puts the odd pixel at the end (TensorFlow's convention, i.e. ONNX's
 * SAME_UPPER). Padding that is neither becomes an explicit zero-padding layer.
 */
import type { OnnxNode } from './onnxFile';
import type { Pads } from './onnxOps';

/** tfjs' 'same' padding for one spatial axis: [before, after]. */
export function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** tfjs' 'same' padding of an h×w map as ONNX pads [top, left, bottom, right]. */
export function samePads(hw: [number, number], kernel: [number, number], strides: [number, number]): Pads {
  const [top, bottom] = samePadding(hw[0], kernel[0], strides[0]);
  const [left, right] = samePadding(hw[1], kernel[1], strides[1]);
  return [top, left, bottom, right];
}

/** A convolution's or pooling's pads as [top, left, bottom, right], from `pads` or `auto_pad`. */
export function convPads(
  node: OnnxNode,
  hw: [number, number],
  kernel: [number, number],
  strides: [number, number],
  refuse: (why: string) => never,
): Pads {
  const auto = node.attributes.get('auto_pad');
  if (typeof auto === 'string' && auto !== 'NOTSET') {
    if (auto === 'VALID') return [0, 0, 0, 0];
    const upper = samePads(hw, kernel, strides);
    if (auto === 'SAME_UPPER') return upper;
    if (auto === 'SAME_LOWER') return [upper[2], upper[3], upper[0], upper[1]];
    refuse(`has auto_pad "${auto}".`);
  }
  const pads = node.attributes.get('pads');
  if (pads === undefined) return [0, 0, 0, 0];
  if (!Array.isArray(pads) || pads.length !== 4) refuse('has pads that are not four numbers.');
  if (pads.some((p) => p < 0)) refuse('has negative pads.');
  return pads as Pads;
}

/** The output size of a pooling window, and whether ceil_mode would make it differ from floor. */
export function poolOutput(
  size: number,
  kernel: number,
  stride: number,
  totalPad: number,
  ceil: boolean,
): { size: number; ceilChanges: boolean } {
  const exact = (size + totalPad - kernel) / stride;
  const floor = Math.floor(exact) + 1;
  return { size: floor, ceilChanges: ceil && Math.ceil(exact) + 1 !== floor };
}

/** Whether pads are tfjs' 'valid' (none) or 'same' for this map, kernel and stride; null when neither. */
export function tfjsPadding(
  pads: Pads,
  hw: [number, number],
  kernel: [number, number],
  strides: [number, number],
): 'valid' | 'same' | null {
  if (pads.every((p) => p === 0)) return 'valid';
  const same = samePads(hw, kernel, strides);
  return same.every((p, i) => p === pads[i]) ? 'same' : null;
}

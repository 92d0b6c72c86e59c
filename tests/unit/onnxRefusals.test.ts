/**
 * Every graph the importer cannot take faithfully is refused in one sentence naming the operator and the node
 * (or the shape), and nothing is built; every layer the exporter cannot express is refused by name.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { useWasm } from './helpers/env';
import { fixture, makeModel, type TestNode } from './helpers/onnxFixtures';
import { classifierFromOnnx, inspectOnnx } from '../../src/core/models/onnx/importOnnx';
import { modelToOnnx } from '../../src/core/models/onnx/onnxExport';
import { buildModel } from '../../src/core/models/registry';
import { ModelFormatError } from '../../src/core/util/errors';

const MNIST = ['N', 1, 28, 28];
const W = { dims: [4, 1, 3, 3], values: Array.from({ length: 36 }, (_, i) => i / 36) };
const DENSE = { dims: [10, 784], values: Array.from({ length: 7840 }, (_, i) => (i % 7) / 7) };
const conv = (attrs: TestNode['attrs'] = []): TestNode => ({ op: 'Conv', inputs: ['x', 'w'], output: 'c', attrs });
const head: TestNode[] = [
  { op: 'Flatten', inputs: ['c'], output: 'f' },
  { op: 'Gemm', inputs: ['f', 'g'], output: 'y', attrs: [{ name: 'transB', i: 1 }] },
];
const headFor = (features: number) => ({ dims: [10, features], values: new Array(10 * features).fill(0.01) });

function refusal(bytes: Uint8Array): string {
  try {
    inspectOnnx(bytes, 'net.onnx');
  } catch (err) {
    expect(err).toBeInstanceOf(ModelFormatError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('the graph was accepted');
}

describe('ONNX import refusals', () => {
  beforeAll(useWasm);

  const cases: [string, Uint8Array, RegExp][] = [
    [
      'an unsupported operator',
      makeModel(MNIST, [{ op: 'Resize', inputs: ['x'], output: 'y' }]),
      /^net\.onnx: Node "n0" is Resize, which the playground cannot import; the importer supports Conv .*\.$/,
    ],
    [
      'a transpose other than NHWC ↔ NCHW',
      makeModel(MNIST, [
        { op: 'Transpose', inputs: ['x'], output: 'y', attrs: [{ name: 'perm', ints: [0, 1, 3, 2] }] },
      ]),
      /Node "n0" \(Transpose\) transposes by \[0,1,3,2\]; only NHWC → NCHW after the input/,
    ],
    [
      'a channels-last input read by a convolution',
      makeModel(['N', 28, 28, 1], [conv(), ...head], { w: W, g: headFor(4 * 26 * 26) }),
      /Node "n0" \(Conv\) reads a channels-last \[N, H, W, C\] tensor; only a Transpose to NCHW or a flatten may/,
    ],
    [
      'a grouped convolution',
      makeModel(MNIST, [conv([{ name: 'group', i: 2 }]), ...head], { w: W, g: headFor(4 * 26 * 26) }),
      /Node "n0" \(Conv\) is a grouped convolution \(group 2\)/,
    ],
    [
      'a dilated convolution',
      makeModel(MNIST, [conv([{ name: 'dilations', ints: [2, 2] }]), ...head], { w: W, g: headFor(4 * 24 * 24) }),
      /Node "n0" \(Conv\) is dilated; only dilation 1 imports/,
    ],
    [
      'an input of another size',
      makeModel(['N', 3, 64, 64], [{ op: 'Relu', inputs: ['x'], output: 'y' }]),
      /input "x" has shape \[N, 3, 64, 64\]; the playground imports \[N, 1, 28, 28\] \(MNIST\) or \[N, 3, 32, 32\]/,
    ],
    [
      'a softmax before the end',
      makeModel(
        MNIST,
        [
          { op: 'Flatten', inputs: ['x'], output: 'f' },
          { op: 'Softmax', inputs: ['f'], output: 's', attrs: [{ name: 'axis', i: 1 }] },
          { op: 'Gemm', inputs: ['s', 'g'], output: 'y', attrs: [{ name: 'transB', i: 1 }] },
        ],
        { g: DENSE },
      ),
      /Node "n1" \(Softmax\) is not the last node over the classes/,
    ],
    [
      'a reshape that is not a flatten',
      makeModel(MNIST, [{ op: 'Reshape', inputs: ['x', 'shape'], output: 'y' }], {
        shape: { dims: [3], values: [-1, 28, 28] },
      }),
      /Node "n0" \(Reshape\) reshapes \[N, 1, 28, 28\] to \[-1,28,28\]; only flattening/,
    ],
    [
      'a product of two computed tensors',
      makeModel(MNIST, [{ op: 'Mul', inputs: ['x', 'x'], output: 'y' }]),
      /Node "n0" \(Mul\) combines two computed tensors; only Add/,
    ],
    [
      'a constant divided by the data',
      makeModel(MNIST, [{ op: 'Div', inputs: ['k', 'x'], output: 'y' }], { k: { dims: [], values: [1] } }),
      /Node "n0" \(Div\) divides a constant by the data/,
    ],
    [
      'a constant that is not per channel',
      makeModel(MNIST, [{ op: 'Mul', inputs: ['x', 'k'], output: 'y' }], {
        k: { dims: [28], values: new Array(28).fill(1) },
      }),
      /Node "n0" \(Mul\) has a constant of shape \[28\], not one value or one per channel/,
    ],
    [
      'batch normalisation in training mode',
      makeModel(
        MNIST,
        [
          {
            op: 'BatchNormalization',
            inputs: ['x', 'o', 'z', 'z', 'o'],
            output: 'y',
            attrs: [{ name: 'training_mode', i: 1 }],
          },
        ],
        { o: { dims: [1], values: [1] }, z: { dims: [1], values: [0] } },
      ),
      /Node "n0" \(BatchNormalization\) is in training mode/,
    ],
    [
      'max pooling with padding no layer has',
      makeModel(
        MNIST,
        [
          {
            op: 'MaxPool',
            inputs: ['x'],
            output: 'c',
            attrs: [
              { name: 'kernel_shape', ints: [3, 3] },
              { name: 'pads', ints: [1, 1, 1, 1] },
              { name: 'strides', ints: [2, 2] },
            ],
          },
          ...head,
        ],
        { g: headFor(14 * 14) },
      ),
      /Node "n0" \(MaxPool\) pads \[1,1,1,1\], which is neither none nor TensorFlow's 'same'/,
    ],
    [
      'ceil mode that changes the output',
      makeModel(
        MNIST,
        [
          {
            op: 'MaxPool',
            inputs: ['x'],
            output: 'c',
            attrs: [
              { name: 'kernel_shape', ints: [3, 3] },
              { name: 'strides', ints: [2, 2] },
              { name: 'ceil_mode', i: 1 },
            ],
          },
          ...head,
        ],
        { g: headFor(13 * 13) },
      ),
      /Node "n0" \(MaxPool\) uses ceil_mode where it changes the output size/,
    ],
    [
      'a transposed data input to Gemm',
      makeModel(
        MNIST,
        [
          { op: 'Flatten', inputs: ['x'], output: 'f' },
          { op: 'Gemm', inputs: ['f', 'g'], output: 'y', attrs: [{ name: 'transA', i: 1 }] },
        ],
        { g: DENSE },
      ),
      /Node "n1" \(Gemm\) transposes its data input/,
    ],
    [
      'reflection padding',
      makeModel(MNIST, [{ op: 'Pad', inputs: ['x', 'p'], output: 'y', attrs: [{ name: 'mode', s: 'reflect' }] }], {
        p: { dims: [8], values: [0, 0, 1, 1, 0, 0, 1, 1] },
      }),
      /Node "n0" \(Pad\) pads by "reflect", not zeros/,
    ],
    [
      'a LeakyRelu with a negative slope',
      makeModel(MNIST, [{ op: 'LeakyRelu', inputs: ['x'], output: 'y', attrs: [{ name: 'alpha', f: -0.5 }] }]),
      /Node "n0" \(LeakyRelu\) has a negative slope -0\.5/,
    ],
    [
      'a flatten from axis 2',
      makeModel(MNIST, [{ op: 'Flatten', inputs: ['x'], output: 'y', attrs: [{ name: 'axis', i: 2 }] }]),
      /Node "n0" \(Flatten\) flattens from axis 2; only axis 1 imports/,
    ],
    [
      'the wrong number of classes',
      makeModel(
        MNIST,
        [
          { op: 'Flatten', inputs: ['x'], output: 'f' },
          { op: 'Gemm', inputs: ['f', 'g'], output: 'y', attrs: [{ name: 'transB', i: 1 }] },
        ],
        { g: { dims: [5, 784], values: new Array(3920).fill(0) } },
      ),
      /the graph outputs \[N, 5\], but MNIST has 10 classes/,
    ],
    [
      'a file that is not ONNX',
      new TextEncoder().encode('{"format": "layers-model"}'),
      /is not an ONNX model|holds no graph/,
    ],
  ];

  test.each(cases)('%s', (_, bytes, message) => {
    expect(refusal(bytes)).toMatch(message);
  });

  test('input scaling for a graph that normalises its input itself', () => {
    expect(() =>
      classifierFromOnnx(fixture('mnist_bn.onnx'), 'mnist_bn.onnx', { kind: 'normalise', mean: [0.5], std: [0.5] }),
    ).toThrow(/normalises its input inside the graph already/);
  });

  test('the ODE blocks and GroupNorm are refused by name on export', () => {
    for (const [arch, pattern] of [
      ['odenet', /^ONNX export cannot express layer "ode_block" \(OdeBlock\): an ODE block integrates/],
      ['yan-cnn', /ONNX export cannot express layer "extract1_gn" \(GroupNorm\): GroupNorm has no ONNX operator/],
    ] as const) {
      const { model, meta } = buildModel(arch, { seed: 1 });
      expect(() => modelToOnnx(model, meta)).toThrow(pattern);
      model.dispose();
    }
  });
});

/**
 * ONNX import checked against independent references: onnxruntime-web's logits for PyTorch's own exports
 * (tests/fixtures/onnx, made by make_fixtures.py), FGSM and IBP on the same network built natively from the
 * file's weights by hand, sampled points for the soundness of IBP and CROWN on imported layers, and the CLI's
 * accuracy against what PyTorch measured.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { evalCommand } from '../../src/cli/commands/eval';
import { outputOf } from './helpers/cliInProcess';
import { mnistTestFirst, useWasm } from './helpers/env';
import { fixture, fixtureReport, makeModel, runtimeLogits, toNchw, withoutFinalSoftmax } from './helpers/onnxFixtures';
import { batchTensors, range } from '../../src/core/data/dataset';
import { fgsm } from '../../src/core/attacks/fgsm';
import { classifierFromOnnx } from '../../src/core/models/onnx/importOnnx';
import { readOnnx } from '../../src/core/models/onnx/onnxFile';
import { ibpLogitBounds } from '../../src/core/verify/ibp';
import { crownMarginLowerBounds } from '../../src/core/verify/crown';

const TOLERANCE = 1e-4;
const IMAGES = 100;

/** Deterministic pseudo-random values in [0, 1) (a linear congruential generator, seeded). */
function uniform(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  });
}

async function compareWithRuntime(file: string, x: tf.Tensor4D): Promise<number> {
  const bytes = fixture(file);
  const { clf } = classifierFromOnnx(bytes, file);
  const [n, h, w, c] = x.shape;
  const ours = await clf.logits(x).data<'float32'>();
  const nchw = toNchw(await x.data<'float32'>(), n, h, w, c);
  const reference = await runtimeLogits(withoutFinalSoftmax(bytes), nchw, [n, c, h, w]);
  clf.model.dispose();
  expect(reference.length).toBe(ours.length);
  return Math.max(...ours.map((v, i) => Math.abs(v - reference[i])));
}

describe('ONNX import', () => {
  let mnist: { x: tf.Tensor4D; y: tf.Tensor1D };
  beforeAll(async () => {
    await useWasm();
    const ds = await mnistTestFirst(IMAGES);
    mnist = batchTensors(ds, range(0, IMAGES)) as { x: tf.Tensor4D; y: tf.Tensor1D };
  });

  test('the MNIST CNN (normalisation and batch norm in the graph) gives onnxruntime-web logits', async () => {
    expect(await compareWithRuntime('mnist_bn.onnx', mnist.x)).toBeLessThan(TOLERANCE);
  });

  test('the MLP (Reshape, LeakyRelu, Tanh, LogSoftmax dropped) gives onnxruntime-web logits', async () => {
    expect(await compareWithRuntime('mlp.onnx', mnist.x)).toBeLessThan(TOLERANCE);
  });

  test('the residual CIFAR-10 CNN (global average pool, Softmax dropped) gives onnxruntime-web logits', async () => {
    const x = tf.tensor4d(uniform(IMAGES * 32 * 32 * 3, 11), [IMAGES, 32, 32, 3]);
    expect(await compareWithRuntime('cifar_res.onnx', x)).toBeLessThan(TOLERANCE);
    x.dispose();
  });

  test('the summary says what the file holds', () => {
    const { clf, summary } = classifierFromOnnx(fixture('mnist_bn.onnx'), 'mnist_bn.onnx');
    clf.model.dispose();
    expect(summary.sentence).toMatch(/^ONNX opset 13 from pytorch 1\.13\.0: 16 nodes — .*Conv, /);
    expect(summary.sentence).toContain('BatchNormalization folded into Conv');
    expect(summary.sentence).toContain('input 1×28×28, MNIST');
    expect(summary.normalisation?.mean[0]).toBeCloseTo(0.1307, 6);
    expect(summary.normalisation?.std[0]).toBeCloseTo(0.3081, 6);
    expect(clf.meta.inputScaling?.where).toBe('graph');
  });

  /** The fixture MLP built natively with tfjs layers from the file's initializers (PyTorch's [out, in] weights). */
  function nativeMlp(): tf.LayersModel {
    const init = readOnnx(fixture('mlp.onnx'), 'mlp.onnx').initializers;
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28, 1] }),
        tf.layers.dense({ units: 64 }),
        tf.layers.leakyReLU({ alpha: 0.1 }),
        tf.layers.dense({ units: 32, activation: 'tanh' }),
        tf.layers.dense({ units: 10 }),
      ],
    });
    const weights = ['l1', 'l2', 'l3'].flatMap((l) => {
      const w = init.get(`${l}.weight`)!;
      return [tf.transpose(tf.tensor2d(w.data, w.dims as [number, number])), tf.tensor1d(init.get(`${l}.bias`)!.data)];
    });
    model.setWeights(weights);
    tf.dispose(weights);
    return model;
  }

  test('FGSM on the imported MLP equals FGSM on the same network built natively', async () => {
    const native = nativeMlp();
    const { clf } = classifierFromOnnx(fixture('mlp.onnx'), 'mlp.onnx');
    const goal = { labels: mnist.y };
    const ours = fgsm(clf.logits, mnist.x, goal, 0.1, 'linf');
    const theirs = fgsm((x) => native.apply(x) as tf.Tensor2D, mnist.x, goal, 0.1, 'linf');
    const a = await ours.data<'float32'>();
    const b = await theirs.data<'float32'>();
    // A gradient entry within rounding of zero may take either sign; all but a handful of pixels must agree.
    const differing = a.filter((v, i) => Math.abs(v - b[i]) > 1e-6).length;
    expect(differing / a.length).toBeLessThan(1e-4);
    const clean = await mnist.x.data<'float32'>();
    const moved = a.filter((v, i) => Math.abs(v - clean[i]) > 0.05).length;
    expect(moved / a.length).toBeGreaterThan(0.3);
    tf.dispose([ours, theirs]);
    clf.model.dispose();
    native.dispose();
  });

  test('IBP on the imported MLP equals IBP on the native network', async () => {
    const native = nativeMlp();
    const { clf } = classifierFromOnnx(fixture('mlp.onnx'), 'mlp.onnx');
    const ours = ibpLogitBounds(clf.model, mnist.x, 0.02);
    const theirs = ibpLogitBounds(native, mnist.x, 0.02);
    const diff = (p: tf.Tensor, q: tf.Tensor) => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0];
    expect(diff(ours.lower, theirs.lower)).toBeLessThan(1e-4);
    expect(diff(ours.upper, theirs.upper)).toBeLessThan(1e-4);
    expect(diff(ours.upper, ours.lower)).toBeGreaterThan(0.1);
    tf.dispose([ours.lower, ours.upper, theirs.lower, theirs.upper]);
    clf.model.dispose();
    native.dispose();
  });

  test('IBP on the imported residual CNN contains the logits of sampled points of the box', async () => {
    const { clf } = classifierFromOnnx(fixture('cifar_res.onnx'), 'cifar_res.onnx');
    const centre = tf.tensor4d(uniform(32 * 32 * 3, 5), [1, 32, 32, 3]);
    const eps = 0.01;
    const bounds = ibpLogitBounds(clf.model, centre, eps);
    const signs = tf.sub(tf.mul(tf.round(tf.tensor4d(uniform(64 * 32 * 32 * 3, 6), [64, 32, 32, 3])), 2), 1);
    const points = tf.add(centre, tf.mul(signs, eps));
    const z = clf.logits(points as tf.Tensor4D);
    const below = tf.sum(tf.less(z, tf.sub(bounds.lower, 1e-5))).dataSync()[0];
    const above = tf.sum(tf.greater(z, tf.add(bounds.upper, 1e-5))).dataSync()[0];
    expect(below + above).toBe(0);
    tf.dispose([centre, bounds.lower, bounds.upper, signs, points, z]);
    clf.model.dispose();
  });

  test('CROWN bounds an imported conv net with normalisation and asymmetric padding soundly', async () => {
    // (x − 0.5)/0.25 → conv 3×3 pads [0,1,2,1] stride 2 → Relu → Flatten → Gemm: ChannelAffine, ZeroPadding2D.
    const rng = uniform(4 * 9 + 4 + 4 * 14 * 14 * 10 + 10, 9).map((v) => v - 0.5);
    const bytes = makeModel(
      ['N', 1, 28, 28],
      [
        { op: 'Sub', inputs: ['x', 'm'], output: 'a' },
        { op: 'Div', inputs: ['a', 's'], output: 'b' },
        {
          op: 'Conv',
          inputs: ['b', 'w', 'c'],
          output: 'd',
          attrs: [
            { name: 'pads', ints: [0, 1, 2, 1] },
            { name: 'strides', ints: [2, 2] },
          ],
        },
        { op: 'Relu', inputs: ['d'], output: 'e' },
        { op: 'Flatten', inputs: ['e'], output: 'f' },
        { op: 'Gemm', inputs: ['f', 'g', 'h'], output: 'y', attrs: [{ name: 'transB', i: 1 }] },
      ],
      {
        m: { dims: [], values: [0.5] },
        s: { dims: [], values: [0.25] },
        w: { dims: [4, 1, 3, 3], values: [...rng.slice(0, 36)] },
        c: { dims: [4], values: [...rng.slice(36, 40)] },
        g: { dims: [10, 4 * 14 * 14], values: [...rng.slice(40, 40 + 7840)].map((v) => v * 0.1) },
        h: { dims: [10], values: [...rng.slice(7880)] },
      },
    );
    const { clf } = classifierFromOnnx(bytes, 'crown.onnx');
    const x = mnist.x.slice([0, 0, 0, 0], [4, 28, 28, 1]);
    const reference = await runtimeLogits(bytes, toNchw(await x.data<'float32'>(), 4, 28, 28, 1), [4, 1, 28, 28]);
    const ours = await clf.logits(x).data<'float32'>();
    expect(Math.max(...ours.map((v, i) => Math.abs(v - reference[i])))).toBeLessThan(TOLERANCE);
    const labels = tf.tensor1d([0, 1, 2, 3], 'int32');
    const eps = 0.02;
    const lower = await crownMarginLowerBounds(clf.model, x, labels, eps).array();
    for (let i = 0; i < 4; i++) {
      const signs = tf.sub(tf.mul(tf.round(tf.tensor4d(uniform(32 * 784, 20 + i), [32, 28, 28, 1])), 2), 1);
      const z = (await clf.logits(tf.add(x.slice([i], [1]), tf.mul(signs, eps)) as tf.Tensor4D).array()) as number[][];
      for (const row of z)
        for (let j = 0; j < 10; j++) expect(row[i] - row[j]).toBeGreaterThanOrEqual(lower[i][j] - 1e-4);
      signs.dispose();
    }
    tf.dispose([x, labels]);
    clf.model.dispose();
  });

  test('a channels-last graph as tf2onnx writes Keras models gives the runtime logits', async () => {
    const n = 5;
    const r = uniform(4 * 3 * 9 + 4 + 4096 * 10 + 10, 13).map((v) => v - 0.5);
    const bytes = makeModel(
      ['N', 32, 32, 3],
      [
        { op: 'Transpose', inputs: ['x'], output: 'a', attrs: [{ name: 'perm', ints: [0, 3, 1, 2] }] },
        { op: 'Conv', inputs: ['a', 'w', 'c'], output: 'b', attrs: [{ name: 'pads', ints: [1, 1, 1, 1] }] },
        { op: 'Relu', inputs: ['b'], output: 'd' },
        { op: 'Transpose', inputs: ['d'], output: 'e', attrs: [{ name: 'perm', ints: [0, 2, 3, 1] }] },
        { op: 'Reshape', inputs: ['e', 'shape'], output: 'f' },
        { op: 'MatMul', inputs: ['f', 'm'], output: 'g' },
        { op: 'Add', inputs: ['g', 'bias'], output: 'y' },
      ],
      {
        w: { dims: [4, 3, 3, 3], values: [...r.slice(0, 108)] },
        c: { dims: [4], values: [...r.slice(108, 112)] },
        shape: { dims: [2], values: [-1, 4096], int64: true },
        m: { dims: [4096, 10], values: [...r.slice(112, 112 + 40960)].map((v) => v * 0.05) },
        bias: { dims: [10], values: [...r.slice(112 + 40960)] },
      },
    );
    const { clf, summary } = classifierFromOnnx(bytes, 'keras.onnx');
    expect(summary.sentence).toContain('input 3×32×32, CIFAR-10');
    const x = tf.tensor4d(uniform(n * 32 * 32 * 3, 14), [n, 32, 32, 3]);
    // The file's input is channels-last: the runtime takes the NHWC values as they are.
    const reference = await runtimeLogits(bytes, await x.data<'float32'>(), [n, 32, 32, 3]);
    const ours = await clf.logits(x).data<'float32'>();
    expect(Math.max(...ours.map((v, i) => Math.abs(v - reference[i])))).toBeLessThan(TOLERANCE);
    expect(clf.model.layers.some((l) => l.getClassName() === 'Dense')).toBe(true);
    x.dispose();
    clf.model.dispose();
  });

  // `eval` in this process (the function main.ts dispatches to); cli.test.ts checks the contract on child processes.
  test('the CLI evaluates the fixture with the clean accuracy PyTorch measured', async () => {
    const expected = fixtureReport().mnist_bn.testAccuracyFirst1000;
    const r = await outputOf(evalCommand, [
      '--model',
      'tests/fixtures/onnx/mnist_bn.onnx',
      '--data',
      'mnist',
      '--limit',
      '1000',
    ]);
    expect(r.stderr).toBe('');
    expect(r.json.cleanAccuracy).toBeCloseTo(expected, 6);
  }, 120_000);
});

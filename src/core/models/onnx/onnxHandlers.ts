/**
 * One lowering rule per supported ONNX operator (the table at the end): each reads its node's inputs from the
 * walk in onnxLowering.ts, checks what the project's layers can express faithfully, and emits the importer's
 * operations (onnxOps.ts) or aliases its output to an input (Identity, Dropout, a folded batch norm or bias,
 * a softmax at the end). A check that fails refuses the node in one sentence.
 */
import type { AttributeValue, OnnxNode } from './onnxFile';
import type { Lowering } from './onnxLowering';
import { batchNormAffine, foldAffineIntoLayer, type IrOp, type Pads, perChannel, type Shape, sizeOf } from './onnxOps';
import { convPads, poolOutput, tfjsPadding } from './onnxPadding';

const ints = (node: OnnxNode, name: string, fallback: number[]): number[] => {
  const v = node.attributes.get(name);
  return Array.isArray(v) ? v : typeof v === 'number' ? [v] : fallback;
};
const num = (node: OnnxNode, name: string, fallback: number): number => {
  const v = node.attributes.get(name);
  return typeof v === 'number' ? v : fallback;
};
const str = (node: OnnxNode, name: string, fallback: string): string => {
  const v = node.attributes.get(name);
  return typeof v === 'string' ? v : fallback;
};

function activation(fn: 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh') {
  return (l: Lowering, node: OnnxNode) => {
    const shape = l.dynamic(node, 0);
    const alpha = fn === 'leakyRelu' ? num(node, 'alpha', 0.01) : 0;
    if (fn === 'leakyRelu' && alpha < 0) l.refuse(node, `has a negative slope ${alpha}; it is not monotone.`);
    l.emit(node, { kind: 'activation', input: l.resolve(node.inputs[0]), output: node.outputs[0], fn, alpha }, shape);
  };
}

function conv(l: Lowering, node: OnnxNode): void {
  const [c, h, w] = l.dynamic(node, 0, 3);
  const weight = l.constant(node, 1, 'weight');
  if (weight.dims.length !== 4) l.refuse(node, `has a ${weight.dims.length}-D weight; only 2-D convolutions import.`);
  const [o, i, kh, kw] = weight.dims;
  if (num(node, 'group', 1) !== 1) l.refuse(node, `is a grouped convolution (group ${num(node, 'group', 1)}).`);
  if (ints(node, 'dilations', [1, 1]).some((d) => d !== 1)) l.refuse(node, 'is dilated; only dilation 1 imports.');
  if (i !== c) l.refuse(node, `expects ${i} input channels but reads ${c}.`);
  const strides = ints(node, 'strides', [1, 1]) as [number, number];
  const pads = convPads(node, [h, w], [kh, kw], strides, (why) => l.refuse(node, why));
  const bias = node.inputs[2] ? Float32Array.from(l.constant(node, 2, 'bias').data) : new Float32Array(o);
  const outH = Math.floor((h + pads[0] + pads[2] - kh) / strides[0]) + 1;
  const outW = Math.floor((w + pads[1] + pads[3] - kw) / strides[1]) + 1;
  const op: IrOp = {
    kind: 'conv',
    input: l.resolve(node.inputs[0]),
    output: node.outputs[0],
    kernel: Float32Array.from(weight.data),
    bias,
    kernelShape: [o, i, kh, kw],
    strides,
    pads,
  };
  l.emit(node, op, [o, outH, outW]);
}

function gemm(l: Lowering, node: OnnxNode): void {
  const [d] = l.dynamic(node, 0, 1);
  if (num(node, 'transA', 0) !== 0) l.refuse(node, 'transposes its data input (transA = 1).');
  const b = l.constant(node, 1, 'weight');
  const transB = num(node, 'transB', 0) === 1;
  const alpha = num(node, 'alpha', 1);
  const beta = num(node, 'beta', 1);
  const [rows, cols] = b.dims;
  const [inF, outF] = transB ? [cols, rows] : [rows, cols];
  if (b.dims.length !== 2 || inF !== d) l.refuse(node, `has a weight of shape [${b.dims}] for ${d} input features.`);
  const weight = new Float32Array(inF * outF);
  for (let r = 0; r < inF; r++) {
    for (let c = 0; c < outF; c++) weight[r * outF + c] = alpha * (transB ? b.data[c * inF + r] : b.data[r * outF + c]);
  }
  let bias = new Float32Array(outF);
  if (node.inputs[2]) {
    const cTensor = l.constant(node, 2, 'bias');
    const perOut = perChannel(cTensor, [outF]);
    if (!perOut) l.refuse(node, `has a bias of shape [${cTensor.dims}] for ${outF} outputs.`);
    bias = Float32Array.from({ length: outF }, (_, k) => beta * (perOut.length === 1 ? perOut[0] : perOut[k]));
  }
  const op: IrOp = {
    kind: 'dense',
    input: l.resolve(node.inputs[0]),
    output: node.outputs[0],
    weight,
    bias,
    inFeatures: inF,
    outFeatures: outF,
  };
  l.emit(node, op, [outF]);
}

function matMul(l: Lowering, node: OnnxNode): void {
  const [d] = l.dynamic(node, 0, 1);
  const b = l.constant(node, 1, 'right-hand matrix');
  if (b.dims.length !== 2 || b.dims[0] !== d) l.refuse(node, `multiplies ${d} features by a [${b.dims}] matrix.`);
  const op: IrOp = {
    kind: 'dense',
    input: l.resolve(node.inputs[0]),
    output: node.outputs[0],
    weight: Float32Array.from(b.data),
    bias: new Float32Array(b.dims[1]),
    inFeatures: d,
    outFeatures: b.dims[1],
  };
  l.emit(node, op, [b.dims[1]]);
}

/** Add, Sub, Mul, Div: two data inputs (Add only: a residual sum) or data and a constant (an affine op). */
function arithmetic(l: Lowering, node: OnnxNode): void {
  const [a, b] = [l.value(node, 0), l.value(node, 1)];
  if (a.kind === 'dynamic' && b.kind === 'dynamic') {
    if (node.opType !== 'Add') l.refuse(node, 'combines two computed tensors; only Add (a residual sum) does that.');
    if (a.shape.join() !== b.shape.join()) l.refuse(node, `adds shapes [${a.shape}] and [${b.shape}].`);
    const inputs: [string, string] = [l.resolve(node.inputs[0]), l.resolve(node.inputs[1])];
    l.emit(node, { kind: 'add', inputs, output: node.outputs[0] }, a.shape);
    return;
  }
  if (a.kind === 'const' && b.kind === 'const') l.refuse(node, 'computes on two constants (fold constants first).');
  const dataFirst = a.kind === 'dynamic';
  const [data, k] = dataFirst ? [a, b] : [b, a];
  if (data.kind !== 'dynamic' || k.kind !== 'const') return;
  const input = node.inputs[dataFirst ? 0 : 1];
  const c = perChannel(k.tensor, data.shape);
  if (!c) l.refuse(node, `has a constant of shape [${k.tensor.dims}], not one value or one per channel.`);
  const ones = Float32Array.of(1);
  const zero = Float32Array.of(0);
  if (node.opType === 'Add') {
    const before = l.soleProducer(input);
    if (before && (before.kind === 'dense' || before.kind === 'conv')) {
      // MatMul + Add: the Add is the layer's bias.
      foldAffineIntoLayer(before, ones, c);
      l.alias(node, before.output);
      return;
    }
    l.affine(node, input, data.shape, ones, c);
  } else if (node.opType === 'Sub') {
    if (dataFirst)
      l.affine(
        node,
        input,
        data.shape,
        ones,
        c.map((v) => -v),
      );
    else l.affine(node, input, data.shape, Float32Array.of(-1), c);
  } else if (node.opType === 'Mul') {
    l.affine(node, input, data.shape, c, zero);
  } else {
    if (!dataFirst) l.refuse(node, 'divides a constant by the data; only division by constants imports.');
    l.affine(
      node,
      input,
      data.shape,
      c.map((v) => 1 / v),
      zero,
    );
  }
}

function batchNorm(l: Lowering, node: OnnxNode): void {
  const shape = l.dynamic(node, 0);
  if (num(node, 'training_mode', 0) !== 0) l.refuse(node, 'is in training mode; export the model with model.eval().');
  const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => l.constant(node, i, 'statistic').data);
  const { scale, shift } = batchNormAffine(gamma, beta, mean, variance, num(node, 'epsilon', 1e-5));
  if (scale.length !== shape[0]) l.refuse(node, `normalises ${scale.length} channels of a [${shape}] tensor.`);
  const before = l.soleProducer(node.inputs[0]);
  if (before && (before.kind === 'conv' || before.kind === 'dense')) {
    foldAffineIntoLayer(before, scale, shift);
    l.alias(node, before.output);
    l.notes.push(`BatchNormalization folded into ${before.kind === 'conv' ? 'Conv' : 'Gemm'}`);
    return;
  }
  l.affine(node, node.inputs[0], shape, scale, shift);
}

function pool(kind: 'maxPool' | 'avgPool') {
  return (l: Lowering, node: OnnxNode) => {
    const [c, h, w] = l.dynamic(node, 0, 3);
    const kernel = ints(node, 'kernel_shape', []) as [number, number];
    if (kernel.length !== 2) l.refuse(node, 'has no two-dimensional kernel_shape.');
    if (ints(node, 'dilations', [1, 1]).some((d) => d !== 1)) l.refuse(node, 'is dilated; only dilation 1 imports.');
    if (num(node, 'storage_order', 0) !== 0) l.refuse(node, 'uses column-major storage order.');
    const strides = ints(node, 'strides', [1, 1]) as [number, number];
    const pads = convPads(node, [h, w], kernel, strides, (why) => l.refuse(node, why));
    const outH = poolOutput(h, kernel[0], strides[0], pads[0] + pads[2], num(node, 'ceil_mode', 0) === 1);
    const outW = poolOutput(w, kernel[1], strides[1], pads[1] + pads[3], num(node, 'ceil_mode', 0) === 1);
    if (outH.ceilChanges || outW.ceilChanges) l.refuse(node, 'uses ceil_mode where it changes the output size.');
    const countIncludePad = num(node, 'count_include_pad', 0) === 1;
    // Max pooling pads with −∞ and tfjs' 'same' leaves padding out of averages: other paddings have no layer.
    if (tfjsPadding(pads, [h, w], kernel, strides) === null && !(kind === 'avgPool' && countIncludePad)) {
      l.refuse(node, `pads [${pads}], which is neither none nor TensorFlow's 'same' padding for this map.`);
    }
    const op: IrOp = {
      kind,
      input: l.resolve(node.inputs[0]),
      output: node.outputs[0],
      kernel,
      strides,
      pads,
      countIncludePad,
    };
    l.emit(node, op, [c, outH.size, outW.size]);
  };
}

function flattenTo(l: Lowering, node: OnnxNode, shape: Shape): void {
  if (shape.length === 1) {
    l.alias(node, node.inputs[0]);
    return;
  }
  const hwcOrder = l.readsChannelsLast(node, 0);
  const op: IrOp = { kind: 'flatten', input: l.resolve(node.inputs[0]), output: node.outputs[0], hwcOrder };
  l.emit(node, op, [sizeOf(shape)]);
}

/** NHWC ↔ NCHW only: after a channels-last input, and before a flatten (what tf2onnx writes for Keras models). */
function transpose(l: Lowering, node: OnnxNode): void {
  const shape = l.dynamic(node, 0, 3);
  const perm = ints(node, 'perm', []).join(',');
  const fromChannelsLast = l.readsChannelsLast(node, 0);
  const op: IrOp = { kind: 'relayout', input: l.resolve(node.inputs[0]), output: node.outputs[0] };
  if (fromChannelsLast && perm === '0,3,1,2') {
    l.emit(node, op, [shape[2], shape[0], shape[1]]);
  } else if (!fromChannelsLast && perm === '0,2,3,1') {
    l.emit(node, op, [shape[1], shape[2], shape[0]]);
    l.channelsLast.add(node.outputs[0]);
  } else {
    l.refuse(
      node,
      `transposes by [${perm}]; only NHWC → NCHW after the input and NCHW → NHWC before a flatten import.`,
    );
  }
}

function reshape(l: Lowering, node: OnnxNode): void {
  const shape = l.dynamic(node, 0);
  const target = [...l.constant(node, 1, 'target shape').data];
  const features = sizeOf(shape);
  // [N, features] in any of the spellings exporters use: [-1, D], [0, -1], [0, D], [1, D] for a batch of one.
  const flat = target.length === 2 && (target[1] === -1 || target[1] === features) && target[0] !== features;
  if (!flat)
    l.refuse(node, `reshapes [N, ${shape.join(', ')}] to [${target}]; only flattening to [N, features] imports.`);
  flattenTo(l, node, shape);
}

function pad(l: Lowering, node: OnnxNode): void {
  const shape = l.dynamic(node, 0, 3);
  if (str(node, 'mode', 'constant') !== 'constant') l.refuse(node, `pads by "${str(node, 'mode', '')}", not zeros.`);
  const pads = node.inputs[1] ? [...l.constant(node, 1, 'pads').data] : ints(node, 'pads', []);
  const value = node.inputs[2] ? l.constant(node, 2, 'padding value').data[0] : num(node, 'value', 0);
  if (pads.length !== 8 || value !== 0 || [0, 1, 4, 5].some((i) => pads[i] !== 0)) {
    l.refuse(node, 'pads other than the two spatial axes, or with a value other than zero.');
  }
  const p: Pads = [pads[2], pads[3], pads[6], pads[7]];
  if (p.every((v) => v === 0)) {
    l.alias(node, node.inputs[0]);
    return;
  }
  if (p.some((v) => v < 0)) l.refuse(node, 'crops (negative pads).');
  const out = [shape[0], shape[1] + p[0] + p[2], shape[2] + p[1] + p[3]];
  l.emit(node, { kind: 'pad', input: l.resolve(node.inputs[0]), output: node.outputs[0], pads: p }, out);
}

function softmaxAtEnd(l: Lowering, node: OnnxNode): void {
  const shape = l.dynamic(node, 0, 1);
  const axis = num(node, 'axis', -1);
  if (!l.isGraphOutput(node.outputs[0]) || (axis !== -1 && axis !== 1)) {
    l.refuse(node, 'is not the last node over the classes; softmax imports only at the end, where it is dropped.');
  }
  l.notes.push(`${node.opType} at the end dropped (the playground works on logits)`);
  l.alias(node, node.inputs[0]);
  void shape;
}

function constantNode(l: Lowering, node: OnnxNode): void {
  const v: AttributeValue | undefined =
    node.attributes.get('value') ?? node.attributes.get('value_float') ?? node.attributes.get('value_floats');
  const ints_ = node.attributes.get('value_int') ?? node.attributes.get('value_ints');
  const value = v ?? ints_;
  if (value === undefined || typeof value === 'string') l.refuse(node, 'holds no numeric value.');
  if (typeof value === 'number') l.setConst(node, { dims: [], data: Float32Array.of(value) });
  else if (Array.isArray(value)) l.setConst(node, { dims: [value.length], data: Float32Array.from(value) });
  else l.setConst(node, value);
}

export const HANDLERS: Record<string, (l: Lowering, node: OnnxNode) => void> = {
  Conv: conv,
  Gemm: gemm,
  MatMul: matMul,
  Add: arithmetic,
  Sub: arithmetic,
  Mul: arithmetic,
  Div: arithmetic,
  Relu: activation('relu'),
  LeakyRelu: activation('leakyRelu'),
  Sigmoid: activation('sigmoid'),
  Tanh: activation('tanh'),
  Softmax: softmaxAtEnd,
  LogSoftmax: softmaxAtEnd,
  MaxPool: pool('maxPool'),
  AveragePool: pool('avgPool'),
  GlobalAveragePool: (l, node) => {
    const [c] = l.dynamic(node, 0, 3);
    l.emit(node, { kind: 'globalAvgPool', input: l.resolve(node.inputs[0]), output: node.outputs[0] }, [c, 1, 1]);
  },
  BatchNormalization: batchNorm,
  Flatten: (l, node) => {
    const shape = l.dynamic(node, 0);
    if (num(node, 'axis', 1) !== 1) l.refuse(node, `flattens from axis ${num(node, 'axis', 1)}; only axis 1 imports.`);
    flattenTo(l, node, shape);
  },
  Reshape: reshape,
  Transpose: transpose,
  Pad: pad,
  Identity: (l, node) => {
    const v = l.value(node, 0);
    if (v.kind === 'const') l.setConst(node, v.tensor);
    else l.alias(node, node.inputs[0]);
  },
  Dropout: (l, node) => {
    l.dynamic(node, 0);
    if (node.outputs[1] && l.isGraphOutput(node.outputs[1])) l.refuse(node, 'exposes its mask as the output.');
    l.alias(node, node.inputs[0]);
  },
  Constant: constantNode,
};

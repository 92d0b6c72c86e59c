/** Shared attribute handling of the project's convolution-gradient kernels. */
import { backend_util } from '@tensorflow/tfjs';

export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function convInfoFor(
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: ConvGradAttrs,
): backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error("The project's wasm convolution-gradient kernels support NHWC only.");
  }
  return backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

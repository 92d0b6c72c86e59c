/**
 * The architectures of the side-by-side suite against native PyTorch, by name. No tfjs here: the
 * page's benchmark panel lists them without loading TensorFlow.js on the main thread.
 */
export const REFERENCE_ARCHITECTURES = ['cnn', 'yan-cnn-paper', 'odenet-paper'] as const;
export type ReferenceArchitecture = (typeof REFERENCE_ARCHITECTURES)[number];

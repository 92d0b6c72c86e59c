/**
 * What the app's worker bundle receives for `import * as tf from '@tensorflow/tfjs'` (vite.config.ts resolves it
 * here; Node and the tests keep the real union package). The union package's index minus three parts the app does
 * not need before its first prediction: the WebGL backend (its kernels are registered when the WebGL backend is
 * chosen: activateBackend imports it then), the converter (graph models: the app loads layers models and ONNX) and
 * tf.data. Evaluating them cost the worker a few hundred ms of its start on a 2-core machine, ahead of the first
 * prediction (issue 18).
 */
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export * from '@tensorflow/tfjs-backend-cpu';

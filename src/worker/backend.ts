/** The worker session's methods: choosing the tfjs backend (the model follows it), cancel, memory. */
import * as tf from '@tensorflow/tfjs';
import type { BackendApi } from './api';
import type { WorkerState } from './workerState';

export function backendApi(state: WorkerState): BackendApi {
  return {
    async init(choice, wasmBase, onBackendChange, options) {
      state.backends.configure(
        wasmBase,
        async (report) => {
          await state.rebuildModel();
          onBackendChange?.(report);
        },
        options?.wasmThreads,
      );
      return state.backends.select(choice);
    },

    async setBackend(choice) {
      const report = await state.backends.select(choice);
      await state.rebuildModel();
      return report;
    },

    async simulateDeviceLoss() {
      state.backends.loseDevice();
    },

    cancel() {
      state.cancel();
    },

    async memory() {
      // Before a backend is chosen, tf.memory() would start tfjs's default one (WebGL: a GPU context, 0.1–0.3 s).
      if (!state.backends.current()) return { numTensors: 0, numBytes: 0 };
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    },
  };
}

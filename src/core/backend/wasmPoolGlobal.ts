/**
 * The name of the global from which the app's build of the multi-threaded tfjs wasm glue reads how many workers to
 * pre-start (vite.config.ts patches the glue; backends.ts sets it to the thread count). Its own tfjs-free module so
 * that the build configuration can import it without loading tfjs.
 */
export const WASM_POOL_GLOBAL = '__robustnessPlaygroundWasmPool';

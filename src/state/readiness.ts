/**
 * `window.__playground`: the one global the page exposes, so browser tests and the benchmark can
 * wait until the first prediction is on screen instead of guessing a delay, and read how long
 * that took (ms since navigation start).
 */
declare global {
  interface Window {
    /** `wasmThreads` may be set before the page loads (the benchmark's one-thread run). */
    __playground?: { ready: boolean; firstPredictionMs?: number; wasmThreads?: number };
  }
}

export function initReadiness(): void {
  window.__playground = { ready: false, wasmThreads: window.__playground?.wasmThreads };
}

/** Threads for the wasm backend, when the benchmark asked for a number; else the worker's default (every core). */
export function requestedWasmThreads(): number | undefined {
  return window.__playground?.wasmThreads;
}

const whenReady: (() => void)[] = [];

/** Runs `callback` once the first prediction is on screen (at once if it already is). */
export function afterFirstPrediction(callback: () => void): void {
  if (window.__playground?.ready) callback();
  else whenReady.push(callback);
}

export function markReady(): void {
  if (window.__playground && !window.__playground.ready) {
    window.__playground.firstPredictionMs = performance.now();
    window.__playground.ready = true;
    for (const callback of whenReady.splice(0)) callback();
  }
}

/**
 * `window.__playground`: the one global the page exposes, so browser tests and the benchmark can
 * wait until the page is ready instead of guessing a delay, and read how long the first prediction
 * took (ms since navigation start). Ready means the first prediction is on screen *and* the link's
 * setup has been applied: a click before that could be undone by the link's view a moment later.
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
  if (predicted) callback();
  else whenReady.push(callback);
}

let predicted = false;
let linkApplied = false;

/** The first prediction is on screen: its time is recorded and what waited for it runs. */
export function markFirstPrediction(): void {
  if (predicted || !window.__playground) return;
  predicted = true;
  window.__playground.firstPredictionMs = performance.now();
  for (const callback of whenReady.splice(0)) callback();
  updateReady();
}

/** The address's setup (view, model, lesson…) has been applied, or there was none. */
export function markLinkApplied(): void {
  linkApplied = true;
  updateReady();
}

function updateReady(): void {
  if (window.__playground && predicted && linkApplied) window.__playground.ready = true;
}

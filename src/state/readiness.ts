/**
 * `window.__playground`: the one global the page exposes, so browser tests and the benchmark can
 * wait until the first prediction is on screen instead of guessing a delay, and read how long
 * that took (ms since navigation start).
 */
declare global {
  interface Window {
    __playground?: { ready: boolean; firstPredictionMs?: number };
  }
}

export function initReadiness(): void {
  window.__playground = { ready: false };
}

export function markReady(): void {
  if (window.__playground && !window.__playground.ready) {
    window.__playground.firstPredictionMs = performance.now();
    window.__playground.ready = true;
  }
}

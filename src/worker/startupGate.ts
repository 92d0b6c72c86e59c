/**
 * Work the worker holds back while the page starts: everything that the first prediction does not need and that
 * would hold this thread (storing the downloaded test split in IndexedDB copies megabytes). The page opens the gate
 * once its first prediction is on screen (issue 18: the first prediction in a fresh profile within 1.5 s).
 */
let open = false;
const waiting: (() => void)[] = [];

/** Runs `work` once the page has started (at once if it has). */
export function afterStartup(work: () => void): void {
  if (open) work();
  else waiting.push(work);
}

export function openStartupGate(): void {
  open = true;
  for (const work of waiting.splice(0)) work();
}

/** Entry: start the worker session, then render. The worker loads while React mounts. */
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { startMemoryPolling } from './state/backendActions';
import { initLink, restoreLink } from './state/linkActions';
import { afterFirstPrediction, initReadiness, markLinkApplied } from './state/readiness';
import { loadInitial } from './state/startup';
import { App } from './ui/App';
import { MountStages } from './ui/common/MountStages';
import './ui/styles.css';

initReadiness();
initLink(); // before the first render: hide=, embed= and presenter= apply at once
void loadInitial().then(restoreLink).finally(markLinkApplied);
startMemoryPolling();
// The offline copy (vite.config.ts): fetched once the first prediction is on screen, so it does not delay it. The
// development server has no service worker.
afterFirstPrediction(() => {
  if (import.meta.env.PROD && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
      console.warn(`The offline copy could not be set up: ${String(err)}`);
    });
  }
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
// The first render as a transition: React then renders the whole app in slices of a few ms and yields to the browser
// between them, where an urgent render takes one task (about 100 ms on a quiet 2-core machine; issue 18: no
// main-thread task over 50 ms).
const reactRoot = createRoot(root);
startTransition(() => {
  reactRoot.render(
    <StrictMode>
      <MountStages>
        <App />
      </MountStages>
    </StrictMode>,
  );
});

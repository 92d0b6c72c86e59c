/** Entry: start the worker session, then render. The worker loads while React mounts. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startMemoryPolling } from './state/backendActions';
import { initLink, restoreLink } from './state/linkActions';
import { initReadiness } from './state/readiness';
import { loadInitial } from './state/startup';
import { App } from './ui/App';
import './ui/styles.css';

initReadiness();
initLink(); // before the first render: hide=, embed= and presenter= apply at once
void loadInitial().then(restoreLink);
startMemoryPolling();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

/**
 * "Offline" in the status line while the browser reports no network (navigator.onLine, kept current by the
 * online/offline events): the app keeps working from the copy its service worker cached (vite.config.ts, offline()).
 */
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

const isOnline = () => navigator.onLine;

export function OfflineStatus() {
  const online = useSyncExternalStore(subscribe, isOnline);
  if (online) return null;
  return (
    <span
      className="status-offline"
      data-testid="status-offline"
      title="No network: the app, the shipped models and the MNIST test set come from this browser's offline copy"
    >
      Offline
    </span>
  );
}

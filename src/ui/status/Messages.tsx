/** The current error, from the worker or from a file the UI could not read. */
import { useAppStore } from '../../state/appStore';
import { dismissMessages } from '../../state/workerSession';
import { ErrorBanner } from '../common/ErrorBanner';

export function Messages() {
  const error = useAppStore((s) => s.error);
  return error ? <ErrorBanner message={error} onDismiss={dismissMessages} /> : null;
}

/** The current error, from the worker or from a file the UI could not read. */
import { useLab } from '../../state/labStore';
import { dismissMessages } from '../../state/workerSession';
import { ErrorBanner } from '../common/ErrorBanner';

export function Messages() {
  const error = useLab((s) => s.error);
  return error ? <ErrorBanner message={error} onDismiss={dismissMessages} /> : null;
}

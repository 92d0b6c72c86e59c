/** Progress of the running attack or ε sweep, with Cancel; or why the last one stopped. */
import { useAppStore } from '../../state/appStore';
import { cancelTask } from '../../state/workerSession';
import { ProgressBar } from '../common/ProgressBar';

export function AttackProgress() {
  const task = useAppStore((s) => (s.task?.kind === 'attack' || s.task?.kind === 'sweep' ? s.task : null));
  const notice = useAppStore((s) => s.notice);
  if (task) {
    return (
      <ProgressBar
        label={task.label}
        fraction={task.progress?.fraction ?? null}
        message={task.progress?.message ?? task.label}
        onCancel={cancelTask}
      />
    );
  }
  return notice ? (
    <p className="notice" role="status">
      {notice}
    </p>
  ) : null;
}

/** Progress of the running attack or ε sweep, with Cancel; or why the last one stopped. */
import { useLab } from '../../state/labStore';
import { cancelTask } from '../../state/workerSession';
import { ProgressBar } from '../common/ProgressBar';

export function AttackProgress() {
  const task = useLab((s) => (s.task?.kind === 'attack' || s.task?.kind === 'sweep' ? s.task : null));
  const notice = useLab((s) => s.notice);
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

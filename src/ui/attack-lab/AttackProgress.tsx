/**
 * The attack job: queued (waiting for the new picture to be classified), or the running attack or ε sweep with its
 * progress; each with Cancel. Else why the last one stopped.
 */
import { cancelAttack } from '../../state/attackActions';
import { useAttackLab } from '../../state/attackLabStore';
import { useAppStore } from '../../state/appStore';
import { ProgressBar } from '../common/ProgressBar';

export function AttackProgress() {
  const job = useAttackLab((s) => s.job);
  // The worker's progress, while the app's task is this job's phase (a picture being classified may hold the bar).
  const progress = useAppStore((s) => (job && s.task?.kind === job.phase ? s.task.progress : null));
  const notice = useAppStore((s) => s.notice);
  if (job) {
    const label = job.phase === 'queued' ? `Queued: ${job.label}` : job.label;
    return (
      <ProgressBar
        label={label}
        fraction={progress?.fraction ?? null}
        message={progress ? `${label}: ${progress.message}` : label}
        onCancel={cancelAttack}
      />
    );
  }
  return notice ? (
    <p className="notice" role="status">
      {notice}
    </p>
  ) : null;
}

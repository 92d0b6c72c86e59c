/** Train, Stop and Resume, with progress and the time left. */
import { useEffect, useState } from 'react';
import { useAppStore } from '../../state/appStore';
import { resumeTraining, startTraining } from '../../state/training/trainingActions';
import { estimateSecondsLeft, useTraining } from '../../state/training/trainingStore';
import { cancelTask } from '../../state/workerSession';
import { ProgressBar } from '../common/ProgressBar';

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Re-renders once a second while `active`, so the ETA counts down between reports. */
function useClock(active: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(performance.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

export function TrainingControls() {
  const phase = useTraining((s) => s.phase);
  const progress = useTraining((s) => s.progress);
  const stretch = useTraining((s) => s.stretch);
  const validSpec = useTraining((s) => s.spec.runs.length > 0 && s.spec.runs.every((r) => r.label.trim() !== ''));
  const otherTask = useAppStore((s) => (s.task && s.task.kind !== 'training' ? s.task : null));
  const labTask = useAppStore((s) => (s.task?.kind === 'training' ? s.task : null));
  const busy = phase === 'loading-data' || phase === 'training';
  const now = useClock(busy);
  const secondsLeft = estimateSecondsLeft({ progress, stretch }, now);
  return (
    <div className="training-controls">
      <div className="button-row">
        <button type="button" onClick={() => void startTraining()} disabled={busy || otherTask !== null || !validSpec}>
          {phase === 'idle' ? 'Train' : 'Train again from scratch'}
        </button>
        <button type="button" className="secondary" onClick={cancelTask} disabled={!busy}>
          Stop
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void resumeTraining()}
          disabled={phase !== 'stopped' || otherTask !== null}
        >
          Resume
        </button>
      </div>
      {busy && (
        <ProgressBar
          label="Training progress"
          fraction={phase === 'loading-data' ? (labTask?.progress?.fraction ?? null) : (progress?.fraction ?? 0)}
          message={
            phase === 'loading-data'
              ? (labTask?.progress?.message ?? 'Loading the MNIST training set')
              : `${progress?.message ?? 'starting'} · ${Math.round(100 * (progress?.fraction ?? 0))} ` +
                `%${secondsLeft !== null ? ` · about ${formatDuration(secondsLeft)} left` : ''}`
          }
        />
      )}
      {phase === 'stopped' && (
        <p className="notice" role="status">
          Stopped. Resume continues with the same data order and optimizer state.
        </p>
      )}
      {phase === 'finished' && (
        <p className="notice" role="status">
          Finished. The finished models are saved in this browser and offered in the attack lab’s model list.
        </p>
      )}
    </div>
  );
}

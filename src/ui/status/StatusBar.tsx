/** The always-visible status line: backend, model, live tensor count, and what is loading. */
import { useLab } from '../../state/labStore';
import { BackendStatus } from './BackendStatus';
import { ModelStatus } from './ModelStatus';

function TaskStatus() {
  // Attacks show their own progress beside the Attack button.
  const task = useLab((s) => (s.task && s.task.kind !== 'attack' && s.task.kind !== 'sweep' ? s.task : null));
  return task ? <span className="status-task">{task.progress?.message ?? task.label}…</span> : null;
}

export function StatusBar() {
  const numTensors = useLab((s) => s.numTensors);
  return (
    <div className="status-bar">
      <BackendStatus />
      <ModelStatus />
      <span data-testid="status-tensors" title="Live tensors in the worker (tf.memory().numTensors); it should return to its baseline after each action">
        Tensors: {numTensors ?? '–'}
      </span>
      <TaskStatus />
    </div>
  );
}

/** The always-visible status line: backend, model, live tensor count, and what is loading. */
import { useAppStore } from '../../state/appStore';
import { BackendStatus } from './BackendStatus';
import { ModelStatus } from './ModelStatus';
import { OfflineStatus } from './OfflineStatus';

function TaskStatus() {
  // Attacks show their own progress beside the Attack button.
  const task = useAppStore((s) => (s.task && s.task.kind !== 'attack' && s.task.kind !== 'sweep' ? s.task : null));
  return task ? <span className="status-task">{task.progress?.message ?? task.label}…</span> : null;
}

/** Where the MNIST test set came from: fetched once, then read from the browser's storage. */
function TestSetStatus() {
  const testSet = useAppStore((s) => s.testSet);
  if (!testSet) return null;
  return (
    <span
      data-testid="status-testset"
      title="The MNIST test images are fetched once and kept in this browser (IndexedDB)"
    >
      Test set: {testSet.count.toLocaleString('en')} images,{' '}
      {testSet.fromCache ? 'from the browser cache' : 'downloaded'}
    </span>
  );
}

export function StatusBar() {
  const numTensors = useAppStore((s) => s.numTensors);
  return (
    <div className="status-bar">
      <OfflineStatus />
      <BackendStatus />
      <ModelStatus />
      <TestSetStatus />
      <span
        data-testid="status-tensors"
        title="Live tensors in the worker (tf.memory().numTensors); it should return to its baseline after each action"
      >
        Tensors: {numTensors ?? '–'}
      </span>
      <TaskStatus />
    </div>
  );
}

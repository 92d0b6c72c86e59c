/**
 * The always-visible status line: backend, model, live tensor count, and what is loading. One line, each item cut
 * with an ellipsis where the screen is narrow (a phone); "Details" unfolds the full texts.
 */
import { useState } from 'react';
import { useAppStore } from '../../state/appStore';
import { useDatasets } from '../../state/datasetStore';
import { groupThousands } from '../common/format';
import { BackendStatus } from './BackendStatus';
import { ModelStatus } from './ModelStatus';
import { OfflineStatus } from './OfflineStatus';

function TaskStatus() {
  // Attacks show their own progress beside the Attack button.
  const task = useAppStore((s) => (s.task && s.task.kind !== 'attack' && s.task.kind !== 'sweep' ? s.task : null));
  return task ? <span className="status-task">{task.progress?.message ?? task.label}…</span> : null;
}

/**
 * The active data set's test set: MNIST's is fetched once, then read from the browser's storage; CIFAR-10's is the
 * one the user gave this browser.
 */
function TestSetStatus() {
  const testSet = useAppStore((s) => s.testSet);
  const active = useDatasets((s) => s.active);
  const cifar10 = useDatasets((s) => s.cifar10);
  if (active === 'cifar10') {
    const count = cifar10?.counts.test;
    if (count === undefined) return null;
    return (
      <span data-testid="status-testset" title={`CIFAR-10 as read from ${cifar10?.source ?? 'your files'}`}>
        Test set: CIFAR-10, {groupThousands(count)} images,{' '}
        {cifar10?.persisted ? 'stored in this browser' : 'for this visit only'}
      </span>
    );
  }
  if (!testSet) return null;
  return (
    <span
      data-testid="status-testset"
      title="The MNIST test images are fetched once and kept in this browser (IndexedDB)"
    >
      Test set: {groupThousands(testSet.count)} images, {testSet.fromCache ? 'from the browser cache' : 'downloaded'}
    </span>
  );
}

export function StatusBar() {
  const numTensors = useAppStore((s) => s.numTensors);
  const [open, setOpen] = useState(false);
  return (
    <div className={open ? 'status-bar open' : 'status-bar'} data-testid="status-bar" id="status-bar">
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
      <button
        type="button"
        className="link-button status-toggle"
        aria-expanded={open}
        aria-controls="status-bar"
        onClick={() => setOpen(!open)}
      >
        {open ? 'Less' : 'Details'}
      </button>
    </div>
  );
}

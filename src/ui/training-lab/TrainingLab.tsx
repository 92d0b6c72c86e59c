/** The training lab: two or three models trained side by side in the worker, with live curves. */
import { useEffect } from 'react';
import { refreshSavedModels } from '../../state/training/trainingActions';
import { useTraining } from '../../state/training/trainingStore';
import { ComparisonEditor } from './ComparisonEditor';
import { JemTrainingView } from './JemTrainingView';
import { RunResults, SavedModels } from './RunResults';
import { TrainingCharts } from './TrainingCharts';
import { TrainingControls } from './TrainingControls';

export function TrainingLab() {
  const phase = useTraining((s) => s.phase);
  const busy = phase === 'loading-data' || phase === 'training';
  useEffect(() => void refreshSavedModels(), []);
  return (
    <div className="training-lab">
      <ComparisonEditor disabled={busy} />
      <section className="panel training-output" aria-labelledby="curves-heading">
        <h2 id="curves-heading">Training</h2>
        <TrainingControls />
        <JemTrainingView />
        <TrainingCharts />
        <RunResults busy={busy} />
        <SavedModels busy={busy} />
      </section>
    </div>
  );
}

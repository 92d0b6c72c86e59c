/** The analysis view: pick up to three models, then robustness curves, calibration, margins and stability. */
import { setImages, setSeeds } from '../../state/analysis/analysisActions';
import { useAnalysis } from '../../state/analysis/analysisStore';
import { useAppStore } from '../../state/appStore';
import { cancelTask } from '../../state/workerSession';
import { IntegerField } from '../common/IntegerField';
import { ProgressBar } from '../common/ProgressBar';
import { CalibrationPanel } from './CalibrationPanel';
import { CertifyPanel } from './CertifyPanel';
import { ConceptGlossary } from './ConceptGlossary';
import { EnergyPanel } from './EnergyPanel';
import { ModelChooser } from './ModelChooser';
import { MarginsPanel } from './MarginsPanel';
import { RobustnessPanel } from './RobustnessPanel';
import { StabilityPanel } from './StabilityPanel';

/** A running analysis: its progress, with Cancel. Its own component, so progress re-renders only the bar. */
function AnalysisProgress() {
  const task = useAppStore((s) => (s.task?.kind === 'analysis' ? s.task : null));
  if (!task) return null;
  return (
    <ProgressBar
      label={task.label}
      fraction={task.progress?.fraction ?? null}
      message={task.progress?.message ?? task.label}
      onCancel={cancelTask}
    />
  );
}

/** Models and data; typing here re-renders this section, not the charts below. */
function AnalysisSetup({ busy }: { busy: boolean }) {
  const images = useAnalysis((s) => s.images);
  const seeds = useAnalysis((s) => s.seeds.length);
  return (
    <section className="panel" aria-labelledby="analysis-setup-heading">
      <h2 id="analysis-setup-heading">Models and data</h2>
      <ModelChooser disabled={busy} />
      <IntegerField
        label="Test images"
        value={images}
        min={10}
        max={10_000}
        onChange={setImages}
        disabled={busy}
        help="The first N MNIST test images, the same for every model."
      />
      <IntegerField
        label="Seeds"
        value={seeds}
        min={1}
        max={10}
        onChange={setSeeds}
        disabled={busy}
        help="Repeats with other random starts and noise draws; the table shows mean ± std."
      />
      <AnalysisProgress />
    </section>
  );
}

export function AnalysisView() {
  const busy = useAppStore((s) => s.task !== null);
  return (
    <div className="analysis-view">
      <AnalysisSetup busy={busy} />
      <RobustnessPanel busy={busy} />
      <CertifyPanel busy={busy} />
      <CalibrationPanel busy={busy} />
      <EnergyPanel busy={busy} />
      <MarginsPanel busy={busy} />
      <StabilityPanel busy={busy} />
      <ConceptGlossary />
    </div>
  );
}

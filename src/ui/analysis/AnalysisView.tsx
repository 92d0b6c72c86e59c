/** The analysis view: pick up to three models, then robustness curves, calibration, margins and stability. */
import { setImages, setSeeds } from '../../state/analysis/analysisActions';
import { useAnalysis } from '../../state/analysis/analysisStore';
import { useAppStore } from '../../state/appStore';
import { anySplitBatchNorm, setAnalysisBatchNorm } from '../../state/batchNormActions';
import { useTraining } from '../../state/training/trainingStore';
import { BatchNormToggle } from '../common/BatchNormToggle';
import { cancelTask } from '../../state/workerSession';
import { ANALYSIS_FIELDS } from '../../core/options/analysisOptions';
import { SchemaNumberField } from '../common/SchemaField';
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

/** BN_clean / BN_adv for the chosen models that have split batch norm; hidden when none has. */
function AnalysisBatchNorm({ busy }: { busy: boolean }) {
  const models = useAnalysis((s) => s.models);
  const route = useAnalysis((s) => s.bn);
  const saved = useTraining((s) => s.saved);
  if (!anySplitBatchNorm(models, saved)) return null;
  return <BatchNormToggle value={route} onChange={setAnalysisBatchNorm} disabled={busy} name="analysis-bn" />;
}

/** Models and data; typing here re-renders this section, not the charts below. */
function AnalysisSetup({ busy }: { busy: boolean }) {
  const images = useAnalysis((s) => s.images);
  const seeds = useAnalysis((s) => s.seeds.length);
  return (
    <section className="panel" aria-labelledby="analysis-setup-heading">
      <h2 id="analysis-setup-heading">Models and data</h2>
      <ModelChooser disabled={busy} />
      <AnalysisBatchNorm busy={busy} />
      <SchemaNumberField
        field={ANALYSIS_FIELDS.images}
        value={images}
        onChange={setImages}
        disabled={busy}
        help="The first N MNIST test images, the same for every model."
      />
      <SchemaNumberField
        field={ANALYSIS_FIELDS.seeds}
        value={seeds}
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

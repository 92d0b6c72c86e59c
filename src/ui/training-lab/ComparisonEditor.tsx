/**
 * The comparison: a preset to start from, the models, and the settings they share (rendered from the training schema,
 * core/options/trainingOptions.ts TRAINING_RUN_FIELDS).
 */
import { TRAINING_RUN_FIELDS } from '../../core/options/trainingOptions';
import { TRAINING_PRESETS } from '../../state/teaching/presets';
import { useDatasets } from '../../state/datasetStore';
import { addRun, choosePreset, chooseTrainingDataset, updateSpec } from '../../state/training/trainingActions';
import { useTraining } from '../../state/training/trainingStore';
import { ChoiceField } from '../common/ChoiceField';
import { SchemaNumberField } from '../common/SchemaField';
import { CertifiedProbeSettings } from './CertifiedProbeSettings';
import { RobustProbeSettings } from './RobustProbeSettings';
import { RunEditor } from './RunEditor';

export function ComparisonEditor({ disabled }: { disabled: boolean }) {
  const presetId = useTraining((s) => s.presetId);
  const spec = useTraining((s) => s.spec);
  const preset = TRAINING_PRESETS.find((p) => p.id === presetId);
  const dataset = spec.dataset ?? 'mnist';
  const cifarStored = useDatasets((s) => s.cifar10 !== null);
  return (
    <section className="panel comparison-editor" aria-labelledby="comparison-heading">
      <h2 id="comparison-heading">Comparison</h2>
      <fieldset disabled={disabled} className="plain-fieldset">
        <ChoiceField
          label="Preset"
          value={presetId}
          choices={TRAINING_PRESETS.map((p) => ({ value: p.id, text: p.title }))}
          onChange={choosePreset}
        />
        {preset && <p className="help preset-watch">{preset.watch}</p>}
      </fieldset>
      <div className="run-editors">
        {spec.runs.map((r) => (
          <RunEditor key={r.id} dataset={dataset} run={r} removable={spec.runs.length > 1} disabled={disabled} />
        ))}
      </div>
      <fieldset disabled={disabled} className="plain-fieldset shared-settings">
        <ChoiceField
          label="Training data"
          value={dataset}
          choices={[
            { value: 'mnist', text: 'MNIST (60,000 training images)' },
            {
              value: 'cifar10',
              text: cifarStored ? 'CIFAR-10 (stored in this browser)' : 'CIFAR-10 (give its files first)',
            },
          ]}
          onChange={chooseTrainingDataset}
          help={
            dataset === 'cifar10' && !cifarStored
              ? 'Choose CIFAR-10 in the header and give the official files; MNIST works meanwhile.'
              : undefined
          }
        />
        {spec.runs.length < 3 && (
          <button type="button" className="secondary" onClick={addRun}>
            Add a model
          </button>
        )}
        <RunSettings />
      </fieldset>
    </section>
  );
}

/** The settings every run of the comparison shares, rendered from the training schema, and the probes. */
function RunSettings() {
  const spec = useTraining((s) => s.spec);
  const ctx = { dataset: spec.dataset ?? 'mnist' };
  const F = TRAINING_RUN_FIELDS;
  return (
    <>
      <SchemaNumberField field={F.epochs} value={spec.epochs} onChange={(epochs) => updateSpec({ epochs })} />
      <SchemaNumberField
        field={F.trainExamples}
        ctx={ctx}
        value={spec.trainExamples}
        onChange={(trainExamples) => updateSpec({ trainExamples })}
      />
      <SchemaNumberField
        field={F.heldOutExamples}
        value={spec.heldOutExamples}
        onChange={(heldOutExamples) => updateSpec({ heldOutExamples })}
      />
      <SchemaNumberField
        field={F.seed}
        value={spec.seed}
        onChange={(seed) => updateSpec({ seed })}
        help="Same seed for all: initialisation, data order, noise."
      />
      <SchemaNumberField
        field={F.reportEvery}
        value={spec.reportEvery}
        onChange={(reportEvery) => updateSpec({ reportEvery })}
      />
      <ChoiceField
        label="Schedule"
        value={spec.schedule}
        choices={[
          { value: 'interleaved', text: 'interleaved, batch by batch' },
          { value: 'sequential', text: 'one model after the other' },
        ]}
        onChange={(schedule) => updateSpec({ schedule })}
      />
      <RobustProbeSettings ctx={ctx} probe={spec.robustProbe} onChange={(robustProbe) => updateSpec({ robustProbe })} />
      <CertifiedProbeSettings
        ctx={ctx}
        probe={spec.certifiedProbe}
        onChange={(certifiedProbe) => updateSpec({ certifiedProbe })}
      />
    </>
  );
}

/** The comparison: a preset to start from, the models, and the settings they share. */
import { TRAINING_PRESETS } from '../../state/teaching/presets';
import { useDatasets } from '../../state/datasetStore';
import { addRun, choosePreset, chooseTrainingDataset, updateSpec } from '../../state/training/trainingActions';
import { useTraining } from '../../state/training/trainingStore';
import { ChoiceField } from '../common/ChoiceField';
import { IntegerField } from '../common/IntegerField';
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
        <IntegerField
          label="Epochs"
          value={spec.epochs}
          min={1}
          max={100}
          onChange={(epochs) => updateSpec({ epochs })}
        />
        <IntegerField
          label="Training images"
          value={spec.trainExamples}
          min={100}
          max={dataset === 'cifar10' ? 50_000 : 60_000}
          onChange={(trainExamples) => updateSpec({ trainExamples })}
          help="The first N training images."
        />
        <IntegerField
          label="Held-out images"
          value={spec.heldOutExamples}
          min={50}
          max={10_000}
          onChange={(heldOutExamples) => updateSpec({ heldOutExamples })}
          help="The first N test images, for the live test-accuracy curve."
        />
        <IntegerField
          label="Training seed"
          value={spec.seed}
          min={0}
          max={1_000_000}
          onChange={(seed) => updateSpec({ seed })}
          help="Same seed for all: initialisation, data order, noise."
        />
        <IntegerField
          label="Report every (batches)"
          value={spec.reportEvery}
          min={1}
          max={1000}
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
        <RobustProbeSettings probe={spec.robustProbe} onChange={(robustProbe) => updateSpec({ robustProbe })} />
        <CertifiedProbeSettings
          probe={spec.certifiedProbe}
          onChange={(certifiedProbe) => updateSpec({ certifiedProbe })}
        />
      </fieldset>
    </section>
  );
}

/**
 * Perturbation stability (Zhu, Liu, Chrysos, Cevher, NeurIPS 2022): against ε for the
 * chosen models, and across MLP width × depth × initialisation with the lazy-training ratio.
 */
import { STABILITY_FORM_LABELS, STABILITY_FORMS, type StabilityForm } from '../../core/metrics/stabilityForms';
import { INITIALISATIONS } from '../../core/models/layers/initialisations';
import { useAnalysis } from '../../state/analysis/analysisStore';
import {
  runStability,
  runStabilitySweep,
  setStabilitySettings,
  setSweepSettings,
} from '../../state/analysis/stabilityActions';
import { useStability } from '../../state/analysis/stabilityStore';
import { ChoiceField } from '../common/ChoiceField';
import { MLP_CONTEXT, STABILITY_FIELDS, SWEEP_FIELDS } from '../../core/options/stabilityOptions';
import { SchemaListField, SchemaNumberField } from '../common/SchemaField';
import { StabilityCurveChart } from './StabilityCurveChart';
import { SweepLazyChart, SweepStabilityChart } from './SweepCharts';

// The choice shows the formula and its kind; that the paper's exact form is unverified is said once, in the help.
const FORM_CHOICES = STABILITY_FORMS.map((f) => ({ value: f, text: STABILITY_FORM_LABELS[f].replace(/ \(.*\)$/, '') }));

function ModelStability({ busy }: { busy: boolean }) {
  const models = useAnalysis((s) => s.models);
  const { images, eps, form, samples, results } = useStability();
  return (
    <>
      <fieldset className="analysis-controls" disabled={busy}>
        <div className="wide">
          <ChoiceField
            label="Stability form"
            value={form}
            choices={FORM_CHOICES}
            onChange={(f: StabilityForm) => setStabilitySettings({ form: f })}
            help={
              'The paper’s exact formula is unverified: all three forms are offered, and every chart says ' +
              'which it shows.'
            }
          />
        </div>
        <SchemaNumberField
          field={STABILITY_FIELDS.images}
          value={images}
          onChange={(v) => setStabilitySettings({ images: v })}
        />
        <SchemaListField
          field={STABILITY_FIELDS.eps}
          values={eps}
          maxCount={12}
          onChange={(v) => setStabilitySettings({ eps: v })}
        />
        <SchemaNumberField
          field={STABILITY_FIELDS.samples}
          value={samples}
          onChange={(v) => setStabilitySettings({ samples: v })}
        />
      </fieldset>
      <div className="button-row">
        <button type="button" onClick={() => void runStability()} disabled={busy || models.length === 0}>
          Measure stability
        </button>
      </div>
      {results && results.length > 0 && (
        <div className="training-charts">
          <StabilityCurveChart results={results} />
        </div>
      )}
    </>
  );
}

function MlpSweep({ busy }: { busy: boolean }) {
  const { sweep, sweepPoints, sweepResult, sweepRequest } = useStability();
  const configs = sweep.widths.length * sweep.depths.length * sweep.inits.length;
  return (
    <>
      <h3>MLP width × depth × initialisation</h3>
      <fieldset className="analysis-controls" disabled={busy}>
        <SchemaListField
          field={SWEEP_FIELDS.widths}
          ctx={MLP_CONTEXT}
          values={sweep.widths}
          maxCount={8}
          onChange={(v) => setSweepSettings({ widths: v })}
        />
        <SchemaListField
          field={SWEEP_FIELDS.depths}
          ctx={MLP_CONTEXT}
          values={sweep.depths}
          maxCount={4}
          onChange={(v) => setSweepSettings({ depths: v })}
        />
        <fieldset className="model-chooser">
          <legend>Initialisations</legend>
          {INITIALISATIONS.map((init) => (
            <label key={init} className="checkbox">
              <input
                type="checkbox"
                checked={sweep.inits.includes(init)}
                onChange={(e) =>
                  setSweepSettings({
                    inits: INITIALISATIONS.filter((i) => (i === init ? e.target.checked : sweep.inits.includes(i))),
                  })
                }
              />
              {init === 'he'
                ? 'He, N(0, 2/fan_in)'
                : init === 'lecun'
                  ? 'LeCun, N(0, 1/fan_in)'
                  : 'NTK, N(0, 1) scaled by √(c/fan_in)'}
            </label>
          ))}
        </fieldset>
        <SchemaNumberField
          field={STABILITY_FIELDS.eps}
          label="Sweep ε (L2)"
          value={sweep.eps}
          onChange={(v) => setSweepSettings({ eps: v })}
        />
        <SchemaNumberField
          field={STABILITY_FIELDS.images}
          label="Sweep images"
          value={sweep.images}
          onChange={(v) => setSweepSettings({ images: v })}
        />
        <SchemaNumberField
          field={STABILITY_FIELDS.samples}
          label="Sweep draws per image"
          value={sweep.samples}
          onChange={(v) => setSweepSettings({ samples: v })}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={sweep.train}
            onChange={(e) => setSweepSettings({ train: e.target.checked })}
          />
          Train briefly first (one epoch of SGD on 512 images: the lazy-training ratio)
        </label>
      </fieldset>
      <div className="button-row">
        <button type="button" onClick={() => void runStabilitySweep()} disabled={busy || configs === 0}>
          Run the MLP sweep
        </button>
        <span className="help">{configs} networks, measured with the form chosen above.</span>
      </div>
      {sweepRequest && (
        <div className="training-charts">
          <SweepStabilityChart points={sweepPoints} request={sweepRequest} result={sweepResult} />
          <SweepLazyChart points={sweepPoints} request={sweepRequest} result={sweepResult} />
        </div>
      )}
    </>
  );
}

export function StabilityPanel({ busy }: { busy: boolean }) {
  return (
    <section className="panel" aria-labelledby="stability-heading">
      <h2 id="stability-heading">Perturbation stability</h2>
      <ModelStability busy={busy} />
      <MlpSweep busy={busy} />
    </section>
  );
}

/**
 * Margins (Lyu & Li 2020; DeepFool: Moosavi-Dezfooli et al. 2016; PGD: Madry et al. 2018): clean
 * and adversarial logit margins, the distances DeepFool and PGD needed, margin against distance
 * with the Lipschitz-certified radius, the normalised margin and the layer operator norms, and
 * the normalised margin over training.
 */
import { runMargins, setMarginSettings } from '../../state/analysis/marginsActions';
import { useAnalysis } from '../../state/analysis/analysisStore';
import { useMargins } from '../../state/analysis/marginsStore';
import { MARGINS_FIELDS } from '../../core/options/analysisOptions';
import { SchemaNumberField } from '../common/SchemaField';
import { LipschitzTable, OperatorNormChart } from './LipschitzSummary';
import { DistanceHistograms, MarginHistogram } from './MarginHistograms';
import { MarginScatter } from './MarginScatter';
import { TrainingMarginChart } from './TrainingMarginChart';

export function MarginsPanel({ busy }: { busy: boolean }) {
  const models = useAnalysis((s) => s.models);
  const { images, deepFoolImages, eps, pgdDistance, results } = useMargins();
  return (
    <section className="panel" aria-labelledby="margins-heading">
      <h2 id="margins-heading">Margins and distances</h2>
      <fieldset className="analysis-controls" disabled={busy}>
        <SchemaNumberField
          field={MARGINS_FIELDS.images}
          value={images}
          onChange={(v) => setMarginSettings({ images: v })}
        />
        <SchemaNumberField
          field={MARGINS_FIELDS.deepFoolImages}
          value={deepFoolImages}
          maxAtMost={images}
          onChange={(v) => setMarginSettings({ deepFoolImages: v })}
        />
        <SchemaNumberField
          field={MARGINS_FIELDS.adversarialEps}
          value={eps}
          onChange={(v) => setMarginSettings({ eps: v })}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={pgdDistance}
            onChange={(e) => setMarginSettings({ pgdDistance: e.target.checked })}
          />
          PGD L∞ distance (bisection on ε)
        </label>
      </fieldset>
      <div className="button-row">
        <button type="button" onClick={() => void runMargins()} disabled={busy || models.length === 0}>
          Measure margins
        </button>
        <span className="help">About a minute on wasm at the defaults; DeepFool and the bisection cost the most.</span>
      </div>
      {results && (
        <>
          <LipschitzTable results={results} />
          <div className="training-charts">
            {results.map((r, k) => (
              <MarginHistogram key={r.name} result={r} index={k} />
            ))}
            <DistanceHistograms results={results} />
            <MarginScatter results={results} />
            {results.map((r, k) => (
              <OperatorNormChart key={r.name} result={r} index={k} />
            ))}
          </div>
        </>
      )}
      <div className="training-charts">
        <TrainingMarginChart />
      </div>
    </section>
  );
}

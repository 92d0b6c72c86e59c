/** Up to three models for the analysis: shipped ones and those saved in this browser. */
import { toggleModel } from '../../state/analysis/analysisActions';
import { useAnalysis } from '../../state/analysis/analysisStore';
import { SHIPPED_MODELS } from '../../state/shippedModels';
import { useTraining } from '../../state/training/trainingStore';
import type { AnalysisModel } from '../../worker/api';

export function ModelChooser({ disabled }: { disabled: boolean }) {
  const chosen = useAnalysis((s) => s.models);
  const saved = useTraining((s) => s.saved);
  const options: AnalysisModel[] = [
    ...SHIPPED_MODELS.map((m) => ({ name: m.title, ref: { kind: 'shipped' as const, url: m.url } })),
    ...saved.map((m) => ({ name: m.name, ref: { kind: 'saved' as const, name: m.name } })),
  ];
  return (
    <fieldset className="model-chooser" disabled={disabled}>
      <legend>Models (up to three)</legend>
      {options.map((m) => (
        <label key={m.name} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.some((c) => c.name === m.name)}
            onChange={(e) => toggleModel(m, e.target.checked)}
          />
          {m.name}
        </label>
      ))}
    </fieldset>
  );
}

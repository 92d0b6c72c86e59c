/** Which model the attack lab uses: a shipped one or one trained and saved in this browser, of the data set in use. */
import { useEffect } from 'react';
import { loadShippedModel } from '../../state/backendActions';
import { useAppStore } from '../../state/appStore';
import { useDatasets } from '../../state/datasetStore';
import { SHIPPED_MODELS_BY_DATASET } from '../../state/shippedModels';
import { refreshSavedModels, switchToSavedModel } from '../../state/training/trainingActions';
import { useTraining } from '../../state/training/trainingStore';

const SAVED = 'saved:';

export function ModelPicker() {
  const source = useAppStore((s) => s.model?.source ?? '');
  const busy = useAppStore((s) => s.task !== null);
  const dataset = useDatasets((s) => s.active);
  const allSaved = useTraining((s) => s.saved);
  const saved = allSaved.filter((m) => m.meta.dataset === dataset);
  const shipped = SHIPPED_MODELS_BY_DATASET[dataset];
  useEffect(() => void refreshSavedModels(), []);
  const known =
    shipped.some((m) => m.url === source) || (source.startsWith(SAVED) && saved.some((m) => SAVED + m.name === source));
  return (
    <label className="inline-field" data-control="model">
      Model
      <select
        aria-label="Model"
        value={known ? source : ''}
        disabled={busy}
        onChange={(e) => {
          const v = e.target.value;
          if (v.startsWith(SAVED)) void switchToSavedModel(v.slice(SAVED.length));
          else if (v) void loadShippedModel(v);
        }}
      >
        {!known && (
          <option value="">{source.startsWith('file:') ? `from files: ${source.slice(5)}` : 'loading…'}</option>
        )}
        <optgroup label="Shipped (pretrained)">
          {shipped.map((m) => (
            <option key={m.url} value={m.url}>
              {m.title}
            </option>
          ))}
        </optgroup>
        {saved.length > 0 && (
          <optgroup label="Trained or imported in this browser">
            {saved.map((m) => (
              <option key={m.name} value={SAVED + m.name}>
                {m.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}

/** Which model the attack lab uses: a shipped one or one trained and saved in this browser. */
import { useEffect } from 'react';
import { loadShippedModel } from '../../state/backendActions';
import { useLab } from '../../state/labStore';
import { SHIPPED_MODELS } from '../../state/shippedModels';
import { refreshSavedModels, useSavedModel } from '../../state/training/trainingActions';
import { useTraining } from '../../state/training/trainingStore';

const SAVED = 'saved:';

export function ModelPicker() {
  const source = useLab((s) => s.model?.source ?? '');
  const busy = useLab((s) => s.task !== null);
  const saved = useTraining((s) => s.saved);
  useEffect(() => void refreshSavedModels(), []);
  const known = SHIPPED_MODELS.some((m) => m.url === source) || (source.startsWith(SAVED) && saved.some((m) => SAVED + m.name === source));
  return (
    <label className="inline-field">
      Model
      <select
        aria-label="Model"
        value={known ? source : ''}
        disabled={busy}
        onChange={(e) => {
          const v = e.target.value;
          if (v.startsWith(SAVED)) void useSavedModel(v.slice(SAVED.length));
          else if (v) void loadShippedModel(v);
        }}
      >
        {!known && <option value="">{source.startsWith('file:') ? `from files: ${source.slice(5)}` : 'loading…'}</option>}
        <optgroup label="Shipped (pretrained)">
          {SHIPPED_MODELS.map((m) => (
            <option key={m.url} value={m.url}>
              {m.title}
            </option>
          ))}
        </optgroup>
        {saved.length > 0 && (
          <optgroup label="Trained in this browser">
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

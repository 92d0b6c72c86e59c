/** Overrides the automatic backend choice. */
import { switchBackend } from '../../state/backendActions';
import { BACKEND_CHOICES, useSettings } from '../../state/settingsStore';
import type { BackendChoice } from '../../worker/api';

export function BackendSelect() {
  const choice = useSettings((s) => s.backend);
  return (
    <label className="inline-field" data-control="backend">
      Backend
      <select aria-label="Backend" value={choice} onChange={(e) => void switchBackend(e.target.value as BackendChoice)}>
        {BACKEND_CHOICES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

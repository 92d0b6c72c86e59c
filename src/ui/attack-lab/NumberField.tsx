/** One numeric attack setting, rendered from its entry in the settings schema. */
import { useId } from 'react';
import { NUMERIC_FIELDS, fieldError, type NumericField as Field } from '../../state/attackSettings';
import { useSettings } from '../../state/settingsStore';

interface NumberFieldProps {
  field: Field;
  /** Shown in the empty input (the value "auto" stands for). */
  placeholder?: string;
  /** Replaces the schema's help line. */
  help?: string;
}

export function NumberField({ field, placeholder, help }: NumberFieldProps) {
  const id = useId();
  const value = useSettings((s) => s.attack[field]);
  const norm = useSettings((s) => s.attack.norm);
  const spec = NUMERIC_FIELDS[field];
  const error = fieldError(field, value, norm);
  return (
    <div className="field">
      <label htmlFor={id}>{spec.label}</label>
      <input
        id={id}
        type="number"
        aria-label={spec.label}
        aria-invalid={error !== null}
        aria-describedby={`${id}-help`}
        min={spec.min}
        max={spec.max(norm)}
        step={spec.integer ? 1 : 'any'}
        placeholder={placeholder}
        value={value}
        onChange={(e) => useSettings.getState().setAttackField(field, e.target.value)}
      />
      <small id={`${id}-help`} className={error ? 'field-error' : 'help'}>
        {error ?? help ?? spec.help}
      </small>
    </div>
  );
}

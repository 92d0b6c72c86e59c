/** One numeric attack setting, rendered from its entry in the settings schema. */
import { useId } from 'react';
import { NUMERIC_FIELDS, epsInputStep, fieldError, type NumericField as Field } from '../../state/attackSettings';
import { useSettings } from '../../state/settingsStore';
import { epsIn255ths } from '../common/format';

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
  const dataset = useSettings((s) => s.dataset);
  const spec = NUMERIC_FIELDS[field];
  const error = fieldError(field, value, norm);
  // On 8-bit colour images an L∞ ε steps by one grey level and reads as k/255 too.
  const levels = field === 'eps' && epsInputStep(dataset, norm) !== 'any';
  const step = levels ? epsInputStep(dataset, norm) : spec.integer ? 1 : 'any';
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
        step={step}
        placeholder={placeholder}
        value={value}
        onChange={(e) => useSettings.getState().setAttackField(field, e.target.value)}
      />
      <small id={`${id}-help`} className={error ? 'field-error' : 'help'}>
        {error ?? help ?? spec.help}
      </small>
      {levels && !error && (
        <small className="help eps-levels" data-testid="eps-levels">
          ε = {epsIn255ths(Number(value))} (one grey level is 1/255)
        </small>
      )}
    </div>
  );
}

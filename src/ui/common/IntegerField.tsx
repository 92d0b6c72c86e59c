/** A labelled whole-number input that only passes on values within [min, max]; says why otherwise. */
import { useEffect, useId, useState } from 'react';

interface IntegerFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  help?: string;
  disabled?: boolean;
}

export function IntegerField({ label, value, min, max, onChange, help, disabled }: IntegerFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  // A preset or another control may change the value: show it.
  useEffect(() => setDraft(String(value)), [value]);
  const parsed = Number(draft);
  const error =
    draft.trim() === '' || !Number.isInteger(parsed) || parsed < min || parsed > max
      ? `A whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`
      : null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        aria-label={label}
        aria-invalid={error !== null}
        aria-describedby={`${id}-help`}
        min={min}
        max={max}
        step={1}
        value={draft}
        disabled={disabled}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isInteger(v) && v >= min && v <= max) onChange(v);
        }}
      />
      <small id={`${id}-help`} className={error ? 'field-error' : 'help'}>
        {error ?? help ?? ''}
      </small>
    </div>
  );
}

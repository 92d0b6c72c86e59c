/** A labelled decimal input that only passes on values within [min, max]; says why otherwise. */
import { useEffect, useId, useState } from 'react';

interface DecimalFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange: (value: number) => void;
  help?: string;
  disabled?: boolean;
}

export function DecimalField({ label, value, min, max, step = 0.01, onChange, help, disabled }: DecimalFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft((d) => (Number(d) === value && d.trim() !== '' ? d : String(value))), [value]);
  const parsed = Number(draft);
  const error = draft.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max ? `A number from ${min} to ${max}.` : null;
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
        step={step}
        value={draft}
        disabled={disabled}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v) && v >= min && v <= max) onChange(v);
        }}
      />
      <small id={`${id}-help`} className={error ? 'field-error' : 'help'}>
        {error ?? help ?? ''}
      </small>
    </div>
  );
}

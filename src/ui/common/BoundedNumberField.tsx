/**
 * A labelled number input that passes on only values within [min, max] (whole numbers when
 * `integer`), and says why otherwise. What the user types stays as typed while it is invalid, so
 * a half-typed "0." is not overwritten; a value set elsewhere (a preset) replaces it.
 */
import { useEffect, useId, useState } from 'react';
import { groupThousands } from './format';

export interface BoundedNumberFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  integer?: boolean;
  step?: number;
  onChange: (value: number) => void;
  help?: string;
  disabled?: boolean;
}

/** Whether the field passes `text` on: a number (whole when `integer`) within [min, max]. */
export function acceptsNumberText(text: string, p: { min: number; max: number; integer?: boolean }): boolean {
  const v = Number(text);
  return text.trim() !== '' && (p.integer ? Number.isInteger(v) : Number.isFinite(v)) && v >= p.min && v <= p.max;
}

export function BoundedNumberField({
  label,
  value,
  min,
  max,
  integer = false,
  step,
  onChange,
  help,
  disabled,
}: BoundedNumberFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft((d) => (Number(d) === value && d.trim() !== '' ? d : String(value))), [value]);
  const accepts = (text: string) => acceptsNumberText(text, { min, max, integer });
  const range = `from ${groupThousands(min)} to ${groupThousands(max)}`;
  const error = accepts(draft) ? null : integer ? `A whole number ${range}.` : `A number ${range}.`;
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
        step={step ?? (integer ? 1 : 0.01)}
        value={draft}
        disabled={disabled}
        onChange={(e) => {
          setDraft(e.target.value);
          if (accepts(e.target.value)) onChange(Number(e.target.value));
        }}
      />
      <small id={`${id}-help`} className={error ? 'field-error' : 'help'}>
        {error ?? help ?? ''}
      </small>
    </div>
  );
}

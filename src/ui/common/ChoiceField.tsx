/** A labelled select with one line of help under it. */
import { useId } from 'react';

interface ChoiceFieldProps<T extends string> {
  label: string;
  value: T;
  choices: readonly { value: T; text: string }[];
  onChange: (value: T) => void;
  help?: string;
  /** Names the control for `hide=` in the address and for lessons that highlight it (data-control). */
  control?: string;
}

export function ChoiceField<T extends string>({ label, value, choices, onChange, help, control }: ChoiceFieldProps<T>) {
  const id = useId();
  return (
    <div className="field" data-control={control}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-label={label}
        aria-describedby={help ? `${id}-help` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.text}
          </option>
        ))}
      </select>
      {help && (
        <small id={`${id}-help`} className="help">
          {help}
        </small>
      )}
    </div>
  );
}

/** A labelled comma-separated list of numbers that only passes on lists within the limits; says why otherwise. */
import { useEffect, useId, useState } from 'react';
import { groupThousands } from './format';

interface NumberListFieldProps {
  label: string;
  values: readonly number[];
  min: number;
  max: number;
  integer?: boolean;
  /** At most this many numbers. */
  maxCount?: number;
  onChange: (values: number[]) => void;
  help?: string;
  disabled?: boolean;
}

/** The list the text names (sorted, each value once), or the sentence saying what is wrong with it. */
export function parseNumberList(
  text: string,
  p: Pick<NumberListFieldProps, 'min' | 'max' | 'integer' | 'maxCount'>,
): number[] | string {
  const parts = text.split(/[,\s]+/).filter((s) => s !== '');
  const kind = p.integer ? 'whole numbers' : 'numbers';
  const limit = `${kind} from ${groupThousands(p.min)} to ${groupThousands(p.max)}, separated by commas`;
  if (parts.length === 0) return `One or more ${limit}.`;
  if (p.maxCount !== undefined && parts.length > p.maxCount) return `At most ${p.maxCount} values.`;
  const values = parts.map(Number);
  if (values.some((v) => !Number.isFinite(v) || v < p.min || v > p.max || (p.integer && !Number.isInteger(v))))
    return `Only ${limit}.`;
  return [...new Set(values)].sort((a, b) => a - b);
}

export function NumberListField({
  label,
  values,
  min,
  max,
  integer,
  maxCount,
  onChange,
  help,
  disabled,
}: NumberListFieldProps) {
  const id = useId();
  const shown = values.join(', ');
  const [draft, setDraft] = useState(shown);
  // Another control may change the values: show them, unless the draft already says the same
  // (so a trailing comma being typed is not wiped out).
  useEffect(() => {
    setDraft((d) => {
      const p = parseNumberList(d, { min, max, integer, maxCount });
      return typeof p !== 'string' && p.join(', ') === shown ? d : shown;
    });
  }, [shown, min, max, integer, maxCount]);
  const parsed = parseNumberList(draft, { min, max, integer, maxCount });
  const error = typeof parsed === 'string' ? parsed : null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        aria-label={label}
        aria-invalid={error !== null}
        aria-describedby={`${id}-help`}
        value={draft}
        disabled={disabled}
        onChange={(e) => {
          setDraft(e.target.value);
          const next = parseNumberList(e.target.value, { min, max, integer, maxCount });
          if (typeof next !== 'string') onChange(next);
        }}
      />
      <small id={`${id}-help`} className={error ? 'field-error' : 'help'}>
        {error ?? help ?? ''}
      </small>
    </div>
  );
}

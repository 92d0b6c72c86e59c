/** One numeric attack setting, rendered from its entry in the attack schema (core/options/attackOptions.ts). */
import { useId, type KeyboardEvent } from 'react';
import { ATTACK_FIELDS, epsText } from '../../core/options/attackOptions';
import { fieldLimits, parseNumberText } from '../../core/options/field';
import { draftContext, epsInputStep, fieldError, type NumericField as Field } from '../../state/attackSettings';
import { useSettings } from '../../state/settingsStore';
import { epsIn255ths } from '../common/format';

interface NumberFieldProps {
  field: Field;
  /** Shown in the empty input (the value "auto" stands for). */
  placeholder?: string;
  /** Replaces the schema's help line. */
  help?: string;
}

/**
 * ε is a text field, not type=number: a number input cannot show "8/255", the way CIFAR-10 budgets are quoted. The
 * arrow keys still step it, by one grey level where the field counts in 255ths.
 */
function stepEps(value: string, direction: 1 | -1, levels: boolean): string | null {
  const { dataset, attack } = useSettings.getState();
  const current = parseNumberText(value);
  if (!Number.isFinite(current)) return null;
  if (levels) return epsText(Math.max(0, Math.round(current * 255) + direction) / 255, dataset, attack.norm);
  return String(Math.max(0, Number((current + direction * ATTACK_FIELDS.eps.step).toFixed(6))));
}

export function NumberField({ field, placeholder, help }: NumberFieldProps) {
  const id = useId();
  const value = useSettings((s) => s.attack[field]);
  const norm = useSettings((s) => s.attack.norm);
  const method = useSettings((s) => s.attack.method);
  const dataset = useSettings((s) => s.dataset);
  const spec = ATTACK_FIELDS[field];
  const ctx = draftContext({ norm, method }, dataset);
  const error = fieldError(field, value, ctx);
  const { min, max } = fieldLimits(spec, ctx);
  // On 8-bit colour images an L∞ ε steps by one grey level and reads as k/255 too.
  const levels = field === 'eps' && epsInputStep(dataset, norm) !== 'any';
  const isEps = field === 'eps';
  const set = (text: string) => useSettings.getState().setAttackField(field, text);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!isEps || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    const next = stepEps(value, e.key === 'ArrowUp' ? 1 : -1, levels);
    if (next === null) return;
    e.preventDefault();
    set(next);
  };
  return (
    <div className="field" data-control={field}>
      <label htmlFor={id}>{spec.label}</label>
      <input
        id={id}
        type={isEps ? 'text' : 'number'}
        inputMode={isEps ? 'decimal' : undefined}
        aria-label={spec.label}
        aria-invalid={error !== null}
        aria-describedby={`${id}-help`}
        min={isEps ? undefined : min}
        max={isEps ? undefined : max}
        step={isEps ? undefined : spec.type === 'integer' ? 1 : 'any'}
        placeholder={placeholder}
        value={value}
        onKeyDown={onKeyDown}
        onChange={(e) => set(e.target.value)}
      />
      <small id={`${id}-help`} className={error ? 'field-error' : 'help'}>
        {error ?? help ?? spec.help}
      </small>
      {levels && !error && (
        <small className="help eps-levels" data-testid="eps-levels">
          ε = {epsIn255ths(parseNumberText(value))} ≈ {Number(parseNumberText(value).toPrecision(3))} (one grey level is
          1/255; type a fraction such as 8/255)
        </small>
      )}
    </div>
  );
}

/**
 * Form controls rendered from a field of an options schema (core/options): the label, limits, whole-number rule,
 * spinner step and help line all come from the descriptor, so the form cannot disagree with the CLI, the link or the
 * core. `help` replaces the schema's line where the view says something more specific.
 */
import { fieldLimits, type OptionContext, type OptionField } from '../../core/options/field';
import { BoundedNumberField } from './BoundedNumberField';
import { NumberListField } from './NumberListField';

interface SchemaFieldProps {
  field: OptionField;
  /** The label on screen where the schema's needs saying whose it is ("Training ε of model A"). */
  label?: string;
  ctx?: OptionContext;
  help?: string;
  disabled?: boolean;
  /** A tighter upper limit the view imposes (e.g. no more smoothing images than certified images). */
  maxAtMost?: number;
}

/** The limits a schema field's control enforces: the schema's, capped by the view's `maxAtMost`. */
export function schemaInputLimits(field: OptionField, ctx: OptionContext = {}, maxAtMost = Number.POSITIVE_INFINITY) {
  const { min, max } = fieldLimits(field, ctx);
  return { min: min ?? Number.NEGATIVE_INFINITY, max: Math.min(max ?? Number.POSITIVE_INFINITY, maxAtMost) };
}

/** What a number control of `field` is given: its limits, whole-number rule and spinner step. */
export function schemaInputProps(field: OptionField, ctx: OptionContext = {}, maxAtMost = Number.POSITIVE_INFINITY) {
  return { ...schemaInputLimits(field, ctx, maxAtMost), integer: field.type === 'integer', step: field.step };
}

/** One number. */
export function SchemaNumberField({
  field,
  label,
  ctx,
  help,
  disabled,
  maxAtMost,
  value,
  onChange,
}: SchemaFieldProps & { value: number; onChange: (value: number) => void }) {
  return (
    <BoundedNumberField
      label={label ?? field.label}
      value={value}
      {...schemaInputProps(field, ctx, maxAtMost)}
      onChange={onChange}
      help={help ?? field.help}
      disabled={disabled}
    />
  );
}

/** A comma-separated list of numbers, each within the field's limits (at most `maxCount`). */
export function SchemaListField({
  field,
  label,
  ctx,
  help,
  disabled,
  values,
  maxCount,
  onChange,
}: SchemaFieldProps & { values: readonly number[]; maxCount?: number; onChange: (values: number[]) => void }) {
  return (
    <NumberListField
      label={label ?? field.label}
      values={values}
      {...schemaInputLimits(field, ctx)}
      integer={field.type === 'integer'}
      maxCount={maxCount}
      onChange={onChange}
      help={help ?? field.help}
      disabled={disabled}
    />
  );
}

/**
 * The command line over an options schema (core/options/field.ts): the parseArgs spec of a set of fields, each
 * flag's value parsed and checked by the field's own rules (one clear line when it is wrong), and the --help lines
 * that describe them — type, unit, limits, default and help, as the schema says.
 */
import { InvalidOptionError } from '../core/util/errors';
import {
  fieldDefault,
  fieldLimits,
  formatFieldValue,
  parseFieldText,
  type OptionContext,
  type OptionField,
  type OptionValue,
} from '../core/options/field';
import type { OptionSpec, Values } from './args';

/** The parseArgs spec of the fields that have a CLI flag. */
export function schemaSpec(fields: Iterable<OptionField>): OptionSpec {
  const spec: OptionSpec = {};
  for (const f of fields) if (f.cliFlag) spec[f.cliFlag] = { type: 'string' };
  return spec;
}

/** The value the CLI uses when the flag is absent: the schema's default, or its CLI exception. */
export function cliFieldDefault(field: OptionField, ctx: OptionContext): OptionValue | undefined {
  return field.cliDefault ? field.cliDefault.value : fieldDefault(field, ctx);
}

function parseOne(field: OptionField, raw: string, ctx: OptionContext): OptionValue {
  const parsed = parseFieldText(field, raw, ctx, true);
  if (!parsed.ok) {
    const got = raw.trim() === '' ? '' : `, got "${raw}"`;
    const problem = parsed.problem === 'is required' ? 'needs a value' : parsed.problem;
    throw new InvalidOptionError(`--${field.cliFlag} ${problem}${got}.`);
  }
  return parsed.value as OptionValue;
}

/** `--flag value` checked by the field's schema; absent: the default (undefined for an optional "auto" field). */
export function fieldOption(values: Values, field: OptionField, ctx: OptionContext = {}): OptionValue | undefined {
  const raw = field.cliFlag === undefined ? undefined : values[field.cliFlag];
  if (raw === undefined) return cliFieldDefault(field, ctx);
  return parseOne(field, String(raw), ctx);
}

/** The same, for a number field. */
export function numberFieldOption(values: Values, field: OptionField, ctx: OptionContext = {}): number | undefined {
  const v = fieldOption(values, field, ctx);
  return v === undefined ? undefined : Number(v);
}

/** `--flag a,b,c`, each value checked by the field's schema; a value listed twice is refused. Absent: undefined. */
export function fieldListOption(
  values: Values,
  field: OptionField,
  ctx: OptionContext = {},
): OptionValue[] | undefined {
  const raw = field.cliFlag === undefined ? undefined : values[field.cliFlag];
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (text.trim() === '') throw new InvalidOptionError(`--${field.cliFlag} needs a value or a comma-separated list.`);
  const list = text.split(',').map((part) => parseOne(field, part.trim(), ctx));
  if (new Set(list).size !== list.length)
    throw new InvalidOptionError(`--${field.cliFlag} lists a value twice: ${text}.`);
  return list;
}

function placeholder(field: OptionField): string {
  if (field.type === 'enum') return (field.choices ?? []).join('|');
  if (field.type === 'boolean') return 'on|off';
  const word = field.type === 'integer' ? 'N' : 'X';
  return field.cliList ? `${word}[,${word}…]` : word;
}

/** One --help line per field with a flag: the flag, its values, then help, unit, limits and default. */
export function helpLines(fields: Iterable<OptionField>, ctx: OptionContext = {}): string[] {
  const lines: string[] = [];
  for (const f of fields) {
    if (!f.cliFlag) continue;
    const { min, max } = fieldLimits(f, ctx);
    const facts: string[] = [];
    if (f.unit) facts.push(f.unit);
    if (f.type !== 'enum' && f.type !== 'boolean' && (min !== undefined || max !== undefined)) {
      facts.push(
        min !== undefined && max !== undefined ? `${min} to ${max}` : min !== undefined ? `≥ ${min}` : `≤ ${max}`,
      );
    }
    const d = cliFieldDefault(f, ctx);
    facts.push(d === undefined ? 'default: auto' : `default: ${formatFieldValue(f, d, ctx)}`);
    if (f.cliDefault) facts.push(`(the app: ${String(fieldDefault(f, ctx) ?? 'auto')}; ${f.cliDefault.why})`);
    lines.push(`  --${f.cliFlag} ${placeholder(f)}`, `      ${f.help} [${facts.join('; ')}]`);
  }
  return lines;
}

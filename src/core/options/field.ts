/**
 * One option of an experiment, described once: its type, unit, limits, default, help line, the name it carries in a
 * link and on the command line. The forms render from these descriptors, the CLI parses and prints --help from them,
 * the link reads and writes them and the core validates with them — so a limit is written once (TensorFlow
 * Playground's state.ts does this for its parameters; here each experiment has one table: attackOptions.ts,
 * certifyOptions.ts, analysisOptions.ts, trainingOptions.ts). Pure TypeScript: no tfjs, no DOM, safe for the page.
 *
 * Limits and defaults may depend on the context of the other choices (ε's limit on the norm, its default on the
 * data set): a descriptor gives either a value or a function of that context.
 */

/** The other choices a limit or default may depend on, by field key (e.g. `{ dataset: 'mnist', norm: 'l2' }`). */
export type OptionContext = Readonly<Record<string, string | undefined>>;
/** A value, or a function of the context. */
export type InContext<T> = T | ((ctx: OptionContext) => T);

/** `number` may be fractional; `integer` is whole; `enum` is one of `choices`; `boolean` is on/off. */
export type OptionType = 'number' | 'integer' | 'enum' | 'boolean';
export type OptionValue = number | string | boolean;

export interface OptionField {
  key: string;
  /** The control's label, and the subject of the UI's sentences ("Epsilon must be between 0 and 1."). */
  label: string;
  /** The short name the core's messages use ("ε", "steps"); the label when absent. */
  symbol?: string;
  type: OptionType;
  /** What the number counts, for help texts ("pixels, 0–1 scale", "images"). */
  unit?: string;
  min?: InContext<number>;
  max?: InContext<number>;
  /** Undefined: the field is optional and "auto" (someone downstream fills it in, and help says how). */
  default?: InContext<OptionValue | undefined>;
  /** One line of help under the control and in --help. */
  help: string;
  /** enum only: the accepted words. */
  choices?: readonly string[];
  /** number only: also accept a fraction such as 8/255 (how budgets on 8-bit images are quoted). */
  fraction?: boolean;
  /** The spinner's increment in the form (whole numbers: 1). */
  step?: number;
  /** The query parameter in a link; absent: links do not carry it. */
  urlName?: string;
  /** The command-line flag without dashes; absent: the CLI does not take it. */
  cliFlag?: string;
  /** The CLI accepts a comma-separated list of values (a grid): `--eps 0.1,0.3`. */
  cliList?: boolean;
  /** Where the command line's default must differ from the page's: the value and why (printed in --help). */
  cliDefault?: { value: OptionValue | undefined; why: string };
  /** How a value is written back as text (ε on CIFAR-10 as "8/255"); String(value) when absent. */
  format?: (value: OptionValue, ctx: OptionContext) => string;
}

/** A table of fields by key: one experiment's schema. */
export type OptionSchema = Readonly<Record<string, OptionField>>;

export function inContext<T>(x: InContext<T>, ctx: OptionContext): T {
  return typeof x === 'function' ? (x as (ctx: OptionContext) => T)(ctx) : x;
}

export function fieldDefault(field: OptionField, ctx: OptionContext = {}): OptionValue | undefined {
  return field.default === undefined ? undefined : inContext(field.default, ctx);
}

export function fieldLimits(field: OptionField, ctx: OptionContext = {}): { min?: number; max?: number } {
  return {
    min: field.min === undefined ? undefined : inContext(field.min, ctx),
    max: field.max === undefined ? undefined : inContext(field.max, ctx),
  };
}

/** A decimal as people write it: sign, digits, point, exponent (not "0x10", "Infinity" or "1_000"). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number as people write it: a decimal ("0.3", ".5", "1e-2") or a fraction ("8/255", how budgets on 8-bit images
 * are quoted). NaN for anything else, the empty text included.
 */
export function parseNumberText(text: string): number {
  const t = text.trim();
  if (t === '') return Number.NaN;
  const fraction = /^([0-9]*\.?[0-9]+)\s*\/\s*([0-9]*\.?[0-9]+)$/.exec(t);
  if (fraction) {
    const den = Number(fraction[2]);
    return den === 0 ? Number.NaN : Number(fraction[1]) / den;
  }
  return DECIMAL.test(t) ? Number(t) : Number.NaN;
}

const ON = ['on', '1', 'true'];
const OFF = ['off', '0', 'false'];

/** How a number's limits read in a sentence. */
function rangePhrase(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}`;
  if (min !== undefined) return `must be ≥ ${min}`;
  return `must be ≤ ${max}`;
}

/**
 * What is wrong with `value` for `field`, as the end of a sentence whose subject the caller names ("must be between 0
 * and 1"); null when it is acceptable. The one home of every field's checks.
 */
export function valueProblem(field: OptionField, value: unknown, ctx: OptionContext = {}): string | null {
  if (field.type === 'enum') {
    const choices = field.choices ?? [];
    return typeof value === 'string' && choices.includes(value) ? null : `must be one of ${choices.join(', ')}`;
  }
  if (field.type === 'boolean') return typeof value === 'boolean' ? null : 'must be on or off';
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return field.fraction ? 'must be a number such as 0.3 or a fraction such as 8/255' : 'must be a number';
  }
  if (field.type === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
  const { min, max } = fieldLimits(field, ctx);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) return rangePhrase(min, max);
  return null;
}

export type ParsedText = { ok: true; value: OptionValue | undefined } | { ok: false; problem: string };

/**
 * Reads the text a form, a link or the command line gives for `field`. Empty text is "not given": the field's
 * default applies, or undefined for an optional one — `required` refuses it instead.
 */
export function parseFieldText(
  field: OptionField,
  text: string,
  ctx: OptionContext = {},
  required = false,
): ParsedText {
  const t = text.trim();
  if (t === '') return required ? { ok: false, problem: 'is required' } : { ok: true, value: undefined };
  let value: OptionValue;
  if (field.type === 'enum') value = t;
  else if (field.type === 'boolean') {
    const lower = t.toLowerCase();
    if (ON.includes(lower)) value = true;
    else if (OFF.includes(lower)) value = false;
    else return { ok: false, problem: 'must be on or off' };
  } else {
    value = parseNumberText(t);
    if (!field.fraction && t.includes('/')) value = Number.NaN;
  }
  const problem = valueProblem(field, value, ctx);
  return problem === null ? { ok: true, value } : { ok: false, problem };
}

/** A value as the text a form or a link shows. */
export function formatFieldValue(field: OptionField, value: OptionValue, ctx: OptionContext = {}): string {
  if (field.format) return field.format(value, ctx);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

/** The default as a form or a link shows it ('' for an optional field left to "auto"). */
export function defaultText(field: OptionField, ctx: OptionContext = {}): string {
  const d = fieldDefault(field, ctx);
  return d === undefined ? '' : formatFieldValue(field, d, ctx);
}

/** The UI's sentence for a field's text ("Epsilon must be between 0 and 1."), or null when it is acceptable. */
export function fieldTextError(field: OptionField, text: string, ctx: OptionContext = {}): string | null {
  const required = fieldDefault(field, ctx) !== undefined;
  const parsed = parseFieldText(field, text, ctx, required);
  return parsed.ok ? null : `${field.label} ${parsed.problem}.`;
}

/** The core's check: throws `makeError` with "ε must be between 0 and 1, got 2." when `value` is not acceptable. */
export function checkValue(
  field: OptionField,
  value: unknown,
  ctx: OptionContext,
  makeError: (message: string) => Error,
): void {
  const problem = valueProblem(field, value, ctx);
  if (problem !== null) throw makeError(`${field.symbol ?? field.label} ${problem}, got ${String(value)}.`);
}

/**
 * Texts of a form kept as they were while they are valid, after the context changed (another norm, data set or
 * method): a field left at its old default follows the new default; a typed value stays when it still fits, and
 * falls back to the new default otherwise (an L2 ε of 2 is no L∞ budget).
 */
export function followContext<D extends object>(
  schema: OptionSchema,
  draft: D,
  from: OptionContext,
  to: OptionContext,
): D {
  const next = { ...draft } as Record<string, unknown>;
  for (const field of Object.values(schema)) {
    const text = next[field.key];
    if (typeof text !== 'string' || field.type === 'enum') continue;
    if (text === defaultText(field, from) || fieldTextError(field, text, to) !== null) {
      next[field.key] = defaultText(field, to);
    }
  }
  return next as D;
}

/**
 * The texts a link may carry: each field's current text while it is valid, else the last valid one (`lastValid`),
 * else its default — so a link copied while someone is typing "0.2x" still opens a working setup.
 */
export function lastValidTexts<D extends object>(schema: OptionSchema, draft: D, lastValid: D, ctx: OptionContext): D {
  const next = { ...draft } as Record<string, unknown>;
  for (const field of Object.values(schema)) {
    const text = next[field.key];
    if (typeof text !== 'string' || field.type === 'enum') continue;
    if (fieldTextError(field, text, ctx) === null) continue;
    const previous = (lastValid as Record<string, unknown>)[field.key];
    const usable = typeof previous === 'string' && fieldTextError(field, previous, ctx) === null;
    next[field.key] = usable ? previous : defaultText(field, ctx);
  }
  return next as D;
}

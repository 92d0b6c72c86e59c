/**
 * Command-line option parsing on node:util's parseArgs (strict: an unknown flag is refused), with
 * every value checked here so a typo gives one clear line instead of a NaN deep inside an attack.
 */
import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../core/util/errors';

export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;
export type Values = Record<string, string | boolean | undefined>;

/**
 * Parses `argv` against the options `command` takes. An unknown flag is named, with the closest
 * known one when it looks like a typo: "eval does not take --epss (did you mean --eps?)".
 */
export function parseCommandArgs(command: string, argv: string[], spec: OptionSpec): Values {
  try {
    const { values } = parseArgs({ args: argv, options: spec, allowPositionals: false, strict: true });
    return values as Values;
  } catch (err) {
    const e = err as Error & { code?: string };
    const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(e.message)?.[1] : undefined;
    if (unknown !== undefined) {
      const near = closestOption(unknown.replace(/^-+/, '').split('=')[0], Object.keys(spec));
      throw new InvalidOptionError(
        `${command} does not take ${unknown}${near ? ` (did you mean --${near}?)` : ''}; see --help.`,
      );
    }
    throw new InvalidOptionError(e.message.split('\n')[0]);
  }
}

/** The known option within two edits of `name` (a typo), if exactly one is that close. */
function closestOption(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  let ties = 0;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) [best, bestDistance, ties] = [k, d, 0];
    else if (d === bestDistance) ties++;
  }
  return ties === 0 ? best : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}

export function numberOption(
  values: Values,
  name: string,
  fallback: number | undefined,
  check: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || raw.trim() === '') throw new InvalidOptionError(`--${name} needs a number.`);
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new InvalidOptionError(`--${name} must be a number, got "${raw}".`);
  if (check.integer && !Number.isInteger(v))
    throw new InvalidOptionError(`--${name} must be a whole number, got ${raw}.`);
  if (check.min !== undefined && v < check.min)
    throw new InvalidOptionError(`--${name} must be ≥ ${check.min}, got ${raw}.`);
  if (check.max !== undefined && v > check.max)
    throw new InvalidOptionError(`--${name} must be ≤ ${check.max}, got ${raw}.`);
  return v;
}

export function requiredString(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new InvalidOptionError(`--${name} is required.`);
  return v;
}

/** A string option, or `fallback` when absent. */
export function stringOption(values: Values, name: string): string | undefined;
export function stringOption(values: Values, name: string, fallback: string): string;
export function stringOption(values: Values, name: string, fallback?: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}

/** One of a fixed set of words (`--norm linf|l2`, `--size paper|classroom`), or `fallback` when absent. */
export function choiceOption<T extends string>(values: Values, name: string, allowed: readonly T[]): T | undefined;
export function choiceOption<T extends string>(values: Values, name: string, allowed: readonly T[], fallback: T): T;
export function choiceOption<T extends string>(
  values: Values,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw))
    throw new InvalidOptionError(`--${name} must be one of ${allowed.join(', ')}; got "${String(raw)}".`);
  return raw as T;
}

/** An on/off switch, or `fallback` when absent (undefined: leave the default to whoever uses it). */
export function switchOption(values: Values, name: string): boolean | undefined;
export function switchOption(values: Values, name: string, fallback: boolean): boolean;
export function switchOption(values: Values, name: string, fallback?: boolean): boolean | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (raw !== 'on' && raw !== 'off') throw new InvalidOptionError(`--${name} must be on or off, got "${String(raw)}".`);
  return raw === 'on';
}

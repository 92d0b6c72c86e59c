/**
 * Command-line option parsing on node:util's parseArgs, with numbers checked here so a typo gives
 * one clear line instead of a NaN deep inside an attack.
 */
import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../core/util/errors';

export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

export function parseCommandArgs(argv: string[], spec: OptionSpec): Record<string, string | boolean | undefined> {
  try {
    const { values } = parseArgs({ args: argv, options: spec, allowPositionals: false, strict: true });
    return values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new InvalidOptionError((err as Error).message.split('\n')[0]);
  }
}

export function numberOption(
  values: Record<string, string | boolean | undefined>,
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

export function requiredString(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new InvalidOptionError(`--${name} is required.`);
  return v;
}

/** Comma-separated option values (`--eps 0,0.05,0.1`, `--seeds 1,2,3`), each checked like a single number. */
import { InvalidOptionError } from '../core/util/errors';
import { numberOption, type Values } from './args';

export function numberListOption(
  values: Values,
  name: string,
  fallback: number[] | undefined,
  check: { min?: number; max?: number; integer?: boolean } = {},
): number[] | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new InvalidOptionError(`--${name} needs a number or a comma-separated list.`);
  const list = raw.split(',').map((part) => numberOption({ [name]: part.trim() }, name, undefined, check)!);
  if (new Set(list).size !== list.length) throw new InvalidOptionError(`--${name} lists a value twice: ${raw}.`);
  return list;
}

export function stringListOption(
  values: Values,
  name: string,
  allowed: readonly string[],
  fallback: string[],
): string[] {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || raw.trim() === '') throw new InvalidOptionError(`--${name} needs a value.`);
  const list = raw.split(',').map((s) => s.trim());
  for (const v of list) {
    if (!allowed.includes(v))
      throw new InvalidOptionError(`--${name} must be among ${allowed.join(', ')}; got "${v}".`);
  }
  return list;
}

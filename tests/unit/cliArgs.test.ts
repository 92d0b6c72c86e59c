/**
 * The command line's shared option parsing (src/cli/args.ts), in-process: an unknown flag is
 * refused with one line that names it (and the nearest known flag when it is a typo), and the
 * on/off and one-of parsers accept exactly their words.
 */
import { describe, expect, test } from 'vitest';
import { choiceOption, parseCommandArgs, switchOption } from '../../src/cli/args';
import { InvalidOptionError } from '../../src/core/util/errors';

const SPEC = { eps: { type: 'string' }, steps: { type: 'string' }, seed: { type: 'string' } } as const;

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('parseCommandArgs', () => {
  test('a typo is named, with the flag it probably meant', () => {
    const message = refusal(() => parseCommandArgs('eval', ['--epss', '0.1'], SPEC));
    expect(message).toBe('eval does not take --epss (did you mean --eps?); see --help.');
    expect(message.split('\n')).toHaveLength(1);
  });

  test('an unknown flag far from every known one: named, no guess', () => {
    expect(refusal(() => parseCommandArgs('eval', ['--frobnicate'], SPEC))).toBe(
      'eval does not take --frobnicate; see --help.',
    );
  });

  test('a missing value and a stray positional argument are refused in one line', () => {
    expect(refusal(() => parseCommandArgs('eval', ['--eps'], SPEC))).toMatch(/--eps/);
    expect(refusal(() => parseCommandArgs('eval', ['stray'], SPEC))).toMatch(/stray/);
  });

  test('known flags come back as given', () => {
    expect(parseCommandArgs('eval', ['--eps', '0.1', '--seed=3'], SPEC)).toEqual({ eps: '0.1', seed: '3' });
  });
});

describe('switchOption and choiceOption', () => {
  test('on/off only; absent gives the fallback, or undefined without one', () => {
    expect(switchOption({ bias: 'on' }, 'bias')).toBe(true);
    expect(switchOption({ bias: 'off' }, 'bias', true)).toBe(false);
    expect(switchOption({}, 'bias')).toBeUndefined();
    expect(switchOption({}, 'bias', true)).toBe(true);
    expect(refusal(() => switchOption({ bias: 'yes' }, 'bias'))).toBe('--bias must be on or off, got "yes".');
  });

  test('one of the listed words', () => {
    expect(choiceOption({ norm: 'l2' }, 'norm', ['linf', 'l2'] as const)).toBe('l2');
    expect(choiceOption({}, 'norm', ['linf', 'l2'] as const, 'linf')).toBe('linf');
    expect(refusal(() => choiceOption({ norm: 'l1' }, 'norm', ['linf', 'l2'] as const))).toBe(
      '--norm must be one of linf, l2; got "l1".',
    );
  });
});

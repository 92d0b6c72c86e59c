/**
 * The options schemas (src/core/options): a number is read the same way everywhere, and one limit and one default
 * per field hold in the form (state/attackSettings), on the command line (cli/attackArgs) and at the core's boundary
 * (resolveAttackOptions). The expected numbers are written out by hand from the papers' settings, not read back from
 * the schema.
 */
import { describe, expect, test } from 'vitest';
import { parseGradientAttack } from '../../src/cli/attackArgs';
import { fieldListOption, helpLines } from '../../src/cli/schemaArgs';
import { resolveAttackOptions } from '../../src/core/attacks/resolveOptions';
import { ATTACK_FIELDS } from '../../src/core/options/attackOptions';
import { parseFieldText, valueProblem, type OptionField } from '../../src/core/options/field';
import { defaultDraft, draftContext, fieldError } from '../../src/state/attackSettings';

const accepted = (text: string, field: OptionField = ATTACK_FIELDS.steps) => parseFieldText(field, text, {}, true);

describe('reading a value', () => {
  test('whole numbers, decimals and fractions as people write them; nothing else', () => {
    expect(accepted('12')).toEqual({ ok: true, value: 12 });
    expect(accepted('1e2')).toEqual({ ok: true, value: 100 });
    expect(accepted('1.5')).toEqual({ ok: false, problem: 'must be a whole number' });
    for (const odd of ['0x10', 'Infinity', '1_000', '12abc', '4/2']) expect(accepted(odd).ok, odd).toBe(false);
    expect(accepted('', ATTACK_FIELDS.eps)).toEqual({ ok: false, problem: 'is required' });
    const eps = parseFieldText(ATTACK_FIELDS.eps, '8/255', { norm: 'linf' });
    expect(eps.ok && eps.value).toBeCloseTo(8 / 255, 15);
    expect(valueProblem(ATTACK_FIELDS.target, '10')).toMatch(/must be one of/);
  });

  test('a CLI list is checked value by value, and a value listed twice is refused', () => {
    expect(fieldListOption({ eps: '0.1, 8/255' }, ATTACK_FIELDS.eps, { norm: 'linf' })).toEqual([0.1, 8 / 255]);
    expect(() => fieldListOption({ eps: '0.1,0.1' }, ATTACK_FIELDS.eps)).toThrow(/twice/);
    expect(() => fieldListOption({ eps: '0.1,2' }, ATTACK_FIELDS.eps, { norm: 'linf' })).toThrow(
      /--eps must be between 0 and 1, got "2"/,
    );
  });
});

describe('one limit per field, in the form, the CLI and the core', () => {
  // The L2 ε limit is 100 (past the L2 diameter of [0,1]^3072, √3072 ≈ 55.4); L∞'s is 1.
  const cases: [norm: 'linf' | 'l2', eps: string, ok: boolean][] = [
    ['l2', '50', true],
    ['l2', '100', true],
    ['l2', '150', false],
    ['linf', '1', true],
    ['linf', '1.01', false],
  ];
  test.each(cases)('%s ε = %s: accepted by all three = %s', (norm, eps, ok) => {
    const form = fieldError('eps', eps, { norm }) === null;
    const cli = (() => {
      try {
        parseGradientAttack('pgd', { norm, eps });
        return true;
      } catch {
        return false;
      }
    })();
    const core = (() => {
      try {
        resolveAttackOptions({ ...parseGradientAttack('pgd', { norm }), eps: Number(eps) }, 10);
        return true;
      } catch {
        return false;
      }
    })();
    expect([form, cli, core]).toEqual([ok, ok, ok]);
  });

  test('steps 1000 is the last one accepted everywhere, 1001 refused everywhere', () => {
    expect(fieldError('steps', '1000', {})).toBeNull();
    expect(fieldError('steps', '1001', {})).toMatch(/between 1 and 1000/);
    expect(() => parseGradientAttack('pgd', { steps: '1001' })).toThrow(/--steps must be between 1 and 1000/);
    const o = parseGradientAttack('pgd', {});
    expect(() => resolveAttackOptions({ ...o, steps: 1001 }, 10)).toThrow(/steps must be between 1 and 1000/);
  });
});

describe('one default per field, in the form and the CLI', () => {
  test('Madry et al.’s MNIST setting (ε 0.3, 40 steps), CIFAR-10’s 8/255 and 10 steps, APGD’s 100 iterations', () => {
    const cli = parseGradientAttack('pgd', {});
    expect(cli).toMatchObject({ norm: 'linf', eps: 0.3, steps: 40, restarts: 1, seed: 0, alpha: undefined });
    expect(defaultDraft('mnist')).toMatchObject({ eps: '0.3', steps: '40', restarts: '1', seed: '0', stepSize: '' });
    expect(parseGradientAttack('pgd', {}, 'cifar10')).toMatchObject({ eps: 8 / 255, steps: 10 });
    expect(defaultDraft('cifar10')).toMatchObject({ eps: '8/255', steps: '10' });
    expect(parseGradientAttack('apgd-ce', {}).steps).toBe(100);
    expect(parseGradientAttack('pgd', { norm: 'l2' }).eps).toBe(2);
    expect(draftContext(defaultDraft(), 'mnist')).toEqual({ dataset: 'mnist', norm: 'linf', method: 'pgd' });
  });

  test('--help states each flag’s limits and default as the schema has them', () => {
    const lines = helpLines([ATTACK_FIELDS.steps, ATTACK_FIELDS.stepSize], { dataset: 'mnist', method: 'pgd' });
    expect(lines[0]).toBe('  --steps N');
    expect(lines[1]).toMatch(/\[1 to 1000; default: 40\]$/);
    expect(lines[3]).toMatch(/default: auto\]$/);
  });
});

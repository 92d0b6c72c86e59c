/**
 * groupThousands (src/ui/common/format.ts) writes whole numbers as toLocaleString('en') does: checked against Intl
 * itself, an independent implementation, on hand-picked edges and on numbers of every length and sign.
 */
import { expect, test } from 'vitest';
import { groupThousands } from '../../src/ui/common/format';

test('groups thousands as Intl does for English, on every length and sign', () => {
  const cases = [0, 7, 999, 1000, 10_000, 60_000, 123_456, 1_000_000, 9_876_543_210, -1000, -999, -1_234_567];
  for (let digits = 1; digits <= 15; digits++) cases.push(Number('9'.repeat(digits)), 10 ** (digits - 1));
  for (const n of cases) expect(groupThousands(n), String(n)).toBe(n.toLocaleString('en'));
  expect(groupThousands(60_000)).toBe('60,000');
});

test('other numbers as String writes them (no rounding to three decimals)', () => {
  expect(groupThousands(0.0125)).toBe('0.0125');
  expect(groupThousands(1234.5)).toBe('1234.5');
});

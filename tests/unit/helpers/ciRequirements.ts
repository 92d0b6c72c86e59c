/**
 * Data and models that a local checkout may lack (the CIFAR-10 sample lives outside the repository): locally their
 * tests are skipped with a warning; with CI=true a missing one fails the run instead, since in CI a silent skip would
 * hide a broken set-up behind a green result.
 */
import { test } from 'vitest';

export const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/**
 * Whether to skip the tests that need something: `missing` says what is absent (null when it is there). In CI a
 * failing test named after it takes the skipped tests' place.
 */
export function skipWhenMissing(missing: string | null, file: string): boolean {
  if (missing === null) return false;
  if (IN_CI) {
    test(`CI=true requires ${missing}`, () => {
      throw new Error(`${file}: ${missing} is missing, and with CI=true its tests fail rather than skip.`);
    });
  } else {
    console.warn(`${file}: ${missing} is missing, so its tests are skipped (with CI=true they would fail).`);
  }
  return true;
}

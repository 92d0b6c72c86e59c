/**
 * The command line as scripts use it: a child process, one JSON object on stdout on success; on failure a
 * non-zero exit, exactly one "error: …" line on stderr and nothing on stdout.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(...args: string[]): Promise<CliResult> {
  return cliWithEnv(process.env, ...args);
}

/** The same with its own environment (e.g. CIFAR10_DIR set or unset). */
export function cliWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli/main.ts', ...args],
      { cwd: ROOT, env, timeout: 110_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function oneJson(r: CliResult): Record<string, any> {
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines, 'stdout is one line').toHaveLength(1);
  const value = JSON.parse(lines[0]);
  expect(value !== null && typeof value === 'object' && !Array.isArray(value)).toBe(true);
  return value;
}

export function expectCleanFailure(r: CliResult): void {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, `stderr: ${r.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: \S/);
}

/** A command line from words and phrases: `argv('eval --model', dir, '--limit 16')` (no argument has a space). */
export function argv(...parts: string[]): string[] {
  return parts.flatMap((p) => p.split(' ').filter((w) => w !== ''));
}

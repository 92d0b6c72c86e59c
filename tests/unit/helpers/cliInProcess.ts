/**
 * The command functions called in this process (src/cli/commands/*): what a child process would print on stdout,
 * or the error main.ts would print as its one "error: …" line. One tfjs per test file instead of one per case; a
 * few child processes (helpers/cliProcess.ts) keep the contract itself under test.
 */
import { expect, vi } from 'vitest';
import { PlaygroundError } from '../../../src/core/util/errors';

export type Command = (argv: string[]) => Promise<void>;

/** Runs the command; returns the one JSON object it printed on stdout. */
export async function jsonOf(command: Command, argv: string[]): Promise<Record<string, any>> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await command(argv);
  } finally {
    spy.mockRestore();
  }
  const lines = written
    .join('')
    .split('\n')
    .filter((l) => l !== '');
  expect(lines, 'stdout is one line').toHaveLength(1);
  return JSON.parse(lines[0]);
}

/**
 * The message of the command's refusal: a PlaygroundError (main.ts prints any other error as "Unexpected error")
 * on one line, with nothing printed on stdout first.
 */
export async function refusalOf(command: Command, argv: string[]): Promise<string> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  let err: unknown;
  try {
    await command(argv);
  } catch (e) {
    err = e;
  } finally {
    spy.mockRestore();
  }
  expect(err, `${argv.join(' ')} did not refuse`).toBeDefined();
  expect(err, String(err)).toBeInstanceOf(PlaygroundError);
  expect(written, 'nothing on stdout').toEqual([]);
  const message = (err as Error).message;
  expect(message, 'one line').not.toContain('\n');
  return message;
}

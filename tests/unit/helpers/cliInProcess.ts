/**
 * The command functions called in this process (src/cli/commands/*): what a child process would print on stdout
 * and stderr, or the error main.ts would print as its one "error: …" line. One tfjs per test file instead of one per
 * case; a few child processes (helpers/cliProcess.ts, in cli.test.ts) keep the contract itself under test.
 */
import { expect, vi } from 'vitest';
import { typedCommandLine } from '../../../src/cli/commandLine';
import { trainCommand } from '../../../src/cli/commands/train';
import { PlaygroundError } from '../../../src/core/util/errors';

export type Command = (argv: string[]) => Promise<void>;

/** `train` as main.ts calls it: with the command line it records in model.json. */
export const train: Command = (argv) => trainCommand(argv, typedCommandLine(['train', ...argv]));

interface Captured {
  stdout: string;
  stderr: string;
  error: unknown;
}

/**
 * Runs the command with stdout and stderr captured. The console counts as stderr, as main.ts routes it there
 * (routeConsoleToStderr), so tfjs' chatter shows up where a script would see it.
 */
async function captured(command: Command, argv: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(String(chunk));
    return true;
  };
  const toStderr = (...args: unknown[]) => {
    err.push(`${args.map(String).join(' ')}\n`);
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(sink(out)),
    vi.spyOn(process.stderr, 'write').mockImplementation(sink(err)),
    ...(['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation(toStderr)),
  ];
  let error: unknown;
  try {
    await command(argv);
  } catch (e) {
    error = e;
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return { stdout: out.join(''), stderr: err.join(''), error };
}

/** Runs the command; returns the one JSON object it printed on stdout, and what it printed on stderr. */
export async function outputOf(
  command: Command,
  argv: string[],
): Promise<{ json: Record<string, any>; stderr: string }> {
  const { stdout, stderr, error } = await captured(command, argv);
  if (error !== undefined) throw error;
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines, 'stdout is one line').toHaveLength(1);
  const json = JSON.parse(lines[0]);
  expect(json !== null && typeof json === 'object' && !Array.isArray(json), 'an object').toBe(true);
  return { json, stderr };
}

/** Runs the command; returns the one JSON object it printed on stdout. */
export async function jsonOf(command: Command, argv: string[]): Promise<Record<string, any>> {
  return (await outputOf(command, argv)).json;
}

/**
 * The message of the command's refusal: a PlaygroundError (main.ts prints any other error as "Unexpected error")
 * on one line, with nothing printed on stdout or stderr first (main.ts adds the one "error: …" line).
 */
export async function refusalOf(command: Command, argv: string[]): Promise<string> {
  const { stdout, stderr, error } = await captured(command, argv);
  expect(error, `${argv.join(' ')} did not refuse`).toBeDefined();
  expect(error, String(error)).toBeInstanceOf(PlaygroundError);
  expect(stdout, 'nothing on stdout').toBe('');
  expect(stderr, 'nothing on stderr before the error line').toBe('');
  const message = (error as Error).message;
  expect(message, 'one line').not.toContain('\n');
  return message;
}

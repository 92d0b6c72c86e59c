/**
 * The command line as a user types it in the repository (`npm run cli -- train …`): what `train` records in a
 * model's model.json, so that anyone can rerun it. One home, for main.ts and for the tests that call commands
 * in-process.
 */
export function typedCommandLine(args: readonly string[]): string {
  return ['npm run cli --', ...args].join(' ');
}

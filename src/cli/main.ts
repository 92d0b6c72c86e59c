/**
 * Command-line entry: `npm run --silent cli -- <command> [options]`.
 * Contract (scripts depend on it): one JSON object on stdout on success; on failure a non-zero
 * exit, one clear line on stderr, nothing on stdout.
 */
import { PlaygroundError } from '../core/util/errors';
import { routeConsoleToStderr } from './nodeEnv';

const USAGE = `usage: npm run --silent cli -- <command> [options]
commands:
  train   --arch cnn|yan-cnn|odenet|tisode|mlp|homogeneous-cnn --data mnist --epochs E [--seed S] [--batch B] [--lr LR] [--size classroom|paper] --out DIR
  eval    --model DIR --data mnist [--split test] [--limit N] [--attack none|gaussian|fgsm|bim|pgd] [attack options]
  attack  --model DIR --image FILE [attack options] [--target T|random|least-likely] --out ADV.png
attack options: --norm linf|l2 --eps E --steps K --alpha A --restarts R --sigma S --seed S --backend wasm|cpu`;

async function main(): Promise<void> {
  routeConsoleToStderr();
  const [command, ...argv] = process.argv.slice(2);
  const commandLine = ['npm run cli --', ...process.argv.slice(2)].join(' ');
  switch (command) {
    case 'train':
      return (await import('./commands/train')).trainCommand(argv, commandLine);
    case 'eval':
      return (await import('./commands/eval')).evalCommand(argv);
    case 'attack':
      return (await import('./commands/attack')).attackCommand(argv);
    case undefined:
    case '--help':
    case 'help':
      process.stderr.write(USAGE + '\n');
      process.exitCode = command === undefined ? 2 : 0;
      return;
    default:
      throw new PlaygroundError(`Unknown command "${command}". Commands: train, eval, attack (see --help).`);
  }
}

main().catch((err: unknown) => {
  const message = err instanceof PlaygroundError ? err.message : `Unexpected error: ${(err as Error)?.message ?? String(err)}`;
  process.stderr.write(`error: ${message.split('\n')[0]}\n`);
  // The contract is one line; set PLAYGROUND_DEBUG=1 to see where an unexpected error came from.
  if (process.env.PLAYGROUND_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});

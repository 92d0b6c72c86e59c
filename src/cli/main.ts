/**
 * Command-line entry: `npm run --silent cli -- <command> [options]`.
 * Contract (scripts depend on it): one JSON object on stdout on success; on failure a non-zero
 * exit, one clear line on stderr, nothing on stdout.
 */
import { PlaygroundError } from '../core/util/errors';
import { routeConsoleToStderr } from './nodeEnv';
import { typedCommandLine } from './commandLine';

const USAGE = `usage: npm run --silent cli -- <command> [options]
commands:
  train   --arch cnn|yan-cnn|odenet|tisode|mlp|homogeneous-cnn|cifar-cnn --data mnist|cifar10 --epochs E
          [--seed S] [--batch B] [--lr LR] [--size classroom|paper] [--crop-flip on|off] --out DIR
          [--adv fgsm|fgsm-rs|pgd|trades …] [--certified ibp|crown-ibp --cert-eps E …] [--noise-sigma S]
          [--norm none|batch|group (cnn, cifar-cnn, res-cnn)] [--arch res-cnn --depth D --width W]
          [--adv pgd --adv-clean 0|0.5|1 --adv-bn shared|split]
          [--jem on [--sgld-steps 20] [--sgld-step 1] [--sgld-noise 0.01] [--buffer 10000] [--reinit 0.05]
          [--data-noise 0.03] [--energy-reg L] [--class-conditional on|off] [--jem-warmup E]]
  sample  --model DIR [--class c|all] [--n N] [--steps K] [--from noise|FILE] [--sgld-step A] [--sgld-noise S]
          --out GRID.png [--judge DIR]
  eval    --model DIR --data mnist|cifar10 [--split test] [--limit N]
          [--attack none|gaussian|fgsm|bim|pgd] [attack options] [--bn clean|adv (split batch norm)]
  classify --model DIR --image FILE… (one JSON line per picture: file, label, probabilities, preprocess)
  attack  --model DIR --image FILE [attack options] [--target T|random|least-likely] --out ADV.png
  calibration --model DIR --data mnist [--limit N] [--bins 15] [--fit-fraction 0.5] [--seed S] [--ood none|uniform]
  margins --model DIR --data mnist [--limit N] [--bins 20] [--deepfool-limit M] [--overshoot 0.02] [--max-iterations 50]
          [--pgd-distance on|off] [--eps-max 0.5] [--steps K] [--seed S]
  stability (--model DIR | --widths W1,W2 [--depths D1,D2] [--inits he,lecun,ntk]) --data mnist [--limit N]
          [--eps E1,E2] [--samples S] [--form first-order-squared|first-order|finite-difference] [--seed S]
          [--inits …,small] [--train-epochs E --train-limit N --lr R --lr-decay F --lr-milestones M1,M2 --batch B]
  certify --model DIR --data mnist|cifar10 --method ibp|crown|smoothing [--eps E1,E2] [--limit N]
          [--sigma S --radii R1,R2 --n N --n0 N0 --alpha A] [--image FILE [--label L]]
  export  --model DIR --format onnx --out NET.onnx
  card    --model DIR|NET.onnx   (the model's card: layers, input scaling, provenance, measured figures)
--model also takes an .onnx file (MNIST [N,1,28,28] or CIFAR-10 [N,3,32,32] input), with
          [--input-mean M[,M,M] --input-std S[,S,S]] when its graph expects normalised input without normalising it
attack options: --norm linf|l2 --eps E --steps K --alpha A --restarts R --sigma S --seed S --backend wasm|cpu
eval grid: --eps E1,E2,… (or --sigma S1,S2,… for gaussian) and/or --seeds S1,S2,…
          → results per (ε, seed) and mean ± std per ε
--data cifar10 reads CIFAR-10's binary version from $CIFAR10_DIR
          (a directory with cifar-10-batches-bin/, or cifar-10-binary.tar.gz)`;

async function main(): Promise<void> {
  routeConsoleToStderr();
  const [command, ...argv] = process.argv.slice(2);
  const commandLine = typedCommandLine(process.argv.slice(2));
  if (command !== undefined && (argv.includes('--help') || argv.includes('-h'))) {
    process.stderr.write(`${(await import('./help')).commandHelp(command) ?? USAGE}\n`);
    return;
  }
  switch (command) {
    case 'train':
      return (await import('./commands/train')).trainCommand(argv, commandLine);
    case 'eval':
      return (await import('./commands/eval')).evalCommand(argv);
    case 'classify':
      return (await import('./commands/classify')).classifyCommand(argv);
    case 'attack':
      return (await import('./commands/attack')).attackCommand(argv);
    case 'calibration':
      return (await import('./commands/calibration')).calibrationCommand(argv);
    case 'margins':
      return (await import('./commands/margins')).marginsCommand(argv);
    case 'stability':
      return (await import('./commands/stability')).stabilityCommand(argv);
    case 'sample':
      return (await import('./commands/sample')).sampleCommand(argv);
    case 'certify':
      return (await import('./commands/certify')).certifyCommand(argv);
    case 'export':
      return (await import('./commands/export')).exportCommand(argv);
    case 'card':
      return (await import('./commands/card')).cardCommand(argv);
    case undefined:
    case '--help':
    case 'help':
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = command === undefined ? 2 : 0;
      return;
    default:
      throw new PlaygroundError(
        `Unknown command "${command}". Commands: train, eval, classify, attack, calibration, margins, stability, ` +
          'certify (see --help).',
      );
  }
}

main().catch((err: unknown) => {
  const message =
    err instanceof PlaygroundError ? err.message : `Unexpected error: ${(err as Error)?.message ?? String(err)}`;
  process.stderr.write(`error: ${message.split('\n')[0]}\n`);
  // The contract is one line; set PLAYGROUND_DEBUG=1 to see where an unexpected error came from.
  if (process.env.PLAYGROUND_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});

/**
 * The options schemas (src/core/options): a number is read the same way everywhere, and one limit and one default
 * per field hold in the form (state/attackSettings; the training lab's schema controls), on the command line
 * (cli/attackArgs, `train`'s flags) and at the core's boundary (resolveAttackOptions, the training run's checks), and
 * the link keeps exactly what the schema accepts. The expected numbers are written out by hand from the papers'
 * settings, not read back from the schema: a limit or default changed in one place and not the others fails here.
 */
import { describe, expect, test } from 'vitest';
import type { Values } from '../../src/cli/args';
import { parseGradientAttack } from '../../src/cli/attackArgs';
import { parseTrainRequest } from '../../src/cli/commands/train';
import { commandHelp } from '../../src/cli/help';
import { fieldListOption, helpLines } from '../../src/cli/schemaArgs';
import { parseTrainingDefense } from '../../src/cli/trainingDefenseArgs';
import { resolveAttackOptions } from '../../src/core/attacks/resolveOptions';
import type { ImageDataset } from '../../src/core/data/dataset';
import { YAN_SIZES } from '../../src/core/models/yanModels';
import { ATTACK_FIELDS } from '../../src/core/options/attackOptions';
import { ADVERSARIAL_FIELDS, CERTIFIED_FIELDS, PROBE_FIELDS } from '../../src/core/options/defenseOptions';
import { parseFieldText, valueProblem, type OptionContext, type OptionField } from '../../src/core/options/field';
import { MODEL_FIELDS, TRAINING_RUN_FIELDS } from '../../src/core/options/trainingOptions';
import { MLP_CONTEXT, SWEEP_FIELDS } from '../../src/core/options/stabilityOptions';
import { MARGINS_DEFAULTS } from '../../src/state/analysis/marginsStore';
import { resolveAdversarialConfig } from '../../src/core/train/adversarialTraining';
import { resolveCertifiedConfig, resolveNoiseConfig } from '../../src/core/train/certifiedTraining';
import { validateRobustProbe } from '../../src/core/train/robustProbe';
import { checkTrainingRunSpec, type TrainingRunSpec } from '../../src/core/train/trainingRun';
import { defaultDraft, draftContext, fieldError } from '../../src/state/attackSettings';
import { parseLink } from '../../src/state/urlState';
import { acceptsNumberText } from '../../src/ui/common/BoundedNumberField';
import { schemaInputLimits, schemaInputProps } from '../../src/ui/common/SchemaField';
import { parseNumberList } from '../../src/ui/common/NumberListField';
import { newCertifiedProbe } from '../../src/ui/training-lab/CertifiedProbeSettings';
import { newAdversarial, newCertified } from '../../src/ui/training-lab/DefenseEditor';
import { newRobustProbe } from '../../src/ui/training-lab/RobustProbeSettings';

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

/** Whether `run` returns without throwing. */
const passes = (run: () => unknown): boolean => {
  try {
    run();
    return true;
  } catch {
    return false;
  }
};

/** The training lab's control for `field`: it passes on exactly what acceptsNumberText accepts under its props. */
const formAccepts = (field: OptionField, text: string, ctx: OptionContext = {}) =>
  acceptsNumberText(text, schemaInputProps(field, ctx));

/** The sweep's list control: what NumberListField accepts under the limits SchemaListField gives it. */
const acceptsListText = (text: string, field: OptionField) =>
  Array.isArray(parseNumberList(text, { ...schemaInputLimits(field, MLP_CONTEXT), integer: field.type === 'integer' }));

/** A run spec the core checks (checkTrainingRunSpec); `patch` changes one number. */
const runSpec = (patch: Partial<TrainingRunSpec> = {}): TrainingRunSpec => ({
  arch: 'mlp',
  build: {},
  epochs: 1,
  seed: 1,
  reportEvery: 10,
  ...patch,
});

const trainFlags = (extra: Values): Values => ({ arch: 'mlp', data: 'mnist', out: 'x', epochs: '1', ...extra });

/**
 * Each row: a training field, its flag's values, the last value accepted and the first refused at each end (written
 * by hand from the limits the papers and the code's comments give), and the core's own check of a value. The form,
 * the CLI and the core must accept the first and refuse the second: a limit written twice and changed once fails.
 */
const TRAINING_LIMITS: {
  name: string;
  field: OptionField;
  ctx?: OptionContext;
  cli: (text: string) => unknown;
  core: (value: number) => unknown;
  edges: [accepted: string, refused: string][];
}[] = [
  {
    name: 'adversarial ε',
    field: ADVERSARIAL_FIELDS.eps,
    cli: (t) => parseTrainingDefense({ adv: 'pgd', 'adv-eps': t }),
    core: (eps) => resolveAdversarialConfig({ method: 'pgd', eps }),
    edges: [
      ['0.001', '0.0009'],
      ['1', '1.001'],
    ],
  },
  {
    name: 'adversarial steps',
    field: ADVERSARIAL_FIELDS.steps,
    cli: (t) => parseTrainingDefense({ adv: 'pgd', 'adv-steps': t }),
    core: (steps) => resolveAdversarialConfig({ method: 'pgd', eps: 0.3, steps }),
    edges: [
      ['1', '0'],
      ['100', '101'],
    ],
  },
  {
    name: 'adversarial share',
    field: ADVERSARIAL_FIELDS.fraction,
    cli: (t) => parseTrainingDefense({ adv: 'pgd', 'adv-fraction': t }),
    core: (fraction) => resolveAdversarialConfig({ method: 'pgd', eps: 0.3, fraction }),
    edges: [
      ['0.01', '0.009'],
      ['1', '1.01'],
    ],
  },
  {
    name: 'certified κ',
    field: CERTIFIED_FIELDS.finalKappa,
    cli: (t) => parseTrainingDefense({ certified: 'ibp', 'cert-kappa': t }),
    core: (finalKappa) => resolveCertifiedConfig({ bound: 'ibp', eps: 0.1, finalKappa }),
    edges: [
      ['0', '-0.01'],
      ['1', '1.01'],
    ],
  },
  {
    name: 'noise σ',
    field: CERTIFIED_FIELDS.sigma,
    cli: (t) => parseTrainingDefense({ 'noise-sigma': t }),
    core: (sigma) => resolveNoiseConfig({ sigma }),
    edges: [
      ['0.01', '0.009'],
      ['4', '4.01'],
    ],
  },
  {
    name: 'probe PGD steps',
    field: PROBE_FIELDS.robustSteps,
    cli: (t) => parseTrainingDefense({ adv: 'pgd', 'probe-steps': t }),
    core: (steps) => validateRobustProbe({ data: { count: 1 } as ImageDataset, eps: 0.3, steps, seed: 0 }),
    edges: [
      ['1', '0'],
      ['200', '201'],
    ],
  },
  {
    name: 'probe images',
    field: PROBE_FIELDS.robustImages,
    cli: (t) => parseTrainingDefense({ adv: 'pgd', 'robust-probe': t }),
    core: (examples) => checkTrainingRunSpec(runSpec({ robustProbe: { examples, eps: 0.3, steps: 10 } }), 'mnist'),
    edges: [
      ['0', '-1'],
      ['5000', '5001'],
    ],
  },
  {
    name: 'epochs',
    field: TRAINING_RUN_FIELDS.epochs,
    cli: (t) => parseTrainRequest(trainFlags({ epochs: t })),
    core: (epochs) => checkTrainingRunSpec(runSpec({ epochs }), 'mnist'),
    edges: [
      ['1', '0'],
      ['1000', '1001'],
    ],
  },
  {
    name: 'MLP width',
    field: MODEL_FIELDS.width,
    ctx: { arch: 'mlp' },
    cli: (t) => parseTrainRequest(trainFlags({ width: t })),
    core: (width) => checkTrainingRunSpec(runSpec({ build: { width } }), 'mnist'),
    edges: [
      ['1', '0'],
      ['16384', '16385'],
    ],
  },
  {
    name: 'residual CNN depth (0 blocks allowed, 32 at most)',
    field: MODEL_FIELDS.depth,
    ctx: { arch: 'res-cnn' },
    cli: (t) => parseTrainRequest(trainFlags({ arch: 'res-cnn', depth: t })),
    core: (depth) => checkTrainingRunSpec(runSpec({ arch: 'res-cnn', build: { depth } }), 'mnist'),
    edges: [
      ['0', '-1'],
      ['32', '33'],
    ],
  },
];

describe('training: one limit per field, in the form, the CLI and the core', () => {
  test.each(TRAINING_LIMITS)('$name', ({ field, ctx = {}, cli, core, edges }) => {
    for (const [ok, refused] of edges) {
      expect([formAccepts(field, ok, ctx), passes(() => cli(ok)), passes(() => core(Number(ok)))], ok).toEqual([
        true,
        true,
        true,
      ]);
      expect(
        [formAccepts(field, refused, ctx), passes(() => cli(refused)), passes(() => core(Number(refused)))],
        refused,
      ).toEqual([false, false, false]);
    }
  });

  test('the CLI names the flag and the limits in its one line', () => {
    expect(() => parseTrainingDefense({ adv: 'pgd', 'probe-steps': '201' })).toThrow(
      '--probe-steps must be between 1 and 200, got "201".',
    );
    expect(() => parseTrainRequest(trainFlags({ arch: 'res-cnn', depth: '33' }))).toThrow(
      '--depth must be between 0 and 32, got "33".',
    );
  });
});

describe('training: one default per field, in the form, the CLI and the core', () => {
  test('probe: 200 images and PGD-10 at Madry et al.’s ε (0.3 MNIST, 8/255 CIFAR-10), in the lab and the CLI', () => {
    const cli = parseTrainingDefense({ adv: 'pgd' })!;
    expect(cli.robustProbe).toEqual({ examples: 200, eps: 0.3, steps: 10, stopOnCollapse: false });
    expect(newRobustProbe({ dataset: 'mnist' })).toEqual({ examples: 200, eps: 0.3, steps: 10 });
    expect(newRobustProbe({ dataset: 'cifar10' }).eps).toBeCloseTo(8 / 255, 15);
    expect(parseTrainingDefense({ certified: 'ibp' })!.certifiedProbe).toEqual({ examples: 200, eps: 0.1 });
    expect(newCertifiedProbe({ dataset: 'mnist' })).toEqual({ examples: 200, eps: 0.1 });
  });

  test('adversarial training: PGD-10, β 6, the data set’s ε; the lab warms ε up over 1 epoch, the CLI does not', () => {
    const cli = parseTrainingDefense({ adv: 'pgd' }, 'cifar10')!.defense;
    expect(cli).toMatchObject({ kind: 'adversarial', config: { steps: 10, beta: 6, warmupEpochs: 0 } });
    expect(cli.kind === 'adversarial' && cli.config.eps).toBeCloseTo(8 / 255, 15);
    expect(newAdversarial({ dataset: 'mnist' })).toEqual({ method: 'pgd', eps: 0.3, steps: 10, warmupEpochs: 1 });
    // The core reads an absent warm-up as the CLI does, and an absent step count as the schema's default.
    expect(resolveAdversarialConfig({ method: 'pgd', eps: 0.3 })).toMatchObject({ steps: 10, warmupEpochs: 0 });
  });

  test('certified training: the lab’s short schedule (0.25 + 1 epochs), the CLI’s and core’s long one (1 + 5)', () => {
    expect(newCertified({ dataset: 'mnist' })).toEqual({ bound: 'ibp', eps: 0.1, warmupEpochs: 0.25, rampEpochs: 1 });
    const cli = parseTrainingDefense({ certified: 'ibp' })!.defense;
    expect(cli).toMatchObject({ eps: 0.1, warmupEpochs: 1, rampEpochs: 5, finalKappa: 0.5, finalBeta: 0 });
    expect(resolveCertifiedConfig({ bound: 'ibp', eps: 0.1 })).toMatchObject({ warmupEpochs: 1, rampEpochs: 5 });
  });

  test('model sizes: the form shows what the registry builds (MLP 2 × 256, ODE steps 4 classroom / 10 paper)', () => {
    const build = parseTrainRequest(trainFlags({})).build;
    expect(build).toMatchObject({ width: 256, depth: 2, steps: 4, solver: 'euler', init: 'he', useBias: true });
    expect(parseTrainRequest(trainFlags({ arch: 'odenet', size: 'paper' })).build.steps).toBe(10);
    expect(YAN_SIZES.classroom.steps).toBe(4);
    expect(YAN_SIZES.paper.steps).toBe(10);
  });

  test('--help prints the schema’s limits, default and the CLI’s exception with its reason', () => {
    const help = commandHelp('train')!;
    expect(help).toMatch(/--probe-steps N\n .*\[steps; 1 to 200; default: 10\]/);
    expect(help).toMatch(/--adv-warmup X\n .*default: 0; \(the app: 1; full ε from the first batch/);
    expect(help).toMatch(/--robust-probe N\n .*\[images; 0 to 5000; default: 200\]/);
  });
});

describe('the link reads exactly what the schema accepts', () => {
  // The analysis view's images (10 to the 10,000 test images) and the reliability diagram's bins (2 to 100).
  const cases: [query: string, slot: 'images' | 'bins', kept: number | null][] = [
    ['?images=10', 'images', 10],
    ['?images=9', 'images', null],
    ['?images=10000', 'images', 10_000],
    ['?images=10001', 'images', null],
    ['?bins=2', 'bins', 2],
    ['?bins=1', 'bins', null],
    ['?bins=100', 'bins', 100],
    ['?bins=101', 'bins', null],
  ];
  test.each(cases)('%s → %s %s', (query, slot, kept) => {
    const { state, notes } = parseLink(query);
    expect(state[slot]).toBe(kept);
    expect(notes.length).toBe(kept === null ? 1 : 0);
  });
});

describe('analysis: the sweep’s MLP and the margins panel share their limits with the CLI and the core', () => {
  test('an MLP width of 16,384 is the last accepted by the sweep’s list, --widths and buildMlp; 16,385 refused', () => {
    const list = (text: string) => acceptsListText(text, SWEEP_FIELDS.widths);
    expect(list('16, 16384')).toBe(true);
    expect(list('16385')).toBe(false);
    expect(fieldListOption({ widths: '16384' }, SWEEP_FIELDS.widths, MLP_CONTEXT)).toEqual([16_384]);
    expect(() => fieldListOption({ widths: '16385' }, SWEEP_FIELDS.widths, MLP_CONTEXT)).toThrow(
      '--widths must be between 1 and 16384, got "16385".',
    );
    expect(() => checkTrainingRunSpec(runSpec({ build: { width: 16_385 } }), 'mnist')).toThrow(/16384/);
  });

  test('the margins panel starts from the schema; the command’s larger defaults say why in --help', () => {
    expect(MARGINS_DEFAULTS).toEqual({ images: 200, deepFoolImages: 50, eps: 0.1, pgdDistance: true });
    const help = commandHelp('margins')!;
    expect(help).toMatch(/--deepfool-limit N\n .*default: 200; \(the app: 50;/);
    expect(help).toMatch(/--adversarial-eps X\n .*default: 0; \(the app: 0.1;/);
  });
});

/**
 * `<command> --help`: the command's synopsis, then one entry per option its schema describes (core/options) — values,
 * help, unit, limits and default, exactly what the command checks — printed to stderr, as the usage is.
 */
import { ANALYSIS_FIELDS, ENERGY_FIELDS, MARGINS_FIELDS } from '../core/options/analysisOptions';
import { STABILITY_FIELDS, SWEEP_FIELDS } from '../core/options/stabilityOptions';
import { ATTACK_FIELDS, EVAL_NOISE_FIELDS } from '../core/options/attackOptions';
import { CERTIFY_FIELDS } from '../core/options/certifyOptions';
import type { OptionField } from '../core/options/field';
import { helpLines } from './schemaArgs';
import { TRAIN_HELP_FIELDS } from './trainFlags';

interface CommandHelp {
  synopsis: string;
  fields: OptionField[];
  /** Options outside the schemas (files, data, backend), one line each. */
  more?: string[];
}

const MODEL_DATA = '--model DIR --data mnist|cifar10 [--split test|train] [--limit N] [--batch B] [--backend wasm|cpu]';

const HELP: Record<string, CommandHelp> = {
  eval: {
    synopsis: `eval ${MODEL_DATA} [--attack none|gaussian|${ATTACK_FIELDS.method.choices.join('|')}] [options]`,
    fields: [...Object.values(ATTACK_FIELDS), EVAL_NOISE_FIELDS.sigma],
    more: [
      '  --attack in eval defaults to none (clean accuracy only)',
      '  --seeds N[,N…]  several seeds: a grid, with mean ± std per ε',
    ],
  },
  attack: {
    synopsis: 'attack --model DIR --image FILE --out ADV.png [--label L] [options]',
    fields: Object.values(ATTACK_FIELDS),
  },
  calibration: {
    synopsis: `calibration ${MODEL_DATA} [--seed S] [--ood none|all|uniform,inverted,adversarial] [--ood-eps E]`,
    fields: [ANALYSIS_FIELDS.bins, ANALYSIS_FIELDS.fitFraction, ENERGY_FIELDS.eps],
  },
  margins: {
    synopsis: `margins ${MODEL_DATA} [--seed S] [options]`,
    fields: Object.values(MARGINS_FIELDS).filter((f) => f.cliFlag !== 'limit'),
    more: [`  --limit N  test images (default ${MARGINS_FIELDS.images.cliDefault.value}; the app: 200)`],
  },
  stability: {
    synopsis:
      'stability (--model DIR | --widths W[,W…] [--depths D[,D…]] [--inits he,lecun,ntk]) --data mnist|cifar10 ' +
      '[--limit N] [--form first-order-squared|first-order|finite-difference] [--seed S] [options]',
    fields: [STABILITY_FIELDS.eps, STABILITY_FIELDS.samples, ...Object.values(SWEEP_FIELDS)],
    more: [
      `  --limit N  test images, ${STABILITY_FIELDS.images.min} to ${STABILITY_FIELDS.images.max} (default ` +
        `${STABILITY_FIELDS.images.default})`,
      '  --eps defaults to 0.5,1,2,4; --depths to 2',
      '  --train-epochs E [--train-limit N] [--lr X] [--lr-decay X] [--lr-milestones M,…] [--batch B]: train the sweep',
    ],
  },
  train: {
    synopsis: 'train --arch A --data mnist|cifar10 --epochs E --out DIR [--batch B] [--backend wasm|cpu] [options]',
    fields: TRAIN_HELP_FIELDS,
    more: [
      '  at most one of --adv, --certified, --noise-sigma and --jem on: each is a whole training objective',
      '  the robust probe takes --adv-eps, the certified probe --cert-eps',
    ],
  },
  certify: {
    synopsis:
      `certify ${MODEL_DATA} --method ibp|crown|smoothing [--radius on|off] [--seed S] ` + '[--image FILE [--label L]]',
    fields: Object.values(CERTIFY_FIELDS),
  },
};

/** The help of `command`, or null for a command whose options no schema describes yet (the usage covers it). */
export function commandHelp(command: string): string | null {
  const h = HELP[command];
  if (!h) return null;
  const ctx = { dataset: 'mnist', norm: 'linf', method: command === 'eval' ? 'pgd' : undefined, arch: 'mlp' };
  return [
    `usage: npm run --silent cli -- ${h.synopsis}`,
    'options:',
    ...helpLines(h.fields, ctx),
    ...(h.more ?? []),
  ].join('\n');
}

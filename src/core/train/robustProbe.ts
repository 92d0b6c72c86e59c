/**
 * Robustness watched during training: PGD accuracy on a fixed held-out mini-batch at every report, and the
 * detector of catastrophic overfitting (Wong, Rice & Kolter 2020, §5.1): in FGSM training, accuracy against PGD
 * can collapse within an epoch from a healthy value to near zero while clean accuracy keeps rising — the model
 * has learnt to defeat the one-step attack it trains on (its loss surface curves so that the FGSM step misses),
 * not to be robust. Wong et al. stop early at the best PGD accuracy on held-out data; so can the trainer.
 */
import * as tf from '@tensorflow/tfjs';
import { projectedGradientAttack } from '../attacks/pgd';
import { batchTensors, range, type ImageDataset } from '../data/dataset';
import { PROBE_FIELDS } from '../options/defenseOptions';
import { checkValue } from '../options/field';
import { InvalidOptionError } from '../util/errors';
import { certifiedAt } from '../verify/certifiedRadius';

export interface RobustProbeConfig {
  /** The held-out images (a few hundred: the probe runs at every report). */
  data: ImageDataset;
  /** L∞ budget. */
  eps: number;
  /** PGD steps (α = 2.5·ε/steps, uniform random start). */
  steps: number;
  seed: number;
}

const invalid = (message: string) => new InvalidOptionError(message);

/** The probe's ε and steps, by the schema's fields (core/options/defenseOptions.ts PROBE_FIELDS). */
export function validateRobustProbe(c: RobustProbeConfig): void {
  checkValue(PROBE_FIELDS.robustEps, c.eps, {}, invalid);
  checkValue(PROBE_FIELDS.robustSteps, c.steps, {}, invalid);
  if (c.data.count < 1) throw new InvalidOptionError('the robust-accuracy probe needs at least one image.');
}

/**
 * Share of the probe images classified correctly both clean and after PGD (inference mode), in batches of 256.
 * The same seed every time, so successive reports differ only because the model did.
 */
export async function probeRobustAccuracy(model: tf.LayersModel, c: RobustProbeConfig): Promise<number> {
  const infer = (z: tf.Tensor4D) => model.apply(z, { training: false }) as tf.Tensor2D;
  let robust = 0;
  for (let start = 0; start < c.data.count; start += 256) {
    const { x, y } = batchTensors(c.data, range(start, Math.min(c.data.count, start + 256)));
    try {
      const adv = await projectedGradientAttack(
        infer,
        x,
        { labels: y },
        {
          eps: c.eps,
          alpha: (2.5 * c.eps) / c.steps,
          steps: c.steps,
          norm: 'linf',
          randomStart: true,
          restarts: 1,
          seed: c.seed + start,
        },
      );
      const count = tf.tidy(() =>
        tf.logicalAnd(tf.equal(tf.argMax(infer(x), 1), y), tf.equal(tf.argMax(infer(adv), 1), y)).sum(),
      );
      robust += (await count.data())[0];
      tf.dispose([adv, count]);
    } finally {
      tf.dispose([x, y]);
    }
  }
  return robust / c.data.count;
}

/** Wong et al.'s collapse: robust accuracy falls to under half its best, by at least this much, … */
export const COLLAPSE_DROP = 0.2;
/** … while clean accuracy stays within this of where it was at the best robust accuracy. */
export const COLLAPSE_CLEAN_SLACK = 0.05;

/**
 * Wong et al.'s other face of the same failure: once ε is at its full value, the model classifies at least this
 * share of its own training attack's examples correctly …
 */
export const OWN_ATTACK_ACCURACY = 0.5;
/** … while PGD leaves under this: it defeats the one step it trains on, and nothing else. */
export const PGD_FLOOR = 0.05;

export interface CollapseReport {
  /** 'collapse': robust accuracy fell from its best; 'own-attack-only': near 0 while the training attack lost */
  kind: 'collapse' | 'own-attack-only';
  /** The best probe accuracy so far and the report it came at. */
  bestRobustAccuracy: number;
  robustAccuracy: number;
  cleanAccuracy: number;
  epoch: number;
  batch: number;
}

/** Watches (robust, clean) accuracy pairs at each report and says when robust accuracy collapsed. */
export class CatastrophicOverfittingDetector {
  private best = { robust: -1, clean: 0 };
  collapse: CollapseReport | null = null;

  /**
   * Records a report: `collapsed` when it shows a collapse (the first time and every time after), `best` when it
   * sets a new best robust accuracy (the trainer snapshots the weights then, to restore them if it stops early).
   */
  observe(
    robust: number,
    clean: number,
    at: { epoch: number; batch: number },
    /** Accuracy on the training attack's own examples, given once ε is at its full value (adversarial training). */
    ownAttackAccuracy?: number,
  ): { collapsed: boolean; best: boolean } {
    const best = robust > this.best.robust;
    if (best) this.best = { robust, clean };
    const fell =
      this.best.robust - robust >= COLLAPSE_DROP &&
      robust < this.best.robust / 2 &&
      clean >= this.best.clean - COLLAPSE_CLEAN_SLACK;
    const ownOnly = ownAttackAccuracy !== undefined && ownAttackAccuracy >= OWN_ATTACK_ACCURACY && robust < PGD_FLOOR;
    const collapsed = fell || ownOnly;
    if (collapsed && this.collapse === null) {
      this.collapse = {
        kind: fell ? 'collapse' : 'own-attack-only',
        bestRobustAccuracy: this.best.robust,
        robustAccuracy: robust,
        cleanAccuracy: clean,
        ...at,
      };
    }
    return { collapsed, best };
  }
}

/** IBP-certified accuracy watched during certified training (Gowal et al. 2018 plot it per epoch). */
export interface CertifiedProbeConfig {
  data: ImageDataset;
  /** L∞ radius at which images are certified. */
  eps: number;
}

/** Share of the probe images certified at ε by interval bounds (hence also correctly classified), batches of 256. */
export async function probeCertifiedAccuracy(model: tf.LayersModel, c: CertifiedProbeConfig): Promise<number> {
  let certified = 0;
  for (let start = 0; start < c.data.count; start += 256) {
    const { x, y } = batchTensors(c.data, range(start, Math.min(c.data.count, start + 256)));
    try {
      const ok = await certifiedAt(model, x, y, c.eps, 'ibp');
      certified += ok.reduce((a, b) => a + b, 0);
    } finally {
      tf.dispose([x, y]);
    }
  }
  return certified / c.data.count;
}

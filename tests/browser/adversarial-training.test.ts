/**
 * Adversarial training in the training lab (Madry et al. 2018): the preset "Adversarial vs standard training",
 * shrunk to one epoch of 1,280 images at L∞ ε = 0.1 (the preset's ε = 0.3 needs epochs before PGD training gets any
 * robust accuracy), trains both runs on the default backend; at the end the PGD-trained run is clearly more accurate
 * under PGD on the same held-out images than the standard one, and its samples/s shows what the attack costs. It
 * compares two speeds measured on the page, so it runs with no other file beside it (vite.config.ts, BROWSER_ALONE);
 * the "Fast adversarial training" preset, whose outcome no timing decides, is catastrophic-overfitting.test.ts.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, chartSeries } from './helpers';

const app = new App('adversarial-training');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

/** The live chart's series of one metric, per run (its data-series attribute). */
const series = (metric: string) => chartSeries(app, metric);

test(
  'the Madry et al. preset: the PGD-trained run beats the standard one under PGD, and is the slower one',
  app.run('adversarial-preset', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Training lab' }).click();
    await app.select('Preset', 'adversarial-vs-standard');
    // The preset's settings, made small enough for a test: one epoch, ε = 0.1 from the first batch, 50 probe images.
    await app.setNumber('Training images', 1280);
    await app.setNumber('Epochs', 1);
    await app.setNumber('Held-out images', 50);
    await app.setNumber('Report every (batches)', 10);
    await app.setNumber('Training ε of model B', 0.1);
    await app.setNumber('ε warm-up epochs of model B', 0);
    await app.setNumber('Robust curve ε', 0.1);
    await app.setNumber('Robust curve images', 50);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await app.waitForText(
      'run-results',
      (t) => (t.match(/finished/g) ?? []).length === 2,
      'both runs to finish',
      300_000,
    );
    const robust = await series('robustAccuracy');
    const accuracy = await series('heldOutAccuracy');
    // Measured on the command line with the same settings (train --limit 1280 --epochs 1, strided CNN): the
    // PGD-trained net kept 52 % under PGD at ε = 0.1, the standard one 11 % (eval --attack pgd --eps 0.1).
    // A robust curve that does not train against the attack (a defense ignored, B = A) leaves a gap near zero.
    expect(robust.A.n, JSON.stringify(robust)).toBeGreaterThanOrEqual(1);
    expect(robust.B.n, JSON.stringify(robust)).toBeGreaterThanOrEqual(1);
    expect(robust.B.last!, `robust accuracy at the end: ${JSON.stringify(robust)}`).toBeGreaterThan(
      robust.A.last! + 0.2,
    );
    // Both learnt: the gap is robustness, not a run that failed to train.
    expect(accuracy.A.last!, JSON.stringify(accuracy)).toBeGreaterThan(0.6);
    expect(accuracy.B.last!, JSON.stringify(accuracy)).toBeGreaterThan(0.5);
    const speed = await series('samplesPerSecond');
    // PGD-5 training costs about six passes per batch: clearly slower than standard training.
    expect(speed.B.last!, JSON.stringify(speed)).toBeLessThan(speed.A.last! / 2);
    await app.screenshot('adversarial-preset');
  }),
);

/**
 * Adversarial training in the training lab (Madry et al. 2018): the preset "Adversarial vs standard training"
 * trains a few batches of each run on the default backend, and the robust-accuracy curve (PGD on held-out images)
 * gets a point for both; the adversarial run's samples/s shows what the attack costs.
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
  'the Madry et al. preset: a robust-accuracy point for both runs; PGD training is the slower one',
  app.run('adversarial-preset', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Training lab' }).click();
    await app.select('Preset', 'adversarial-vs-standard');
    // The preset's settings, made small enough for a test: a few batches, a small probe.
    expect(await page.getByLabel('Defense of model B', { exact: true }).inputValue()).toBe('pgd');
    expect(await page.getByLabel('Defense of model A', { exact: true }).inputValue()).toBe('none');
    await app.setNumber('Training images', 640);
    await app.setNumber('Epochs', 1);
    await app.setNumber('Held-out images', 50);
    await app.setNumber('Report every (batches)', 5);
    await app.setNumber('Robust curve images', 20);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await app.until(
      async () => {
        const s = await series('robustAccuracy');
        return (s.A?.n ?? 0) >= 1 && (s.B?.n ?? 0) >= 1;
      },
      'a robust-accuracy point for both runs',
      180_000,
    );
    const robust = await series('robustAccuracy');
    for (const id of ['A', 'B']) {
      expect(robust[id].last, `run ${id}: an accuracy`).toBeGreaterThanOrEqual(0);
      expect(robust[id].last, `run ${id}: an accuracy`).toBeLessThanOrEqual(1);
    }
    const speed = await series('samplesPerSecond');
    // PGD-5 training costs about six passes per batch: clearly slower than standard training.
    expect(speed.B.last!, JSON.stringify(speed)).toBeLessThan(speed.A.last! / 2);
    await app.screenshot('adversarial-preset');
    await app.waitForText(
      'run-results',
      (t) => (t.match(/finished/g) ?? []).length === 2,
      'both runs to finish',
      240_000,
    );
  }),
);

/**
 * Xie & Yuille's preset in the training lab: three batch-norm CNNs trained adversarially — adversarial images
 * only, with clean images through one batch norm, and through split batch norms — each get a robust-accuracy
 * point, and the runs that also train on clean images are the slower ones (twice the images per step).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, chartSeries } from './helpers';

const app = new App('batch-norm-preset');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

test(
  'the clean-images preset trains all three runs, split batch norm included',
  app.run('batch-norm-preset', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Training lab' }).click();
    await app.select('Preset', 'clean-images-batch-norm');
    for (const id of ['A', 'B', 'C']) {
      expect(await page.getByLabel(`Defense of model ${id}`, { exact: true }).inputValue()).toBe('pgd');
    }
    await app.setNumber('Training images', 256);
    await app.setNumber('Epochs', 1);
    await app.setNumber('Held-out images', 50);
    await app.setNumber('Report every (batches)', 2);
    await app.setNumber('Robust curve images', 20);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await app.until(
      async () => {
        const s = await chartSeries(app, 'robustAccuracy');
        return ['A', 'B', 'C'].every((id) => (s[id]?.n ?? 0) >= 1);
      },
      'a robust-accuracy point for all three runs',
      300_000,
    );
    const robust = await chartSeries(app, 'robustAccuracy');
    for (const id of ['A', 'B', 'C']) {
      expect(robust[id].last, `run ${id}: an accuracy`).toBeGreaterThanOrEqual(0);
      expect(robust[id].last, `run ${id}: an accuracy`).toBeLessThanOrEqual(1);
    }
    await app.waitForText(
      'run-results',
      (t) => (t.match(/finished/g) ?? []).length === 3,
      'all three runs to finish',
      300_000,
    );
    await app.screenshot('batch-norm-preset');
  }),
);

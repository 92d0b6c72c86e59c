/**
 * The training lab: two classroom models (Yan et al.'s CNN and ODENet) train interleaved in the
 * worker on the default backend; both curves grow and both losses go down; Stop halts and Resume finishes the
 * run; the finished models are saved in IndexedDB, read back with the same predictions, and the
 * attack lab can use one.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, chartSeries } from './helpers';

const app = new App('training-lab');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

/** The live chart's series of one metric, per run (its data-series attribute). */
const series = (metric: string) => chartSeries(app, metric);

test(
  'ODENet vs CNN: both curves move live; Stop, Resume, then saved and usable in the attack lab',
  app.run('train', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Training lab' }).click();
    await app.select('Preset', 'odenet-vs-cnn');
    await app.setNumber('Training images', 1536);
    await app.setNumber('Held-out images', 100);
    await app.setNumber('Report every (batches)', 1);
    await page.getByRole('button', { name: 'Train', exact: true }).click();

    // Both runs report at least twice: the interleaved schedule grows the curves together.
    await app.until(
      async () => {
        const s = await series('loss');
        return (s.A?.n ?? 0) >= 2 && (s.B?.n ?? 0) >= 2;
      },
      'both loss curves to have two points',
      180_000,
    );
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await app.waitForText('run-results', (t) => /stopped/.test(t), 'the runs to be stopped', 60_000);
    await app.screenshot('stopped');
    const atStop = await series('loss');

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    const results = await app.waitForText(
      'run-results',
      (t) => (t.match(/finished/g) ?? []).length === 2,
      'both runs to finish',
      240_000,
    );
    // 1,536 images, one epoch, each model saw each image once (stop/resume lost or repeated none).
    expect((results.match(/1,536/g) ?? []).length, results).toBe(2);
    const loss = await series('loss');
    const acc = await series('trainAccuracy');
    for (const id of ['A', 'B']) {
      expect(loss[id].n, `run ${id}: more points after Resume`).toBeGreaterThan(atStop[id].n);
      // Training lowers the loss: the last reported value (after one epoch) is below the first (the first batch).
      expect(loss[id].last!, `run ${id}: the loss went down`).toBeLessThan(loss[id].first!);
      expect(acc[id].n, `run ${id}: training-accuracy points`).toBe(loss[id].n);
    }
    for (const metric of ['heldOutAccuracy', 'samplesPerSecond', 'lazyRatio']) {
      const s = await series(metric);
      expect(s.A?.n ?? 0, `${metric} of A`).toBeGreaterThan(0);
      expect(s.B?.n ?? 0, `${metric} of B`).toBeGreaterThan(0);
    }
    await app.screenshot('finished');

    // Saved in IndexedDB: the header's model picker offers the ODENet; the attack lab uses it.
    // Each copy was read back from IndexedDB and predicts exactly as the trained model did.
    // The second copy is saved (and read back) after its run has finished: wait for it rather than read the list once.
    const readBack = /read back: same predictions on 64 test images/g;
    const saved = app.page.locator('section[aria-labelledby=saved-heading]');
    let savedList = '';
    await app
      .until(
        async () => {
          savedList = (await saved.textContent({ timeout: 1_000 }).catch(() => null)) ?? '';
          return (savedList.match(readBack) ?? []).length >= 2;
        },
        'both runs saved and read back',
        60_000,
      )
      .catch(() => undefined);
    expect((savedList.match(readBack) ?? []).length, savedList).toBe(2);
    const picker = page.getByLabel('Model', { exact: true });
    await app.until(
      async () => (await picker.locator('option').allTextContents()).some((t) => /^ODENet/.test(t)),
      'the saved ODENet in the model list',
      30_000,
    );
    const odenet = (await picker.locator('option').allTextContents()).find((t) => /^ODENet/.test(t))!;
    await picker.selectOption({ label: odenet });
    await page.getByRole('link', { name: 'Attack lab' }).click();
    await app.waitForText('status-model', (t) => /odenet/i.test(t), 'the status line to show the ODENet', 60_000);
    await app.waitForText('clean-prediction', (t) => /Prediction/.test(t), 'a prediction by the ODENet', 60_000);
    await app.screenshot('odenet-in-attack-lab');
  }),
);

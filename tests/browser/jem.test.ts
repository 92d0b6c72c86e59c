/**
 * JEM in the app (Grathwohl et al. 2020): the training-lab preset trains a few batches while the replay-buffer grid
 * changes and the energy curves get points; the attack lab's Dream panel walks the shipped JEM toward a class, says
 * how the standard CNN (trained apart) reads the dream, and "Use as picture" puts the dream on screen, where that CNN
 * classifies it as that class.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, cleanPrediction } from './helpers';

const app = new App('jem');
// No first load of '/': the first test opens the training lab's address itself (a fresh page load).
beforeAll(() => app.start());
afterAll(() => app.stop());

const GRID_NAME = 'Replay-buffer samples of JEM';

/** The grid canvas's RGBA bytes and the training images seen when it was posted. */
async function gridPixels(): Promise<{ samples: number; pixels: number[] }> {
  const figure = app.page.getByTestId('jem-sample-grid');
  const samples = Number(await figure.getAttribute('data-samples'));
  const canvas = app.page.getByRole('img', { name: GRID_NAME });
  const pixels = await canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
  });
  return { samples, pixels };
}

test(
  'the JEM preset trains a few batches: the sample grid changes and the energy curves get points',
  app.run('train', async () => {
    const page = app.page;
    // A fresh load of the training lab's address, as a shared link opens it.
    await page.goto(`${app.baseUrl}/#training-lab`);
    await app.waitReady();
    await page.locator('main#training-lab').waitFor({ state: 'visible', timeout: 30_000 });
    await app.select('Preset', 'jem-vs-standard');
    await app.setNumber('Training images', 640);
    await app.setNumber('Held-out images', 100);
    await app.setNumber('Report every (batches)', 2);
    await page.getByRole('button', { name: 'Train', exact: true }).click();

    await page.getByRole('img', { name: GRID_NAME }).waitFor({ state: 'visible', timeout: 180_000 });
    const first = await gridPixels();
    // A later grid: more images seen, and the chains SGLD moved since look different.
    await app.until(async () => (await gridPixels()).samples > first.samples, 'a later replay-buffer grid', 180_000);
    const later = await gridPixels();
    expect(later.pixels.length).toBe(first.pixels.length);
    const changed = later.pixels.filter((v, i) => Math.abs(v - first.pixels[i]) > 8).length;
    expect(changed, 'grid bytes that changed by more than 8 grey levels').toBeGreaterThan(later.pixels.length / 50);
    // 10 rows (one per digit) of 8 shrunk 14 × 14 digits with one-pixel gaps.
    const size = await page
      .getByRole('img', { name: GRID_NAME })
      .evaluate((el) => [(el as HTMLCanvasElement).width, (el as HTMLCanvasElement).height]);
    expect(size).toEqual([8 * 15 + 1, 10 * 15 + 1]);

    await app.until(
      async () => {
        const raw = await page.getByTestId('chart-jem-energy').getAttribute('data-series', { timeout: 1_000 });
        const s = raw ? (JSON.parse(raw) as { data: number; samples: number }) : { data: 0, samples: 0 };
        return s.data >= 1 && s.samples >= 1;
      },
      'points on the energy curves of data and samples',
      180_000,
    );
    const energy = JSON.parse((await page.getByTestId('chart-jem-energy').getAttribute('data-series'))!) as {
      last: { energyData: number; energySamples: number };
    };
    expect(Number.isFinite(energy.last.energyData)).toBe(true);
    expect(Number.isFinite(energy.last.energySamples)).toBe(true);
    await app.screenshot('training');
    // 640 images are ten batches: both runs finish, neither diverges (no alert says so).
    await app.waitForText(
      'run-results',
      (t) => (t.match(/finished/g) ?? []).length === 2,
      'both runs to finish',
      300_000,
    );
    expect(await page.getByRole('alert').filter({ hasText: 'diverged' }).count()).toBe(0);
    await app.screenshot('finished');
  }),
  600_000,
);

test(
  'Dream: the shipped JEM dreams of a 3 from noise; "Use as picture" shows it and the standard CNN reads a 3',
  app.run('dream', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Attack lab' }).click();
    const picker = page.getByLabel('Model', { exact: true });
    await picker.selectOption({ label: 'Strided CNN, JEM (Grathwohl et al. 2020)' });
    await app.until(
      async () =>
        /JEM/.test(
          (await page
            .getByTestId('status-model-name')
            .textContent()
            .catch(() => '')) ?? '',
        ),
      'the JEM to load',
      60_000,
    );
    await cleanPrediction(app);
    await app.select('Dream of class', '3');
    await app.setNumber('SGLD steps', 100);
    await app.select('Start from', 'noise');
    await page.getByRole('button', { name: 'Dream', exact: true }).click();
    const summary = await app.waitForText('dream-summary', (t) => /dreamed of a 3/.test(t), 'the dream', 120_000);
    // The standard CNN, trained apart, reads the JEM's dream beside the JEM's own reading, and names itself.
    const judge = await app.text('dream-judge');
    expect(judge, judge).toMatch(/^The standard CNN reads it as 3 \(\d+\.\d%\) — Small CNN, standard training, /);
    const panel = page.locator('section[aria-labelledby="dream-heading"]');
    await panel.screenshot({ path: 'test-results/jem-dream-panel.png', timeout: 15_000 });
    await page.setViewportSize({ width: 390, height: 844 });
    await panel.screenshot({ path: 'test-results/jem-dream-panel-phone.png', timeout: 15_000 });
    await page.setViewportSize({ width: 1280, height: 1000 });
    // The start, the end and frames between: 8 of them, the last at step 100.
    const frames = page.getByRole('img', { name: /^Dream frame at step/ });
    expect(await frames.count()).toBe(8);
    await expect.poll(() => frames.last().getAttribute('aria-label')).toBe('Dream frame at step 100');
    await app.screenshot('dreamed');

    // A long dream stops on Cancel: the notice says so and the last dream stays on show.
    await app.setNumber('SGLD steps', 500);
    await page.getByRole('button', { name: 'Dream', exact: true }).click();
    await page.getByRole('progressbar', { name: 'Dreaming' }).waitFor({ state: 'visible', timeout: 30_000 });
    await app.cancelButton().click();
    await app.until(
      async () => /Cancelled/.test((await app.textOf('.notice', 200)) ?? ''),
      'the Cancelled notice',
      60_000,
    );
    expect(await app.text('dream-summary')).toBe(summary);

    await page.getByRole('button', { name: 'Use as picture' }).click();
    await app.waitForText('preprocess-note', (t) => /Dreamed by/.test(t), 'the dream on screen', 60_000);
    await app.screenshot('dream-as-picture');
    // Judged by an independently trained model, as `sample --judge` does: the shipped JEM gives its own samples
    // high energy (all logits low), so its argmax on them is not the test; the standard CNN reads the 3.
    await picker.selectOption({ label: 'Small CNN, standard training' });
    await app.until(
      async () =>
        /Small CNN/.test(
          (await page
            .getByTestId('status-model-name')
            .textContent()
            .catch(() => '')) ?? '',
        ),
      'the standard CNN to load',
      60_000,
    );
    await app.waitForText('preprocess-note', (t) => /Dreamed by/.test(t), 'the dream still on screen', 60_000);
    // The picture is classified again by the new model: wait for a reading of 3, which a wrong dream never gives.
    let last = { label: -1, percent: 0 };
    await app.until(
      async () => {
        last = await cleanPrediction(app);
        return last.label === 3;
      },
      `the standard CNN to read the dream as 3 (${summary})`,
      30_000,
    );
    expect(last.label).toBe(3);

    // The standard CNN dreaming: it is its own standard, so no second reading is shown.
    await app.setNumber('SGLD steps', 20);
    await page.getByRole('button', { name: 'Dream', exact: true }).click();
    await app.waitForText(
      'dream-summary',
      (t) => /^Small CNN, standard training dreamed of a 3 in 20 steps/.test(t),
      'the standard CNN’s dream',
      60_000,
    );
    expect(await app.testId('dream-judge').count()).toBe(0);
  }),
  300_000,
);

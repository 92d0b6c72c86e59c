/**
 * The analysis view on the default backend with the shipped CNN: the Yan et al. protocol fills its
 * three robustness charts and shows the sanity checks; calibration draws a reliability diagram;
 * the energy panel scores two pictures of the user's beside noise, inverted and PGD images;
 * the margins panel draws its histograms, scatter and operator norms; the stability panel draws
 * stability against ε and the MLP sweep with the lazy-training ratio; the worker's tensor count
 * returns to where it was after margins and stability.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, chartsDrawn, panelShot, runAndWait } from './helpers';
import { modelDisplayName } from '../../src/state/shippedModels';
import { barDigitPng, ringDigitPng } from './images';

const app = new App('analysis');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

async function expectCharts(testIds: string[]): Promise<void> {
  for (const id of testIds) expect(await chartsDrawn(app, id), `[data-testid=${id}] has an svg with paths`).toBe(true);
}

test(
  'Yan protocol, calibration, margins and stability: every chart draws',
  app.run('analysis', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Analysis' }).click();
    await app.setNumber('Test images', 100);

    const yan = await runAndWait(
      app,
      'Run the Yan et al. protocol',
      async () => (await app.testId('sanity-checks').count()) > 0,
      'the sanity checks',
    );
    // A line per model in each chart (plain SVG, src/ui/common/PlainChart.tsx).
    for (const attack of ['gaussian', 'fgsm', 'pgd']) {
      const lines = () => app.testId(`robustness-chart-${attack}`).locator('path.plain-chart-line').count();
      await app.until(async () => (await lines()) > 0, `${attack}: a line per model`, 10_000);
    }
    await app.screenshot('yan-protocol');
    const yanTable = await app.text('robustness-table');
    // Each chart links to its explanation, which opens in place.
    await page.getByRole('button', { name: 'What is this? Accuracy against ε', exact: true }).first().click();
    await app.until(
      () => page.locator('#concept-robust-accuracy').evaluate((d) => (d as HTMLDetailsElement).open),
      'the explanation to open',
      10_000,
    );

    const cal = await runAndWait(
      app,
      'Measure calibration',
      () => chartsDrawn(app, 'reliability-chart'),
      'the reliability diagram',
    );
    await app.screenshot('calibration');

    // Energy: two pictures of the user's own join noise, inverted digits and PGD examples.
    await page.getByLabel('Add your own images', { exact: true }).setInputFiles([
      { name: 'ring.png', mimeType: 'image/png', buffer: ringDigitPng() },
      { name: 'bar.png', mimeType: 'image/png', buffer: barDigitPng() },
    ]);
    await app.until(
      async () => (await page.getByText('your images (2)').count()) > 0,
      'the two pictures to be read',
      30_000,
    );
    await app.setNumber('Energy images', 100);
    const energy = await runAndWait(
      app,
      'Measure energy',
      () => chartsDrawn(app, 'energy-histogram', 4),
      'the energy histograms',
    );
    const energyTable = await app.text('energy-table');
    expect(energyTable).toMatch(/uniform noise in \[0,1\] \(n 100\)/);
    expect(energyTable).toMatch(/your images \(n 2\)/);
    // Every cell holds two AUROCs in [0, 1].
    const aurocs = [...energyTable.matchAll(/(\d\.\d{3}) \/ (\d\.\d{3})/g)].flatMap((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(aurocs.length).toBeGreaterThanOrEqual(8);
    for (const a of aurocs) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(1);
    }
    await panelShot(app, 'energy-heading', 'energy');

    const tensorsBefore = await app.settledTensorCount();
    await app.setNumber('Margin images', 100);
    await app.setNumber('DeepFool images', 20);
    const margins = await runAndWait(
      app,
      'Measure margins',
      () => chartsDrawn(app, 'margin-scatter'),
      'the margins charts',
    );
    await expectCharts([
      'margin-histogram',
      'distance-histogram-deepfool',
      'distance-histogram-pgd',
      'margin-scatter',
      'operator-norm-chart',
    ]);
    const table = await app.text('margins-table');
    expect(table).toContain(modelDisplayName('/models/mnist-cnn/model.json'));
    await app.testId('margins-table').scrollIntoViewIfNeeded();
    await app.screenshot('margins');
    await panelShot(app, 'margins-heading', 'margins');

    await app.setNumber('Stability images', 20);
    const epsField = page.getByLabel('Stability ε (L2)', { exact: true });
    await epsField.fill('0.5, 1, 2');
    await app.setNumber('Draws per image', 8);
    const stability = await runAndWait(
      app,
      'Measure stability',
      () => chartsDrawn(app, 'stability-chart', 2),
      'the stability chart',
    );

    await page.getByLabel('Widths', { exact: true }).fill('16, 64');
    await page.getByLabel('Depths', { exact: true }).fill('1, 2');
    await app.setNumber('Sweep images', 16);
    await app.setNumber('Sweep draws per image', 4);
    const sweep = await runAndWait(
      app,
      'Run the MLP sweep',
      async () =>
        (await chartsDrawn(app, 'sweep-stability-chart', 2)) && (await chartsDrawn(app, 'sweep-lazy-chart', 2)),
      'the sweep charts',
    );
    const sweepText = await app.text('sweep-stability-chart');
    expect(sweepText).toMatch(/12 of 12 networks done/);
    await app.testId('stability-chart').scrollIntoViewIfNeeded();
    await app.screenshot('stability');
    await panelShot(app, 'stability-heading', 'stability');

    const tensorsAfter = await app.settledTensorCount();
    expect(tensorsAfter, 'tensors after margins and stability').toBe(tensorsBefore);

    const definitions = await page
      .locator(
        '[data-testid=margin-histogram] figcaption, [data-testid=stability-chart] figcaption, ' +
          '[data-testid=distance-histogram-deepfool] figcaption',
      )
      .allTextContents();
    console.log(
      JSON.stringify(
        {
          seconds: { yan, cal, energy, margins, stability, sweep },
          yanTable,
          table,
          definitions,
          tensorsBefore,
          tensorsAfter,
        },
        null,
        1,
      ),
    );
  }),
);

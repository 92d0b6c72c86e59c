/**
 * The analysis view on the default backend with the shipped CNN: the Yan et al. protocol fills its
 * three robustness charts and shows the sanity checks; calibration draws a reliability diagram;
 * the energy panel scores two pictures of the user's beside noise, inverted and PGD images;
 * the margins panel draws its histograms, scatter and operator norms; the stability panel draws
 * stability against ε and the MLP sweep with the lazy-training ratio; the worker's tensor count
 * returns to where it was after margins and stability.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App } from './helpers';
import { barDigitPng, ringDigitPng } from './images';

const app = new App('analysis');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

const RUN_TIMEOUT_MS = 240_000;

/** A screenshot of one panel (by its heading id), to look at the charts at full size. */
async function panelShot(headingId: string, label: string): Promise<void> {
  await app.page.locator(`section[aria-labelledby="${headingId}"]`).screenshot({ path: `test-results/analysis-panel-${label}.png`, timeout: 15_000 });
}

/** Clicks a button, then waits until it is enabled again (the task is over) and `ready` says yes; fails on a new error banner. */
async function runAndWait(button: string, ready: () => Promise<boolean>, what: string, timeout = RUN_TIMEOUT_MS): Promise<number> {
  const b = app.page.getByRole('button', { name: button, exact: true });
  await app.until(() => b.isEnabled(), `"${button}" to be enabled`, 60_000);
  const alertBefore = await app.textOf('[role=alert][data-testid=error-message]', 50);
  const started = Date.now();
  await b.click();
  await app.until(
    async () => {
      const alert = await app.textOf('[role=alert][data-testid=error-message]', 50);
      if (alert && alert !== alertBefore) throw new Error(`"${button}" failed with the error banner: ${alert}`);
      return (await b.isEnabled()) && (await ready());
    },
    what,
    timeout,
  );
  return (Date.now() - started) / 1000;
}

/** Every element with this test id holds a drawn chart: an svg with at least `min` path elements. */
async function chartsDrawn(testId: string, min = 1): Promise<boolean> {
  const cards = app.testId(testId);
  const n = await cards.count();
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const paths = await cards.nth(i).locator('svg.recharts-surface path').count();
    if (paths < min) return false;
  }
  return true;
}

async function expectCharts(testIds: string[]): Promise<void> {
  for (const id of testIds) expect(await chartsDrawn(id), `[data-testid=${id}] has an svg with paths`).toBe(true);
}

test(
  'Yan protocol, calibration, margins and stability: every chart draws',
  app.run('analysis', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Analysis' }).click();
    await app.setNumber('Test images', 100);

    const yan = await runAndWait('Run the Yan et al. protocol', async () => (await app.testId('sanity-checks').count()) > 0, 'the sanity checks');
    for (const attack of ['gaussian', 'fgsm', 'pgd']) {
      const lines = await app.testId(`robustness-chart-${attack}`).locator('path.recharts-curve').count();
      expect(lines, `${attack}: a line per model`).toBeGreaterThan(0);
    }
    await app.screenshot('yan-protocol');
    const yanTable = await app.text('robustness-table');
    // Each chart links to its explanation, which opens in place.
    await page.getByRole('button', { name: 'What is this? Accuracy against ε', exact: true }).first().click();
    await app.until(() => page.locator('#concept-robust-accuracy').evaluate((d) => (d as HTMLDetailsElement).open), 'the explanation to open', 10_000);

    const cal = await runAndWait('Measure calibration', () => chartsDrawn('reliability-chart'), 'the reliability diagram');
    await app.screenshot('calibration');

    // Energy: two pictures of the user's own join noise, inverted digits and PGD examples.
    await page.getByLabel('Add your own images', { exact: true }).setInputFiles([
      { name: 'ring.png', mimeType: 'image/png', buffer: ringDigitPng() },
      { name: 'bar.png', mimeType: 'image/png', buffer: barDigitPng() },
    ]);
    await app.until(async () => (await page.getByText('your images (2)').count()) > 0, 'the two pictures to be read', 30_000);
    await app.setNumber('Energy images', 100);
    const energy = await runAndWait('Measure energy', () => chartsDrawn('energy-histogram', 4), 'the energy histograms');
    const energyTable = await app.text('energy-table');
    expect(energyTable).toMatch(/uniform noise in \[0,1\] \(n 100\)/);
    expect(energyTable).toMatch(/your images \(n 2\)/);
    // Every cell holds two AUROCs in [0, 1].
    const aurocs = [...energyTable.matchAll(/(\d\.\d{3}) \/ (\d\.\d{3})/g)].flatMap((m) => [Number(m[1]), Number(m[2])]);
    expect(aurocs.length).toBeGreaterThanOrEqual(8);
    for (const a of aurocs) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(1);
    }
    await panelShot('energy-heading', 'energy');

    const tensorsBefore = await app.settledTensorCount();
    await app.setNumber('Margin images', 100);
    await app.setNumber('DeepFool images', 20);
    const margins = await runAndWait('Measure margins', () => chartsDrawn('margin-scatter'), 'the margins charts');
    await expectCharts(['margin-histogram', 'distance-histogram-deepfool', 'distance-histogram-pgd', 'margin-scatter', 'operator-norm-chart']);
    const table = await app.text('margins-table');
    expect(table).toMatch(/MNIST CNN/);
    await app.testId('margins-table').scrollIntoViewIfNeeded();
    await app.screenshot('margins');
    await panelShot('margins-heading', 'margins');

    await app.setNumber('Stability images', 20);
    const epsField = page.getByLabel('Stability ε (L2)', { exact: true });
    await epsField.fill('0.5, 1, 2');
    await app.setNumber('Draws per image', 8);
    const stability = await runAndWait('Measure stability', () => chartsDrawn('stability-chart', 2), 'the stability chart');

    await page.getByLabel('Widths', { exact: true }).fill('16, 64');
    await page.getByLabel('Depths', { exact: true }).fill('1, 2');
    await app.setNumber('Sweep images', 16);
    await app.setNumber('Sweep draws per image', 4);
    const sweep = await runAndWait(
      'Run the MLP sweep',
      async () => (await chartsDrawn('sweep-stability-chart', 2)) && (await chartsDrawn('sweep-lazy-chart', 2)),
      'the sweep charts',
    );
    const sweepText = await app.text('sweep-stability-chart');
    expect(sweepText).toMatch(/12 of 12 networks done/);
    await app.testId('stability-chart').scrollIntoViewIfNeeded();
    await app.screenshot('stability');
    await panelShot('stability-heading', 'stability');

    const tensorsAfter = await app.settledTensorCount();
    expect(tensorsAfter, 'tensors after margins and stability').toBe(tensorsBefore);

    const definitions = await page.locator('[data-testid=margin-histogram] figcaption, [data-testid=stability-chart] figcaption, [data-testid=distance-histogram-deepfool] figcaption').allTextContents();
    console.log(JSON.stringify({ seconds: { yan, cal, energy, margins, stability, sweep }, yanTable, table, definitions, tensorsBefore, tensorsAfter }, null, 1));
  }),
);

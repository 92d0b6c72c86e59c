/**
 * The analysis view on the default backend with the shipped CNN: the Yan et al. protocol fills its
 * three robustness charts and shows the sanity checks; calibration draws a reliability diagram;
 * the energy panel scores two pictures of the user's beside noise, inverted and PGD images;
 * the margins panel draws its histograms, scatter and operator norms; the stability panel draws
 * stability against ε and the MLP sweep with the lazy-training ratio; the worker's tensor count
 * returns to where it was after margins and stability. The shipped CNN's figures — clean and FGSM accuracy, ECE
 * before and after temperature scaling, q_min, ρ and L — match the same figures computed by hand in Node
 * (referenceFigures.ts). The strong evaluation fills its four attacks, and each sanity verdict says what its rule
 * says of the numbers in the table.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, chartsDrawn, panelShot, runAndWait } from './helpers';
import { modelDisplayName } from '../../src/state/shippedModels';
import { barDigitPng, ringDigitPng } from './images';
import {
  accuracyOf,
  calibrationHalves,
  expectedCalibrationError,
  fgsmAccuracy,
  meanNll,
  parameterFigures,
  type Reference,
  shippedCnnReference,
  smallestMargin,
} from './referenceFigures';
import { calibrationOf, percentIn, tableRow } from './analysisPage';

const CNN = modelDisplayName('/models/mnist-cnn/model.json');
const PGD_AT = modelDisplayName('/models/mnist-cnn-pgd-at/model.json');
/** The test images of the Yan protocol and calibration: the first 50, in the page and in Node. */
const IMAGES = 50;
/**
 * The margins' images, the first 10 of those (the field's minimum): PGD-20 for the adversarial margins runs on each of
 * them for each model, and q_min is compared on the same 10.
 */
const MARGIN_IMAGES = 10;
/** Energy's test images (and as many noise, inverted and PGD images), the field's minimum. */
const ENERGY_IMAGES = 10;

const app = new App('analysis');
let reference: Promise<Reference>;
beforeAll(async () => {
  // The Node figures are computed while Chromium starts.
  reference = shippedCnnReference(IMAGES);
  reference.catch(() => undefined);
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

/** Within one image of n, plus the page's rounding to 0.1 %. */
const oneImage = (n: number) => 1 / n + 0.0005;

async function expectCharts(testIds: string[]): Promise<void> {
  for (const id of testIds) expect(await chartsDrawn(app, id), `[data-testid=${id}] has an svg with paths`).toBe(true);
}

test(
  'Yan protocol, calibration, margins and stability: every chart draws',
  app.run('analysis', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Analysis' }).click();
    await app.setNumber('Test images', IMAGES);
    await app.setNumber('Bins', 15);

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
    // The CNN's row against the hand-computed figures (FGSM is deterministic; wasm here and in Node agree to
    // about 1e-6 in the logits, so at most one image may land differently).
    const ref = await reference;
    const row = await tableRow(app, 'robustness-table', CNN);
    expect(percentIn(row.clean), `clean accuracy: ${JSON.stringify(row)}`).toBeCloseTo(accuracyOf(ref), 3);
    for (const eps of [0.15, 0.3, 0.5]) {
      const shown = percentIn(row[`fgsm ε ${eps}`]);
      const expected = await fgsmAccuracy(ref, eps);
      expect(Math.abs(shown - expected), `FGSM at ε ${eps}: page ${shown}, Node ${expected}`).toBeLessThanOrEqual(
        oneImage(IMAGES),
      );
    }
    // PGD (a random start, so no hand value) is never above the FGSM of the same ε on this undefended model.
    expect(percentIn(row['pgd ε 0.3'])).toBeLessThanOrEqual(percentIn(row['fgsm ε 0.3']) + oneImage(IMAGES));
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
    // ECE on the reporting half, before and after temperature scaling, against the hand computation; the fitted T
    // minimises the NLL on the fitting half (a step of 0.05 either way does not lower it).
    const shown = await calibrationOf(app, CNN);
    const halves = calibrationHalves(IMAGES);
    expect(shown.reportN).toBe(halves.report.length);
    const eceBefore = expectedCalibrationError(ref, halves.report, 15);
    const eceAfter = expectedCalibrationError(ref, halves.report, 15, shown.temperature);
    expect(Math.abs(shown.eceBefore - eceBefore), `ECE: page ${shown.eceBefore}, Node ${eceBefore}`).toBeLessThan(
      0.003,
    );
    expect(Math.abs(shown.eceAfter - eceAfter), `ECE after T: page ${shown.eceAfter}, Node ${eceAfter}`).toBeLessThan(
      0.005,
    );
    const nll = (t: number) => meanNll(ref, halves.fit, t);
    expect(nll(shown.temperature), `T = ${shown.temperature}`).toBeLessThanOrEqual(nll(shown.temperature + 0.05));
    expect(nll(shown.temperature), `T = ${shown.temperature}`).toBeLessThanOrEqual(nll(shown.temperature - 0.05));

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
    await app.setNumber('Energy images', ENERGY_IMAGES);
    const energy = await runAndWait(
      app,
      'Measure energy',
      () => chartsDrawn(app, 'energy-histogram', 4),
      'the energy histograms',
    );
    const energyTable = await app.text('energy-table');
    expect(energyTable).toMatch(new RegExp(`uniform noise in \\[0,1\\] \\(n ${ENERGY_IMAGES}\\)`));
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
    await app.setNumber('Margin images', MARGIN_IMAGES);
    // DeepFool and the PGD bisection on the first image (each draws its distance histogram, which needs that search to
    // succeed for every model; the figures checked below are of all 10): the two searches, per image and per model,
    // are most of the panel's time here.
    await app.setNumber('DeepFool images', 1);
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
    // q_min, ρ and L of the CNN against the hand computation (the page shows three significant digits).
    const margin = await tableRow(app, 'margins-table', CNN);
    const { rho, layers } = await parameterFigures(ref);
    const qMin = smallestMargin(ref, MARGIN_IMAGES);
    expect(Math.abs(Number(margin.q_min) / qMin - 1), JSON.stringify(margin)).toBeLessThan(0.005);
    expect(Math.abs(Number(margin.ρ) / rho - 1), JSON.stringify(margin)).toBeLessThan(0.005);
    expect(Number(margin.L)).toBe(layers);
    await app.testId('margins-table').scrollIntoViewIfNeeded();
    await app.screenshot('margins');
    await panelShot(app, 'margins-heading', 'margins');

    await app.setNumber('Stability images', 10);
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
  // Six measurements one after the other: far longer than one task.
  600_000,
);

/** One sanity verdict as listed: its model, ✓ or ⚠, and its sentence. */
interface Verdict {
  model: string;
  passed: boolean;
  message: string;
}

test(
  'the strong evaluation: four attacks at four ε, hand-checked FGSM, and verdicts that follow from the table',
  app.run('strong-evaluation', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Analysis' }).click();
    await app.untickModels('mnist-odenet', 'mnist-tisode');
    await page.getByLabel(CNN, { exact: true }).check();
    await page.getByLabel(PGD_AT, { exact: true }).check();
    const n = 10; // the field's minimum
    await app.setNumber('Test images', n);
    await app.setNumber('Seeds', 1);
    await runAndWait(
      app,
      'Run the strong evaluation',
      async () => (await app.testId('sanity-checks').count()) > 0,
      'the sanity checks of the strong evaluation',
    );
    const ref = await reference;
    const verdicts: Verdict[] = await app
      .testId('sanity-checks')
      .locator('li')
      .evaluateAll((items) =>
        items.map((li) => {
          const text = (li.textContent ?? '').replace(/\s+/g, ' ').trim();
          const head = (li.querySelector('strong')?.textContent ?? '').replace(/\s+/g, ' ').trim();
          const message = text.slice(text.indexOf(head) + head.length).trim();
          return { model: head.replace(/:$/, ''), passed: text.startsWith('✓'), message };
        }),
      );
    await app.screenshot('strong-evaluation');
    const slack = 1 / n;
    for (const model of [CNN, PGD_AT]) {
      const row = await tableRow(app, 'robustness-table', model);
      const cell = (attack: string, eps: number) => percentIn(row[`${attack} ε ${eps}`]);
      const mine = verdicts.filter((v) => v.model === model);
      // Per ε: PGD vs FGSM, FGSM far above PGD, APGD-CE vs PGD; and once, the largest ε.
      expect(mine.length, `${model}: ${JSON.stringify(mine)}`).toBe(3 * 4 + 1);
      for (const eps of [0.1, 0.2, 0.3, 0.4]) {
        const [fgsm, pgd, apgd, lite] = ['fgsm', 'pgd', 'apgd-ce', 'autoattack-lite'].map((a) => cell(a, eps));
        const at = mine.filter((v) => v.message.startsWith(`At ε = ${eps},`));
        const verdict = (pattern: RegExp) => {
          const found = at.filter((v) => pattern.test(v.message));
          expect(found.length, `${model} at ε ${eps}: one verdict matching ${pattern}`).toBe(1);
          return found[0];
        };
        // Each verdict follows its rule from the numbers shown (where the rule is decided whatever the slack).
        const pgdVsFgsm = verdict(/^At ε = [\d.]+, PGD /);
        if (pgd <= fgsm) expect(pgdVsFgsm.passed, pgdVsFgsm.message).toBe(true);
        if (pgd > fgsm + slack) expect(pgdVsFgsm.passed, pgdVsFgsm.message).toBe(false);
        const apgdVsPgd = verdict(/APGD-CE/);
        if (apgd <= pgd) expect(apgdVsPgd.passed, apgdVsPgd.message).toBe(true);
        if (apgd > pgd + slack) expect(apgdVsPgd.passed, apgdVsPgd.message).toBe(false);
        const oneStep = verdict(/consistent story|resists FGSM/);
        expect(oneStep.passed, oneStep.message).toBe(!(fgsm >= 0.5 && pgd < fgsm / 4));
        // The sentences quote the table.
        expect(apgdVsPgd.message).toMatch(new RegExp(`APGD-CE (\\(|leaves )${(100 * apgd).toFixed(1)} ?%`));
        // Every attack leaves a share in [0, 1], and the strongest at ε never exceeds FGSM by more than the slack.
        for (const v of [fgsm, pgd, apgd, lite]) expect(v).toBeGreaterThanOrEqual(0);
        expect(Math.min(pgd, apgd, lite), `${model} at ε ${eps}`).toBeLessThanOrEqual(fgsm + slack);
        if (model === CNN) {
          // FGSM is deterministic: the page's figure is the hand-computed one, within one image.
          const expected = await fgsmAccuracy(ref, eps, n);
          expect(Math.abs(fgsm - expected), `CNN FGSM at ε ${eps}: page ${fgsm}, Node ${expected}`).toBeLessThanOrEqual(
            slack + 0.0005,
          );
        }
      }
      const largest = mine.filter((v) => /accuracy falls to|accuracy is still/.test(v.message));
      expect(largest.length, JSON.stringify(mine)).toBe(1);
      const strongest = Math.min(...['fgsm', 'pgd', 'apgd-ce', 'autoattack-lite'].map((a) => cell(a, 0.4)));
      expect(largest[0].passed, largest[0].message).toBe(strongest <= 0.05);
    }
    // An undefended CNN under a sound attack suite raises no red flag at all.
    expect(verdicts.filter((v) => v.model === CNN && !v.passed)).toEqual([]);
  }),
  600_000,
);

/**
 * Certification in the app, on the default backend: the Certify panel certifies a few test images for the shipped
 * CNN and the PGD-trained strided CNN — certified accuracy never above the accuracy under PGD on the same images,
 * the band between them drawn and labelled, CROWN's refusal of the CNN's max-pool said in one sentence, and
 * smoothing's certified accuracy never rising with the L2 radius; "Certify this image" in the attack lab puts
 * IBP ≤ CROWN ≤ the smallest PGD ε found on one ruler; in the IBP training preset the IBP run certifies more than
 * the plain one at the end, and neither run's certified share exceeds its PGD one.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, chartsDrawn, runAndWait, chartSeries, runResultShare } from './helpers';
import { modelDisplayName } from '../../src/state/shippedModels';

const CNN = modelDisplayName('/models/mnist-cnn/model.json');
const PGD_AT = modelDisplayName('/models/mnist-cnn-pgd-at/model.json');
const BAND = 'unknown: no proof, no attack found';

interface Row {
  eps: number;
  certified: number | null;
  empirical: number | null;
  band: [number, number] | null;
}

const app = new App('certify');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

test(
  'the Certify panel: certified ≤ empirical, the band drawn, CROWN refusing a max-pool in one sentence',
  app.run('certify-panel', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Analysis' }).click();
    await app.untickModels('mnist-odenet', 'mnist-tisode');
    await page.getByLabel(PGD_AT, { exact: true }).check();
    await expect(page.getByLabel(CNN, { exact: true }).isChecked()).resolves.toBe(true);
    await app.setNumber('Certified images', 10);
    const eps = page.getByLabel('Certify at ε', { exact: true });
    await eps.fill('0, 0.02, 0.05, 0.1');
    await eps.press('Tab');
    await app.setNumber('PGD steps (empirical curve)', 10);
    await app.setNumber('PGD restarts', 1);
    await runAndWait(
      app,
      'Certify',
      async () => (await chartsDrawn(app, 'certify-chart-0')) && (await chartsDrawn(app, 'certify-chart-1')),
      'the two certify charts',
    );
    await app.screenshot('certify-panel');
    for (const k of [0, 1]) {
      const card = app.testId(`certify-chart-${k}`);
      const rows = JSON.parse((await card.getAttribute('data-series')) ?? '[]') as Row[];
      expect(rows.map((r) => r.eps)).toEqual([0, 0.02, 0.05, 0.1]);
      for (const r of rows) {
        expect(r.certified, `chart ${k} at ε ${r.eps}: a certified share`).not.toBeNull();
        expect(r.certified!, `chart ${k} at ε ${r.eps}: certified ≤ empirical`).toBeLessThanOrEqual(r.empirical!);
        expect(r.band).toEqual([r.certified, r.empirical]);
      }
      // The band is drawn (a shaded path) and named in the legend.
      await app.until(
        async () => (await card.locator('path.plain-chart-band').count()) > 0,
        `chart ${k}: the band`,
        10_000,
      );
      expect(await card.textContent()).toContain(BAND);
    }
    // The PGD-trained model is certified for most of these images at ε = 0.02 (by CROWN at least).
    const robust = JSON.parse((await app.testId('certify-chart-1').getAttribute('data-series')) ?? '[]') as Row[];
    expect(robust[1].certified!).toBeGreaterThan(0.5);
    // The CNN's max-pool: CROWN says why in one sentence, IBP still draws.
    const refusal = page.getByRole('note').filter({ hasText: `CROWN on ${CNN}` });
    await expect(refusal.textContent()).resolves.toMatch(/CROWN cannot bound .*MaxPooling2D/);

    // Randomized smoothing: certified accuracy against the L2 radius, never rising with the radius.
    await page.getByLabel('Randomized smoothing (L2)', { exact: true }).check();
    await app.setNumber('Smoothing images', 3);
    await app.setNumber('Noise samples n', 100);
    await runAndWait(app, 'Certify', () => chartsDrawn(app, 'certify-smoothing-chart'), 'the smoothing chart');
    const smoothing = JSON.parse((await app.testId('certify-smoothing-chart').getAttribute('data-series')) ?? '[]') as {
      model: string;
      radius: number;
      certifiedAccuracy: number;
    }[];
    for (const name of [CNN, PGD_AT]) {
      const curve = smoothing.filter((r) => r.model === name).map((r) => r.certifiedAccuracy);
      expect(curve.length, `${name}: a smoothing curve`).toBeGreaterThan(1);
      for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThanOrEqual(curve[i - 1]);
    }
    await app.screenshot('certify-smoothing');
  }),
);

test(
  '"Certify this image": IBP ≤ CROWN ≤ the smallest PGD ε, and the smoothing radius or abstention',
  app.run('certify-image', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Attack lab' }).click();
    await page.getByLabel('Model', { exact: true }).selectOption({ label: PGD_AT });
    await app.waitForText('status-model', (t) => /strided|pgd/i.test(t), 'the PGD-trained model to load', 60_000);
    await app.pickGalleryItem(0);
    await app.setNumber('Smoothing samples n', 200);
    await runAndWait(
      app,
      'Certify this image',
      async () => (await app.testId('picture-certificate').count()) > 0,
      'the certificate',
    );
    await app.screenshot('certify-image');
    const value = async (id: string) => Number(await app.testId(id).getAttribute('data-value'));
    const ibp = await value('radius-ibp');
    const crown = await value('radius-crown');
    const pgd = await value('attack-linf');
    expect(ibp).toBeGreaterThan(0);
    expect(ibp).toBeLessThanOrEqual(crown);
    expect(crown).toBeLessThanOrEqual(pgd);
    expect(await app.text('radius-smoothing')).toMatch(/for class \d, with probability ≥ 0\.999|abstains/);
  }),
);

/** The live chart's series of one metric, per run (its data-series attribute). */
const series = (metric: string) => chartSeries(app, metric);

test(
  'the IBP training preset: after the warm-up the IBP run certifies more than the plain one, and never above PGD',
  app.run('certified-preset', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Training lab' }).click();
    await app.select('Preset', 'certified-ibp');
    expect(await page.getByLabel('Defense of model A', { exact: true }).inputValue()).toBe('none');
    expect(await page.getByLabel('Defense of model B', { exact: true }).inputValue()).toBe('ibp');
    expect(await page.getByLabel('Certified training ε of model B', { exact: true }).inputValue()).toBe('0.1');
    // The preset's recipe (a quarter epoch plain, then ε ramped over one epoch, κ 1 → ½) at a test's size: both
    // runs an MLP and ε = 0.05. Measured by hand on a loaded 2-core machine (seed 1): the preset's strided CNN
    // still certified 0 % of 50 probe images after 80 batches at ε = 0.05 (IBP's boxes widen through its four
    // layers); this MLP trained with IBP certified 24 % of 50 after 80 batches and 20 % of 100 after 120, the
    // plain MLP 0 % throughout. This test saw 20 % against 0 % (PGD: 58 % and 52 %), in 93 s under a load of 13.
    await app.select('Architecture of model A', 'mlp');
    await app.select('Architecture of model B', 'mlp');
    await app.setNumber('Certified training ε of model B', 0.05);
    await app.setNumber('Plain warm-up epochs of model B', 0.25);
    await app.setNumber('ε ramp epochs of model B', 1);
    await app.setNumber('Training images', 2560);
    await app.setNumber('Epochs', 3);
    await app.setNumber('Held-out images', 50);
    // A report at the end of each epoch only (40 batches of 64, the recipe's batch for an MLP), three per run: each
    // report probes both runs with PGD and IBP on the 100 images below, and the checks read the first report and the
    // last. When reports are made changes no weight (the data order and each step's noise are seeded by epoch and
    // batch, the probes by their own seed), so the last report is the one a report every 10 batches ended with.
    await app.setNumber('Report every (batches)', 40);
    // The same probe images (the last of the test split) for both curves, at the same ε.
    await app.setNumber('Robust curve ε', 0.05);
    await app.setNumber('Robust curve images', 100);
    await app.setNumber('Robust curve PGD steps', 5);
    await app.setNumber('Certified curve ε', 0.05);
    await app.setNumber('Certified curve images', 100);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await app.waitForText(
      'run-results',
      (t) => (t.match(/finished/g) ?? []).length === 2,
      'both runs to finish',
      300_000,
    );
    const certified = await series('certifiedAccuracy');
    const robust = await series('robustAccuracy');
    for (const id of ['A', 'B']) {
      expect(certified[id]?.n, `run ${id}: ${JSON.stringify(certified)}`).toBeGreaterThanOrEqual(2);
      expect(robust[id]?.n, `run ${id}: ${JSON.stringify(robust)}`).toBe(certified[id].n);
      // An IBP certificate is a proof that no attack succeeds: on the same images, at the same ε, the certified
      // share can never exceed the share PGD leaves, at the first report and at the last.
      expect(certified[id].first!, `run ${id}: certified ≤ PGD at the first report`).toBeLessThanOrEqual(
        robust[id].first!,
      );
      expect(certified[id].last!, `run ${id}: certified ≤ PGD at the last report`).toBeLessThanOrEqual(
        robust[id].last!,
      );
    }
    // The last report of each run, as the results table shows it (and as the chart drew it).
    const plain = await runResultShare(app, 'Standard training', 'Certified accuracy (IBP)');
    const ibp = await runResultShare(app, 'IBP certified training', 'Certified accuracy (IBP)');
    expect(plain, JSON.stringify(certified)).toBeCloseTo(certified.A.last!, 3);
    expect(ibp, JSON.stringify(certified)).toBeCloseTo(certified.B.last!, 3);
    // Only a network trained for its bounds gets certificates from IBP (Gowal et al. 2018): once the ε ramp has
    // run, the IBP run certifies clearly more of the same 100 images than the plain one. A defense ignored (B
    // trained like A), an objective that does not reach the bounds, or a probe that certifies nothing fails here.
    expect(ibp, `certified at the last report: IBP ${ibp}, plain ${plain}`).toBeGreaterThanOrEqual(plain + 0.08);
    await app.screenshot('certified-preset');
  }),
);

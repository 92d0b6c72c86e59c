/**
 * The BN_clean / BN_adv toggle (Xie & Yuille 2020, §4) on the shipped split-batch-norm CNN: switching it in the attack
 * lab changes the prediction to what the command line's `eval --bn` route gives for the same test image (computed
 * here in Node with the CLI's own applyBatchNormRoute on the same model files), the address then carries bn=clean and
 * a link with bn=clean opens on BN_clean; the analysis view offers the toggle only once a split model is chosen.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyBatchNormRoute } from '../../src/cli/batchNormArgs';
import { initNodeBackend } from '../../src/cli/nodeEnv';
import { loadMnist, readModelDir } from '../../src/cli/nodeFiles';
import { batchTensors } from '../../src/core/data/dataset';
import { predictProbabilities } from '../../src/core/models/classifier';
import type { BatchNormRoute } from '../../src/core/options/batchNormOptions';
import { App, cleanPrediction } from './helpers';

const MODEL = 'mnist-cnn-split-bn';
/** A test image the two sets disagree on by about five points (41.7 % vs 36.7 % for class 0). */
const IMAGE = 8;
/** The page shows one decimal of a percentage; the browser's backend may differ from Node's in the last float bits. */
const PERCENT_TOLERANCE = 0.11;

const app = new App('split-batch-norm');
const expected: Partial<Record<BatchNormRoute, { label: number; percent: number }>> = {};

beforeAll(async () => {
  await initNodeBackend('cpu');
  const clf = await readModelDir(`public/models/${MODEL}`);
  const { x } = batchTensors(await loadMnist('test'), [IMAGE]);
  for (const route of ['adv', 'clean'] as const) {
    applyBatchNormRoute(clf, route);
    const p = (await predictProbabilities(clf, x))[0];
    const label = p.indexOf(Math.max(...p));
    expected[route] = { label, percent: 100 * p[label] };
  }
  x.dispose();
  clf.model.dispose();
  await app.start();
});
afterAll(() => app.stop());

/** Clicks a segment of the toggle (its label: the radio itself is visually hidden). */
async function chooseSet(name: 'BN_clean' | 'BN_adv'): Promise<void> {
  const radio = app.page.getByRole('radio', { name, exact: true });
  await app.page.locator('label', { has: radio }).click();
  await app.until(() => radio.isChecked(), `the ${name} segment to be on`, 30_000);
}

function expectPrediction(shown: { label: number; percent: number }, route: BatchNormRoute): void {
  const want = expected[route]!;
  expect(shown.label, `the label with ${route}`).toBe(want.label);
  expect(Math.abs(shown.percent - want.percent), `${shown.percent} % against ${want.percent} %`).toBeLessThan(
    PERCENT_TOLERANCE,
  );
}

test(
  'the attack lab toggle switches the model to BN_clean, as eval --bn clean does, and the link carries it',
  app.run('split-bn-attack-lab', async () => {
    const page = app.page;
    // The two sets must really disagree on this image, or the test would prove nothing.
    expect(Math.abs(expected.adv!.percent - expected.clean!.percent)).toBeGreaterThan(1);
    await page.goto(`${app.baseUrl}/?model=${MODEL}&image=${IMAGE}`, { waitUntil: 'load' });
    await app.waitReady();
    const toggle = page.getByRole('radiogroup', { name: 'Batch norm' });
    await toggle.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.getByRole('radio', { name: 'BN_adv' }).isChecked()).toBe(true);
    await app.until(async () => (await cleanPrediction(app)).label === expected.adv!.label, 'BN_adv label', 60_000);
    expectPrediction(await cleanPrediction(app), 'adv');

    await chooseSet('BN_clean');
    await app.until(
      async () => Math.abs((await cleanPrediction(app)).percent - expected.clean!.percent) < PERCENT_TOLERANCE,
      'the BN_clean prediction',
      60_000,
    );
    expectPrediction(await cleanPrediction(app), 'clean');
    await app.until(async () => page.url().includes('bn=clean'), 'the address to say bn=clean', 10_000);

    await page.goto(`${app.baseUrl}/?model=${MODEL}&image=${IMAGE}&bn=clean`, { waitUntil: 'load' });
    await app.waitReady();
    await app.until(
      async () => await page.getByRole('radio', { name: 'BN_clean' }).isChecked(),
      'the link to open on BN_clean',
      60_000,
    );
    expectPrediction(await cleanPrediction(app), 'clean');
    await app.screenshot('split-bn-attack-lab');
  }),
);

test(
  'the analysis view offers the toggle only when a split model is chosen',
  app.run('split-bn-analysis', async () => {
    const page = app.page;
    await page.goto(`${app.baseUrl}/#analysis`, { waitUntil: 'load' });
    await app.waitReady();
    const toggle = page.getByRole('radiogroup', { name: 'Batch norm' });
    await page.getByRole('checkbox', { name: /split batch norm/ }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(await toggle.count()).toBe(0);
    await page.getByRole('checkbox', { name: /split batch norm/ }).check();
    await toggle.waitFor({ state: 'visible', timeout: 10_000 });
    await chooseSet('BN_clean');
    await app.until(async () => page.url().includes('bn=clean'), 'the address to say bn=clean', 10_000);
  }),
);

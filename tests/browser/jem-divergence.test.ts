/**
 * A JEM run that diverges in the training lab (Grathwohl et al. 2020, §6: "training can be unstable"). The JEM
 * preset with model B's learning rate set to 1 (Adam; the recipe's is 0.002) drives the energies of data and
 * samples apart within a few batches: JEM's divergence rule (src/core/train/jem/jemObjective.ts, an energy gap beyond
 * ±1,000) stops that run with its last good weights restored. The page must say so in one sentence while the
 * standard CNN beside it is still training, mark the run diverged, count no batch after the diverging one, and let
 * the standard CNN train to the end.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App } from './helpers';
import { tableRow } from './analysisPage';

const app = new App('jem-divergence');
beforeAll(async () => {
  await app.start();
  // wasm, as the CLI run that found the divergence at batch 2 (gap 2,500; see tests/unit/jemTrainingLab.test.ts).
  await app.open('wasm');
});
afterAll(() => app.stop());

const TRAIN_IMAGES = 1_280;

test(
  'a JEM run with a learning rate of 1 diverges: one sentence at once, the run stopped, the other trains on',
  app.run('diverge', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Training lab' }).click();
    await app.select('Preset', 'jem-vs-standard');
    await app.setNumber('Training images', TRAIN_IMAGES);
    await app.setNumber('Held-out images', 100);
    await app.setNumber('Learning rate of model B', 1);
    await page.getByRole('button', { name: 'Train', exact: true }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'diverged' });
    await alert.waitFor({ state: 'visible', timeout: 120_000 });
    // At once: the standard CNN is still training when the sentence appears.
    const stillTraining = await page.getByRole('button', { name: 'Stop', exact: true }).isEnabled();
    const sentence = ((await alert.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    await app.screenshot('diverged');
    expect(stillTraining, 'the comparison still trains when the divergence is shown').toBe(true);
    const gap = String.raw`the energy gap E\(data\) − E\(samples\) reached -?[\d.e+]+ \(limit ±1000\)`;
    expect(sentence).toMatch(
      new RegExp(String.raw`^JEM diverged \(${gap}\): the app stopped it and restored its last good weights; `),
    );
    // One sentence: a single full stop, at its end.
    expect(sentence.match(/\.(\s|$)/g)).toHaveLength(1);

    await app.waitForText(
      'run-results',
      (t) => /finished/.test(t) && /diverged/.test(t),
      'the standard CNN to finish beside the diverged JEM',
      180_000,
    );
    const standard = await tableRow(app, 'run-results', 'Standard CNN');
    const jem = await tableRow(app, 'run-results', 'JEM');
    expect(standard.State).toBe('finished');
    expect(Number(standard['Samples seen'].replace(/,/g, ''))).toBe(TRAIN_IMAGES);
    expect(jem.State).toMatch(/^diverged: the energy gap E\(data\) − E\(samples\) reached/);
    // Stopped at the diverging batch: fewer than 5 batches of 64 were counted.
    expect(Number(jem['Samples seen'].replace(/,/g, ''))).toBeLessThan(5 * 64);
    // Only the one sentence: no error banner besides it.
    expect(await page.locator('[role=alert][data-testid=error-message]').count()).toBe(0);
    await app.screenshot('finished');
    await page.setViewportSize({ width: 390, height: 844 });
    await alert.scrollIntoViewIfNeeded();
    await app.screenshot('phone');
    // On a phone the results table scrolls inside its panel: the page itself never scrolls sideways.
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0], `page ${widths[0]} px wide in a ${widths[1]} px window`).toBeLessThanOrEqual(widths[1]);
  }),
  300_000,
);

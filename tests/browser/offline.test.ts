/**
 * Offline use: after one visit (the service worker installed, its precache filled), a reload with the network off
 * opens the app as before — model loaded, a digit predicted, still cross-origin isolated (the cached responses keep
 * COOP/COEP, so the threaded wasm backend stays available) — and the status line says "Offline"; the training lab,
 * whose 47 MB training images are not in the offline copy, says so in one sentence.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TRAINING_SET_UNREACHABLE } from '../../src/worker/mnistSplits';
import { App, cleanPrediction } from './helpers';

const app = new App('offline');
beforeAll(async () => {
  await app.start({ context: { serviceWorkers: 'allow' } });
  await app.open();
});
afterAll(() => app.stop());

test(
  'a reload without a network shows the app, a prediction and "Offline"',
  app.run('offline-reload', async () => {
    // The service worker is active once its install step has precached every file; clientsClaim makes it control
    // this page too.
    const controlled = await app.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 100));
      return navigator.serviceWorker.controller !== null;
    });
    expect(controlled, 'the page is controlled by the service worker').toBe(true);
    expect(await app.testId('status-offline').count(), 'online: no "Offline" in the status line').toBe(0);

    await app.browserContext.setOffline(true);
    expect(await app.page.evaluate(() => navigator.onLine)).toBe(false);
    const page = await app.page.reload({ waitUntil: 'load' });
    expect(page?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
    await app.waitReady();
    expect(await app.text('status-offline')).toBe('Offline');
    expect(await app.page.evaluate(() => window.crossOriginIsolated), 'still cross-origin isolated').toBe(true);
    const clean = await cleanPrediction(app);
    expect(clean.label).toBe(7); // MNIST test image 0, the first digit shown, is a 7
    await app.screenshot('offline');

    // The training images are not in the offline copy: training says so in one sentence, not a failed fetch.
    await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Training lab' }).click();
    await app.page.getByRole('button', { name: 'Train', exact: true }).click();
    const alert = await app.waitForText('error-message', (t) => t.length > 0, 'an error sentence', 60_000);
    expect(alert).toBe(TRAINING_SET_UNREACHABLE);
    await app.screenshot('offline-training');

    // Back online, the word goes away without a reload.
    await app.browserContext.setOffline(false);
    await app.testId('status-offline').waitFor({ state: 'detached', timeout: 5_000 });
  }),
);

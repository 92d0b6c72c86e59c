/**
 * Offline use: after one visit (the service worker installed, its precache filled), a reload with the network off
 * opens the app as before — model loaded, a digit predicted, still cross-origin isolated (the cached responses keep
 * COOP/COEP, so the threaded wasm backend stays available) — and the status line says "Offline".
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
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

    // Back online, the word goes away without a reload.
    await app.browserContext.setOffline(false);
    await app.testId('status-offline').waitFor({ state: 'detached', timeout: 5_000 });
  }),
);

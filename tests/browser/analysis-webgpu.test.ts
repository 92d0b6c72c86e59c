/**
 * The analysis view on the forced WebGPU backend (SwiftShader): calibration, energy, margins
 * (DeepFool, power iteration) and stability run there, on a few images, and the WebGPU device
 * survives — every read on these paths is asynchronous (a synchronous WebGPU read loses the
 * SwiftShader device, after which the worker would fall back to wasm).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, chartsDrawn, runAndWait } from './helpers';
import { modelDisplayName } from '../../src/state/shippedModels';

const app = new App('analysis-webgpu');
beforeAll(async () => {
  await app.start();
  await app.open('webgpu');
});
afterAll(() => app.stop());

test(
  'calibration, energy, margins and stability on WebGPU, without losing the device',
  app.run('analysis-webgpu', async () => {
    const page = app.page;
    expect((await app.backendStatus()).name).toBe('webgpu');
    await page.getByRole('link', { name: 'Analysis' }).click();
    // The shipped CNN only: the ODE models are slow on a software adapter.
    for (const name of [
      modelDisplayName('/models/mnist-odenet/model.json'),
      modelDisplayName('/models/mnist-tisode/model.json'),
    ]) {
      await page.getByLabel(name, { exact: true }).uncheck();
    }
    await app.setNumber('Test images', 20);
    await runAndWait(
      app,
      'Measure calibration',
      () => chartsDrawn(app, 'reliability-chart'),
      'the reliability diagram',
    );

    await app.setNumber('Energy images', 10);
    await runAndWait(app, 'Measure energy', () => chartsDrawn(app, 'energy-histogram'), 'the energy histogram');

    await app.setNumber('Margin images', 10);
    await app.setNumber('DeepFool images', 3);
    await app.setNumber('PGD ε for adversarial margins', 0);
    await page.getByLabel('PGD L∞ distance (bisection on ε)').uncheck();
    await runAndWait(app, 'Measure margins', () => chartsDrawn(app, 'margin-scatter'), 'the margins charts');
    expect(await app.text('margins-table')).toContain(modelDisplayName('/models/mnist-cnn/model.json'));

    await app.setNumber('Stability images', 4);
    await page.getByLabel('Stability ε (L2)', { exact: true }).fill('1');
    await app.setNumber('Draws per image', 4);
    await runAndWait(app, 'Measure stability', () => chartsDrawn(app, 'stability-chart'), 'the stability chart');

    const { name, text } = await app.backendStatus();
    expect(name, text).toBe('webgpu');
    expect(text).not.toMatch(/lost/i);
    await app.screenshot('analysis-on-webgpu');
  }),
);

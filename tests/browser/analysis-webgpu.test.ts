/**
 * The analysis view on the forced WebGPU backend (SwiftShader): calibration, energy, margins
 * (DeepFool, power iteration) and stability run there, on a few images, and the WebGPU device
 * survives — every read on these paths is asynchronous (a synchronous WebGPU read loses the
 * SwiftShader device, after which the worker would fall back to wasm). WebGPU's figures for the shipped CNN — ECE
 * before and after temperature scaling, T, q_min, ρ and L — are compared with wasm's, computed by hand in Node on the
 * same images (referenceFigures.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, chartsDrawn, runAndWait } from './helpers';
import { modelDisplayName } from '../../src/state/shippedModels';
import { calibrationOf, tableRow } from './analysisPage';
import {
  calibrationHalves,
  expectedCalibrationError,
  meanNll,
  parameterFigures,
  type Reference,
  shippedCnnReference,
  smallestMargin,
} from './referenceFigures';

const CNN = modelDisplayName('/models/mnist-cnn/model.json');
const app = new App('analysis-webgpu');
/** Calibration's test images; the margins are measured on the first 10 of them. */
const IMAGES = 20;
const MARGIN_IMAGES = 10;
let reference: Promise<Reference>;
beforeAll(async () => {
  // wasm's figures, in Node, while Chromium starts: the first 20 test images (calibration; margins on the first 10).
  reference = shippedCnnReference(IMAGES);
  reference.catch(() => undefined);
  await app.start({ ownBrowser: true }); // WebGPU: a GPU process of its own (helpers.ts)
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
    await app.untickModels('mnist-odenet', 'mnist-tisode');
    await app.setNumber('Test images', IMAGES);
    await app.setNumber('Bins', 15);
    await runAndWait(
      app,
      'Measure calibration',
      () => chartsDrawn(app, 'reliability-chart'),
      'the reliability diagram',
    );
    // WebGPU against wasm: the ECE on the reporting half within half a point (a confidence moved across a bin edge
    // by float32 rounding would move it by about that), and T minimising wasm's NLL on the fitting half.
    const cal = await reference;
    const halves = calibrationHalves(IMAGES);
    const shown = await calibrationOf(app, CNN);
    expect(shown.reportN).toBe(halves.report.length);
    const eceBefore = expectedCalibrationError(cal, halves.report, 15);
    expect(Math.abs(shown.eceBefore - eceBefore), `ECE: WebGPU ${shown.eceBefore}, wasm ${eceBefore}`).toBeLessThan(
      0.005,
    );
    const eceAfter = expectedCalibrationError(cal, halves.report, 15, shown.temperature);
    expect(Math.abs(shown.eceAfter - eceAfter), `ECE after T: WebGPU ${shown.eceAfter}, wasm ${eceAfter}`).toBeLessThan(
      0.01,
    );
    const nll = (t: number) => meanNll(cal, halves.fit, t);
    expect(nll(shown.temperature), `T = ${shown.temperature}`).toBeLessThanOrEqual(nll(shown.temperature + 0.05));
    expect(nll(shown.temperature), `T = ${shown.temperature}`).toBeLessThanOrEqual(nll(shown.temperature - 0.05));

    await app.setNumber('Energy images', 10);
    await runAndWait(app, 'Measure energy', () => chartsDrawn(app, 'energy-histogram'), 'the energy histogram');

    await app.setNumber('Margin images', MARGIN_IMAGES);
    // DeepFool's path (a gradient per class and step, its reads) on one image: nothing below reads its distances.
    await app.setNumber('DeepFool images', 1);
    await app.setNumber('PGD ε for adversarial margins', 0);
    await page.getByLabel('PGD L∞ distance (bisection on ε)').uncheck();
    await runAndWait(app, 'Measure margins', () => chartsDrawn(app, 'margin-scatter'), 'the margins charts');
    // q_min, ρ and L against wasm's (three significant digits on the page).
    const ref = await reference;
    const margin = await tableRow(app, 'margins-table', CNN);
    const { rho, layers } = await parameterFigures(ref);
    const qMin = smallestMargin(ref, MARGIN_IMAGES);
    expect(Math.abs(Number(margin.q_min) / qMin - 1), JSON.stringify(margin)).toBeLessThan(0.005);
    expect(Math.abs(Number(margin.ρ) / rho - 1), JSON.stringify(margin)).toBeLessThan(0.005);
    expect(Number(margin.L)).toBe(layers);

    // The input Jacobian and the draws on two images, two draws each: the path is what this test is about.
    await app.setNumber('Stability images', 2);
    await page.getByLabel('Stability ε (L2)', { exact: true }).fill('1');
    await app.setNumber('Draws per image', 2);
    await runAndWait(app, 'Measure stability', () => chartsDrawn(app, 'stability-chart'), 'the stability chart');

    const { name, text } = await app.backendStatus();
    expect(name, text).toBe('webgpu');
    expect(text).not.toMatch(/lost/i);
    await app.screenshot('analysis-on-webgpu');
  }),
);

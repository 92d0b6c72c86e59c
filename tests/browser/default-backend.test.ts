/**
 * Requirement 1: with no ?backend= the app picks a backend by itself and says why. On this
 * machine WebGPU exists only through SwiftShader (software), which is slower than wasm, so the
 * default must be wasm and the reason must say the WebGPU adapter is software. The first test
 * digit (label 7) is classified on load.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, cleanPrediction } from './helpers';

const app = new App('default-backend');
beforeAll(() => app.start());
afterAll(() => app.stop());

test(
  'loads on the automatic backend (wasm, because WebGPU is SwiftShader) and classifies the first digit',
  app.run('default', async () => {
    await app.open();

    const { name, text } = await app.backendStatus();
    expect(name, `status-backend: ${text}`).toBe('wasm');
    const reason = text.replace(/^\s*Backend:?\s*wasm\s*[—–:-]?\s*/i, '');
    expect(reason.length, `no reason in status-backend: ${text}`).toBeGreaterThan(10);
    expect(text, 'the reason should say the WebGPU adapter is software').toMatch(
      /webgpu[^.]*software|software[^.]*webgpu/i,
    );
    expect(text, 'the reason should name SwiftShader').toMatch(/swiftshader/i);

    // Every core the browser reports (tfjs alone would take half), with as many pre-started workers (vite.config.ts).
    const cores = await app.page.evaluate(() => navigator.hardwareConcurrency);
    expect(await app.text('status-threads')).toBe(`${cores} thread${cores === 1 ? '' : 's'}`);
    expect(await app.text('status-model')).not.toBe('');
    expect(await app.text('status-tensors')).toMatch(/\d/);

    // The first gallery item is MNIST test image 0, whose label is 7; it is the one selected.
    const first = app.testId('gallery').getByRole('button').first();
    expect(await first.getAttribute('aria-label')).toBe('Test image 0, label 7');
    expect(await first.getAttribute('aria-pressed')).toBe('true');
    expect(await app.text('preprocess-note')).toMatch(/test image 0\b/i);
    const clean = await cleanPrediction(app);
    expect(clean.label, 'the model should classify test image 0 as its label 7').toBe(7);
    expect(clean.percent).toBeGreaterThan(50);
    const input = await app.canvasStats('model-input');
    expect(input.variance, 'the model-input canvas is blank').toBeGreaterThan(0);
    await app.screenshot('loaded');

    // The test set was fetched this first time; a reload reads it from the browser's storage
    // without asking the server for it again.
    expect(await app.text('status-testset')).toMatch(/^Test set: 10,000 images, downloaded$/);
    const mnistRequests: string[] = [];
    app.page.on('request', (r) => {
      if (r.url().includes('/data/mnist/')) mnistRequests.push(r.url());
    });
    await app.open();
    expect(await app.text('status-testset')).toMatch(/^Test set: 10,000 images, from the browser cache$/);
    expect(mnistRequests, 'MNIST files fetched again after a reload').toEqual([]);
  }),
);

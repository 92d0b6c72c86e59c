/**
 * A lost WebGPU device (here destroyed on purpose, as a driver reset would) makes the worker
 * switch backend, rebuild the model there and say so in the status line; the attack lab then
 * keeps working on the new backend, and choosing WebGPU again gets a fresh device. On both, the attack's result is
 * the one the same FGSM gives when computed by hand on wasm in Node (referenceFigures.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attackOutcome } from './attackOutcome';
import { App, cleanPrediction, parsePrediction } from './helpers';
import { fgsmOnTestImage } from './referenceFigures';

const app = new App('gpu-loss');
beforeAll(() => app.start({ ownBrowser: true })); // WebGPU: a GPU process of its own (helpers.ts)
afterAll(() => app.stop());

test(
  'after the WebGPU device is lost the status line says so and attacks run on the fallback',
  app.run('loss', async () => {
    await app.open('webgpu');
    expect((await app.backendStatus()).name).toBe('webgpu');

    await app.page.locator('details.device-benchmark > summary').click();
    await app.page.getByRole('button', { name: 'Simulate a lost GPU device', exact: true }).click();
    await app.until(
      async () => (await app.backendStatus()).name !== 'webgpu',
      'the status line to leave webgpu',
      60_000,
    );
    const { name, text } = await app.backendStatus();
    expect(text).toMatch(/GPU device was lost/);
    expect(['wasm', 'webgl', 'cpu'], text).toContain(name);
    await app.screenshot('after-loss');

    const picked = await app.pickGalleryItem(2);
    const clean = await cleanPrediction(app);
    expect(clean.label, `test image ${picked.index}`).toBe(picked.label);
    await app.configureAttack({ method: 'fgsm', norm: 'linf', target: 'untargeted', epsilon: 0.3 });
    // The attacks themselves; the ε sweep after each (ten more attacks, for the scrubber) is not checked here.
    const adv = parsePrediction(await attackOutcome(app), 'Adversarial');
    // On the fallback the attack is wasm's own: the same class and confidence (shown to 0.1 %) as the same FGSM
    // computed by hand on wasm in Node. Back on WebGPU, the same class (its rounding differs from wasm's where the
    // gradient of a saturated softmax is noise, which moves the confidence but not, for this picture, the class).
    const expected = await fgsmOnTestImage(picked.index, 0.3);
    expect(adv.label, `on ${name}: ${JSON.stringify(expected)}`).toBe(expected.advLabel);
    if (name === 'wasm') expect(Math.abs(adv.percent - expected.advPercent), `${adv.percent} %`).toBeLessThan(0.2);
    expect(await app.text('attack-ran')).toMatch(new RegExp(` on ${name}$`));

    // Choosing WebGPU again gets a fresh device, and attacks run there.
    await app.select('Backend', 'webgpu');
    await app.until(
      async () => (await app.backendStatus()).name === 'webgpu',
      'the status line to show webgpu again',
      60_000,
    );
    const again = parsePrediction(await attackOutcome(app), 'Adversarial');
    expect(again.label, `on the fresh WebGPU device: ${JSON.stringify(expected)}`).toBe(expected.advLabel);
    expect(await app.text('attack-ran')).toMatch(/ on webgpu$/);
  }),
);

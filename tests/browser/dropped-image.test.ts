/**
 * Requirement 3: a photo-like PNG (dark ink on white paper, digit far from the centre) dropped
 * on the drop zone, or chosen through the file input, becomes an MNIST-style model input: bright
 * digit on black, centred by mass; the note says it was inverted; and it can be attacked.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, cleanPrediction, parsePrediction, type CanvasStats } from './helpers';
import { barDigitPng, ringDigitPng } from './images';

const app = new App('dropped-image');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

/** The model input must be an MNIST-like digit: dark background, bright ink, mass near the centre. */
function expectCentredBrightDigit(s: CanvasStats, what: string): void {
  expect(s.width, `${what}: model-input width`).toBe(28);
  expect(s.height, `${what}: model-input height`).toBe(28);
  expect(s.max, `${what}: no bright ink`).toBeGreaterThan(200);
  const corners = [0, s.width - 1, (s.height - 1) * s.width, s.height * s.width - 1].map((i) => s.lum[i]);
  expect(Math.max(...corners), `${what}: the background is not dark (not inverted?)`).toBeLessThan(40);
  expect(s.mean, `${what}: mostly bright — not inverted?`).toBeLessThan(110);
  expect(Math.abs(s.cx - s.width / 2), `${what}: mass centre x = ${s.cx.toFixed(1)}`).toBeLessThan(2.5);
  expect(Math.abs(s.cy - s.height / 2), `${what}: mass centre y = ${s.cy.toFixed(1)}`).toBeLessThan(2.5);
}

const centre = (s: CanvasStats) => s.lum[14 * s.width + 14];

test(
  'a dropped PNG (ring "0" off-centre on white) is inverted and centred',
  app.run('drop', async () => {
    await app.dropFile('ring-zero.png', 'image/png', ringDigitPng());
    const note = await app.waitForText(
      'preprocess-note',
      (t) => !/MNIST test image/i.test(t),
      'a note about the dropped picture',
    );
    expect(note).toMatch(/invert/i);
    expect(note).not.toMatch(/not inverted/i);
    const s = await app.canvasStats('model-input');
    expectCentredBrightDigit(s, 'dropped ring');
    expect(centre(s), 'a ring has a dark hole in the middle').toBeLessThan(60);
    await cleanPrediction(app);
    await app.screenshot('dropped-ring');
  }),
);

test(
  'a PNG chosen with the file input (bar "1" off-centre) is inverted, centred and can be attacked with PGD',
  app.run('input', async () => {
    await app.chooseFile('bar-one.png', 'image/png', barDigitPng());
    await app.until(
      async () => centre(await app.canvasStats('model-input')) > 150,
      'the model input to show the bar (bright in the middle)',
      30_000,
    );
    const note = await app.text('preprocess-note');
    expect(note).toMatch(/invert/i);
    expect(note).not.toMatch(/not inverted/i);
    expectCentredBrightDigit(await app.canvasStats('model-input'), 'chosen bar');
    const clean = await cleanPrediction(app);
    await app.screenshot('chosen-bar');

    await app.configureAttack({
      method: 'pgd',
      norm: 'linf',
      target: 'untargeted',
      epsilon: 0.3,
      steps: 5,
      restarts: 1,
      seed: 1,
    });
    const adv = parsePrediction(await app.attack(), 'Adversarial');
    expect(adv.label).toBeGreaterThanOrEqual(0);
    expect(await app.text('attack-success')).toMatch(adv.label !== clean.label ? /succeeded/i : /failed/i);
    expect((await app.canvasStats('perturbation-image')).variance).toBeGreaterThan(0);
    await app.screenshot('chosen-bar-pgd');
  }),
);

/**
 * Requirement 6: after an attack the ε scrubber moves through the precomputed sweep: at ε = 0
 * the adversarial image is the original (same prediction, ‖δ‖∞ = 0); at its maximum ε the
 * shown ε, ‖δ‖∞ and the prediction change.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, cleanPrediction, parseNorms, parsePrediction } from './helpers';

const app = new App('epsilon-scrubber');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

const shownEps = async () => {
  const slider = app.page.getByLabel('Scrub epsilon', { exact: true });
  const valuetext = (await slider.getAttribute('aria-valuetext')) ?? '';
  const m = /ε\s*=\s*([\d.]+)/.exec(valuetext);
  if (!m) throw new Error(`the scrubber's aria-valuetext is ${JSON.stringify(valuetext)}`);
  return Number(m[1]);
};

test(
  'scrubbing ε from 0 to its maximum changes the adversarial prediction',
  app.run('scrub', async () => {
    const clean = await cleanPrediction(app);
    await app.configureAttack({
      method: 'pgd',
      norm: 'linf',
      target: 'untargeted',
      epsilon: 0.25,
      steps: 10,
      restarts: 1,
      seed: 7,
    });
    await app.attack();
    const slider = app.page.getByLabel('Scrub epsilon', { exact: true });
    await slider.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await shownEps()).toBeCloseTo(0.25, 3);

    await slider.focus();
    await slider.press('Home');
    await app.until(async () => (await shownEps()) === 0, 'the scrubber to show ε = 0', 10_000);
    const atZero = parsePrediction(await app.text('adv-prediction'), 'Adversarial');
    expect(atZero.label, 'at ε = 0 the adversarial prediction is the clean one').toBe(clean.label);
    expect(atZero.percent).toBeCloseTo(clean.percent, 0);
    expect(parseNorms(await app.text('perturbation-norms')).linf).toBe(0);
    await app.screenshot('scrub-eps-0');

    await slider.press('End');
    const max = Number(await slider.getAttribute('max'));
    expect(max).toBeGreaterThan(0.25);
    await app.until(async () => Math.abs((await shownEps()) - max) < 1e-3, `the scrubber to show ε = ${max}`, 10_000);
    const atMax = parsePrediction(await app.text('adv-prediction'), 'Adversarial');
    const normsAtMax = parseNorms(await app.text('perturbation-norms'));
    expect(normsAtMax.linf).toBeGreaterThan(0.25);
    expect(normsAtMax.linf).toBeLessThanOrEqual(max + 5e-4);
    expect(atMax.label, `PGD at ε = ${max} should change the prediction`).not.toBe(clean.label);
    expect(await app.text('attack-success')).toMatch(/succeeded/i);
    await app.screenshot('scrub-eps-max');
  }),
);

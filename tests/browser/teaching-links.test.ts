/**
 * Issue 12 §1 and §8: a link made in one browser context restores the same controls and the same attack result
 * (adversarial label and ‖δ‖) in a fresh one; the address follows the state without adding history entries; invalid
 * parameters are reported and the app still works; hide= hides a control and embed= shows one widget.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, parseNorms, parsePrediction } from './helpers';

const maker = new App('teaching-links-maker');
const reader = new App('teaching-links-reader');

beforeAll(async () => {
  await maker.start();
  await maker.open('wasm');
  await reader.start(); // its own browser context: nothing of the maker's storage or history
});
afterAll(async () => {
  await maker.stop();
  await reader.stop();
});

const controlValues = (app: App) =>
  Promise.all(
    ['Attack method', 'Norm', 'Epsilon', 'Steps', 'Restarts', 'Target', 'Seed'].map((label) =>
      app.page.getByLabel(label, { exact: true }).first().inputValue(),
    ),
  );

/** Waits until the attack the link asked for (and its ε sweep) has run and its result is on screen. */
async function waitForRestoredAttack(app: App): Promise<string> {
  await app.until(
    async () =>
      // The result is re-rendered while the link is restored: a read may meet a node on its way out.
      (await app.textOf('[data-testid=adv-prediction]', 1_000).catch(() => null)) !== null &&
      (await app.page.getByLabel('Scrub epsilon', { exact: true }).isVisible()) &&
      (await app.attackButton().isEnabled()),
    'the restored attack and its sweep to finish',
    240_000,
  );
  return (await app.textOf('[data-testid=adv-prediction]')) ?? '';
}

test(
  'a copied link restores the controls, the picture and the same attack result in a fresh browser context',
  maker.run('link-round-trip', async () => {
    const historyBefore = await maker.page.evaluate(() => window.history.length);
    const picked = await maker.pickGalleryItem(5);
    await maker.configureAttack({
      method: 'pgd',
      norm: 'linf',
      target: '3',
      epsilon: 0.25,
      steps: 12,
      restarts: 1,
      seed: 7,
    });
    const adv = await maker.attack();
    const norms = await maker.text('perturbation-norms');
    const controls = await controlValues(maker);

    // The address bar follows (debounced), without a history entry per change.
    await maker.until(async () => /[?&]run=1/.test(maker.page.url()), 'the address to say run=1', 10_000);
    const url = new URL(maker.page.url());
    expect(url.searchParams.get('image')).toBe(String(picked.index));
    expect(url.searchParams.get('eps')).toBe('0.25');
    expect(url.searchParams.get('target')).toBe('3');
    expect(url.searchParams.get('seed')).toBe('7');
    expect(url.searchParams.get('backend')).toBe('wasm');
    expect(await maker.page.evaluate(() => window.history.length)).toBe(historyBefore);

    await maker.page.getByRole('button', { name: 'Copy link', exact: true }).click();
    const field = maker.page.getByLabel('Link to this setup', { exact: true });
    await field.waitFor({ state: 'visible', timeout: 10_000 });
    const link = await field.inputValue();
    expect(new URL(link).search).toBe(url.search);

    await reader.page.goto(link, { waitUntil: 'load' });
    await reader.waitReady();
    const restored = await waitForRestoredAttack(reader);
    await reader.screenshot('restored');
    expect(await controlValues(reader)).toEqual(controls);
    expect(await reader.text('preprocess-note')).toContain(`test image ${picked.index}`);
    expect(parsePrediction(restored, 'Adversarial')).toEqual(parsePrediction(adv, 'Adversarial'));
    const restoredNorms = await reader.text('perturbation-norms');
    expect(restoredNorms).toBe(norms);
    expect(parseNorms(restoredNorms).linf).toBeLessThanOrEqual(0.25 + 1e-6);
    expect(await reader.testId('link-notes').count()).toBe(0);
  }),
);

test(
  'invalid parameters are listed, one sentence each, and the app still attacks',
  reader.run('invalid-params', async () => {
    await reader.page.goto(`${reader.baseUrl}/?backend=wasm&eps=banana&method=magic&colour=red&hide=seed`, {
      waitUntil: 'load',
    });
    await reader.waitReady();
    const notes = await reader.text('link-notes');
    expect(notes).toMatch(/eps=“banana” was ignored: Epsilon must be a number/);
    expect(notes).toMatch(/method=“magic” was ignored/);
    expect(notes).toMatch(/“colour” is not one this playground knows/);
    expect(await reader.page.getByLabel('Epsilon', { exact: true }).inputValue()).toBe('0.3');
    expect(await reader.page.getByLabel('Attack method', { exact: true }).inputValue()).toBe('pgd');
    // hide=seed hides the seed field; the others stay.
    expect(await reader.page.getByLabel('Seed', { exact: true }).first().isVisible()).toBe(false);
    expect(await reader.page.getByLabel('Epsilon', { exact: true }).isVisible()).toBe(true);
    await reader.configureAttack({ method: 'fgsm', epsilon: 0.3 });
    expect(await reader.attack()).toMatch(/^Adversarial: \d/);
    // The address dropped what was ignored and keeps what applies.
    await reader.until(async () => /method=fgsm/.test(reader.page.url()), 'the address to follow', 10_000);
    expect(reader.page.url()).not.toMatch(/banana|magic|colour/);
    expect(reader.page.url()).toMatch(/hide=seed/);
  }),
);

test(
  'embed=attack shows the attack lab alone',
  reader.run('embed', async () => {
    await reader.page.goto(`${reader.baseUrl}/?backend=wasm&embed=attack`, { waitUntil: 'load' });
    await reader.waitReady();
    expect(await reader.page.getByRole('navigation', { name: 'Labs' }).count()).toBe(0);
    expect(await reader.page.getByRole('button', { name: 'Copy link', exact: true }).count()).toBe(0);
    expect(await reader.page.getByRole('heading', { name: 'Comparison' }).count()).toBe(0);
    await reader.attackButton().waitFor({ state: 'visible' });
    expect(await reader.attackButton().isVisible()).toBe(true);
  }),
);

test(
  'a link with a lesson, its step and the presenter view opens them',
  reader.run('lesson-link', async () => {
    await reader.page.goto(`${reader.baseUrl}/?backend=wasm&lesson=adversarial-examples&step=3&presenter=1`, {
      waitUntil: 'load',
    });
    await reader.waitReady();
    expect(await reader.text('lesson-progress')).toMatch(/^Step 3 of 4: Choose the answer/);
    expect(await reader.page.evaluate(() => document.documentElement.classList.contains('presenter'))).toBe(true);
    // Only what the lesson needs: no links between the labs, no data-set switch.
    expect(await reader.page.getByRole('navigation', { name: 'Labs' }).isVisible()).toBe(false);
    expect(await reader.page.getByRole('radiogroup', { name: 'Data set' }).isVisible()).toBe(false);
    expect(await reader.attackButton().isVisible()).toBe(true);
    await reader.screenshot('presenter-lesson');
  }),
);

test(
  'while ε reads something invalid the address keeps the last valid ε, so a copied link never breaks',
  reader.run('valid-link-only', async () => {
    await reader.page.goto(`${reader.baseUrl}/?backend=wasm&eps=0.2`, { waitUntil: 'load' });
    await reader.waitReady();
    const eps = reader.page.getByLabel('Epsilon', { exact: true }).first();
    await reader.until(async () => (await eps.inputValue()) === '0.2', 'the link’s ε in the field', 30_000);
    await eps.fill('0.15');
    await reader.until(async () => /[?&]eps=0\.15(&|$)/.test(reader.page.url()), 'the address to say eps=0.15', 10_000);
    // Typing on into something that is no number: the field says why, the address stays at the last valid 0.15.
    await eps.fill('0.15abc');
    expect(await eps.getAttribute('aria-invalid')).toBe('true');
    await reader.page.waitForTimeout(1_000); // four times the address's debounce
    expect(new URL(reader.page.url()).searchParams.get('eps')).toBe('0.15');
    // Over the L∞ limit is invalid too; a valid value is written again at once.
    await eps.fill('3');
    await reader.page.waitForTimeout(1_000);
    expect(new URL(reader.page.url()).searchParams.get('eps')).toBe('0.15');
    await eps.fill('0.05');
    await reader.until(async () => /[?&]eps=0\.05(&|$)/.test(reader.page.url()), 'the address to say eps=0.05', 10_000);
  }),
);

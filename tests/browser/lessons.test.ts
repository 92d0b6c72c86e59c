/**
 * Issue 12 §2 and §8: the first lesson walked end to end. Each step sets up the real app, and each task is noticed
 * when done: a PGD attack, "make the model read this 7 as a 3" (a successful targeted attack), the ε scrubber moved
 * below ε. ← → move between steps; closing leaves the app usable.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, cleanPrediction, parsePrediction } from './helpers';

const app = new App('lessons');
beforeAll(async () => {
  await app.start();
  await app.open('wasm');
});
afterAll(() => app.stop());

const progress = () => app.text('lesson-progress');
const taskDone = async () => (await app.testId('lesson-task').getAttribute('data-done')) === 'true';
const next = () => app.page.getByRole('button', { name: 'Next', exact: true }).click();

test(
  '“What is an adversarial example?” from its first step to its last, through its completion checks',
  app.run('walk', async () => {
    // Start elsewhere: the lesson sets up its own picture and settings.
    await app.pickGalleryItem(3);
    await app.configureAttack({ method: 'fgsm', epsilon: 0.1 });

    await app.page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await app.page.getByRole('button', { name: /What is an adversarial example\?/ }).click();
    expect(await progress()).toMatch(/^Step 1 of 4: A digit the model reads/);
    await app.waitForText('preprocess-note', (t) => /test image 0\b/.test(t), '"test image 0"');
    expect((await cleanPrediction(app)).label).toBe(7);
    expect(await app.page.getByLabel('Attack method', { exact: true }).inputValue()).toBe('pgd');
    expect(await app.page.getByLabel('Epsilon', { exact: true }).inputValue()).toBe('0.3');
    expect(await app.page.locator('[data-control="model-input"].lesson-highlight').count()).toBe(1);
    await app.until(
      async () => new URL(app.page.url()).searchParams.get('lesson') === 'adversarial-examples',
      'the address to name the lesson',
      5_000,
    );

    await next();
    expect(await progress()).toMatch(/^Step 2 of 4: Attack it/);
    expect(await taskDone()).toBe(false);
    await app.attack();
    await app.until(taskDone, 'step 2 to be done', 10_000);
    await app.screenshot('step-2-done');

    await next();
    expect(await progress()).toMatch(/^Step 3 of 4: Choose the answer/);
    expect(await taskDone()).toBe(false);
    await app.configureAttack({ target: '3' });
    const adv = parsePrediction(await app.attack(), 'Adversarial');
    expect(adv.label).toBe(3);
    await app.until(taskDone, 'step 3 (the 7 read as a 3) to be done', 10_000);

    await next();
    expect(await progress()).toMatch(/^Step 4 of 4: How much is enough\? ε/);
    expect(await taskDone()).toBe(false);
    const slider = app.page.getByLabel('Scrub epsilon', { exact: true });
    await slider.focus();
    await slider.press('Home');
    await app.until(taskDone, 'step 4 (scrubbed below ε) to be done', 10_000);
    expect(await app.text('lesson-panel')).toMatch(/That was the last step/);
    await app.screenshot('lesson-finished');

    // ← → outside a field move between steps.
    await app.page.locator('#lesson-heading').click();
    await app.page.keyboard.press('ArrowLeft');
    expect(await progress()).toMatch(/^Step 3 of 4/);
    await app.page.keyboard.press('ArrowRight');
    expect(await progress()).toMatch(/^Step 4 of 4/);

    // Closing leaves the app as it is, and usable.
    await app.page.getByRole('button', { name: 'Close the lesson', exact: true }).click();
    expect(await app.testId('lesson-panel').count()).toBe(0);
    await app.until(async () => !/lesson=/.test(app.page.url()), 'the lesson to leave the address', 10_000);
    await app.configureAttack({ target: 'untargeted' });
    expect(await app.attack()).toMatch(/^Adversarial: \d/);
  }),
);

test(
  'every lesson opens from the menu and steps from first to last, setting up the app without an error',
  app.run('every-lesson', async () => {
    const titles = await (async () => {
      await app.page.getByRole('button', { name: 'Lessons', exact: true }).click();
      const names = await app.page.locator('#lessons-list .lesson-choice strong').allTextContents();
      await app.page.keyboard.press('Escape');
      return names;
    })();
    expect(titles.length).toBeGreaterThanOrEqual(8);
    for (const title of titles) {
      await app.page.getByRole('button', { name: 'Lessons', exact: true }).click();
      await app.page.locator('#lessons-list .lesson-choice', { hasText: title }).click();
      const shown = await progress();
      const total = Number(/^Step 1 of (\d+):/.exec(shown)?.[1]);
      // A changed progress text must fail here, not leave NaN steps and a loop that runs zero times.
      expect(Number.isInteger(total) && total > 1, `${title}: the step count in “${shown}”`).toBe(true);
      for (let step = 1; step <= total; step++) {
        await app.until(
          async () => (await progress()).startsWith(`Step ${step} of ${total}`),
          `${title}: step ${step}`,
          10_000,
        );
        // The step's setup (a model to load, a picture to classify) finishes before the next.
        await app.until(async () => (await app.textOf('.status-task', 50).catch(() => null)) === null, 'idle', 60_000);
        const alert = await app.textOf('[role=alert][data-testid=error-message]', 50);
        expect(alert, `${title}, step ${step}`).toBeNull();
        if (step < total) await next();
      }
      await app.page.getByRole('button', { name: 'Close the lesson', exact: true }).click();
    }
  }),
);

/**
 * Issue 18 §5: lessons that hold. Every step of every lesson is opened from a link (`?lesson=…&step=…`, a fresh page
 * load, as a learner sent the link would), its setup must be in place — the view, and in the attack lab the model —
 * and its task must be completable from there: the test does what the task says and waits for the panel to mark it
 * done. A step without a task must say so. Workloads are shrunk where the task allows it (fewer test images), never
 * the check.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LESSONS } from '../../src/state/teaching/lessons';
import { shippedModelUrl } from '../../src/state/urlState';
import { App } from './helpers';

const app = new App('lesson-links');
beforeAll(() => app.start());
afterAll(() => app.stop());

/** How long one step may take to set up and complete (a model to load, a measurement on a few images). */
const STEP_TIMEOUT_MS = 180_000;

const click = (name: string) => app.page.getByRole('button', { name, exact: true }).click();

/**
 * Presses Attack and returns at once: the task is marked done by the attack's result, and the ε sweep that follows
 * it (ten more attacks, long on the ODENet) is no part of any task but the scrubber's, so the test does not wait for
 * it; the next step's page load ends it.
 */
async function pressAttack(): Promise<void> {
  const button = app.attackButton();
  await app.until(() => button.isEnabled(), 'the "Attack" button to be enabled', 60_000);
  await button.click();
}

async function setNumberIfShown(label: string, value: number): Promise<void> {
  const field = app.page.getByLabel(label, { exact: true });
  if ((await field.count()) > 0 && (await field.first().isVisible())) await app.setNumber(label, value);
}

/** What each task asks, done the way a learner would (by lesson id and 1-based step). */
const DO_TASK: Record<string, () => Promise<void>> = {
  'adversarial-examples:2': pressAttack,
  'adversarial-examples:3': async () => {
    await app.configureAttack({ target: '3' });
    await pressAttack();
  },
  'adversarial-examples:4': async () => {
    // From a link no result is on screen: the task says to attack first. The scrubber waits for the ε sweep (the
    // attack again at ten other budgets): PGD with 10 steps instead of the link's 40, a quarter of the sweep's work.
    await app.configureAttack({ steps: 10 });
    await app.attack();
    await app.until(() => app.page.getByLabel('Scrub epsilon', { exact: true }).isVisible(), 'the scrubber', 120_000);
    const slider = app.page.getByLabel('Scrub epsilon', { exact: true });
    await slider.focus();
    await slider.press('Home');
  },
  'norms-and-targets:1': pressAttack,
  'norms-and-targets:2': pressAttack,
  'norms-and-targets:3': pressAttack,
  'fgsm-vs-pgd:1': pressAttack,
  'fgsm-vs-pgd:2': pressAttack,
  'fgsm-vs-pgd:3': async () => {
    await app.setNumber('Test images', 10);
    await click('Run the Yan et al. protocol');
  },
  'odenet-vs-cnn:1': pressAttack,
  'odenet-vs-cnn:2': pressAttack,
  'odenet-vs-cnn:3': async () => {
    await app.setNumber('Test images', 10);
    await click('Run the Yan et al. protocol');
  },
  'calibration-energy:1': async () => {
    await app.setNumber('Test images', 10);
    await click('Measure calibration');
  },
  'calibration-energy:2': async () => {
    await app.setNumber('Test images', 10);
    await click('Measure calibration');
  },
  'calibration-energy:3': async () => {
    await setNumberIfShown('Energy images', 10); // the field's minimum
    await click('Measure energy');
  },
  'margins-stability:1': async () => {
    await setNumberIfShown('Margin images', 10);
    await setNumberIfShown('DeepFool images', 2);
    // The step is about the logit margin and DeepFool; the PGD distance (a bisection of PGD runs per image) is not.
    await app.page.getByLabel('PGD L∞ distance (bisection on ε)', { exact: true }).uncheck();
    await click('Measure margins');
  },
  'margins-stability:2': async () => {
    await setNumberIfShown('Stability images', 2);
    await click('Measure stability');
  },
  'adversarial-training:1': pressAttack,
  'adversarial-training:2': pressAttack,
  'certificates:2': async () => click('Certify this image'),
  'certificates:3': async () => {
    await app.setNumber('Certified images', 2);
    await shortEmpiricalCurve();
    await click('Certify');
  },
  'certificates:4': async () => {
    await app.page.getByLabel('Randomized smoothing (L2)', { exact: true }).check();
    await app.setNumber('Certified images', 2);
    await shortEmpiricalCurve();
    await setNumberIfShown('Smoothing images', 1);
    await setNumberIfShown('Noise samples n', 100);
    await click('Certify');
  },
  'jem:1': async () => dreamBriefly(),
  'jem:2': async () => {
    await dreamBriefly();
    await app.page.getByRole('button', { name: 'Use as picture' }).click();
  },
  'jem:3': async () => dreamBriefly(),
  'jem:5': async () => {
    await setNumberIfShown('Energy images', 10); // the field's minimum
    await click('Measure energy');
  },
};

/** The Certify panel's PGD curve (at each of its six ε) with one step and one start: the fields' minimum. */
async function shortEmpiricalCurve(): Promise<void> {
  await app.setNumber('PGD steps (empirical curve)', 1);
  await app.setNumber('PGD restarts', 1);
}

/** A short dream (20 SGLD steps) in the attack lab's Dream panel, waited for. */
async function dreamBriefly(): Promise<void> {
  await app.setNumber('SGLD steps', 20);
  await click('Dream');
  await app.waitForText('dream-summary', (t) => /dreamed of/.test(t), 'the dream', STEP_TIMEOUT_MS);
}

/** The model the status line names, as the folder name in its URL (or null for none yet). */
async function attackLabModel(): Promise<string | null> {
  const picker = app.page.getByLabel('Model', { exact: true });
  if ((await picker.count()) === 0) return null;
  return picker.first().inputValue();
}

for (const lesson of LESSONS) {
  test(
    `“${lesson.title}”: every step opened from a link is set up and its task can be done`,
    app.run(lesson.id, async () => {
      expect(lesson.steps.length).toBeGreaterThan(1);
      for (const [i, step] of lesson.steps.entries()) {
        const where = `${lesson.id}, step ${i + 1}`;
        await app.page.goto(`${app.baseUrl}/?backend=wasm&lesson=${lesson.id}&step=${i + 1}`);
        await app.waitReady();
        const progress = await app.waitForText(
          'lesson-progress',
          (t) => t.startsWith(`Step ${i + 1} of ${lesson.steps.length}:`),
          `${where}: the lesson panel`,
        );
        expect(progress, where).toContain(step.title);
        // The step's setup is in place: its view, and in the attack lab its model.
        const view = step.setup?.view ?? 'attack-lab';
        await app.until(
          async () =>
            (await app.page.locator(`main#${view}`).isVisible()) && (await app.textOf('.status-task', 50)) === null,
          `${where}: the ${view} set up and idle`,
          STEP_TIMEOUT_MS,
        );
        if (view === 'attack-lab' && step.setup?.model) {
          const model = await attackLabModel();
          expect(model, `${where}: the model`).toBe(shippedModelUrl(step.setup.model));
        }
        const task = app.testId('lesson-task');
        if (!step.task) {
          expect(await task.getAttribute('data-done'), where).toBe('none');
          expect(await task.textContent(), where).toMatch(/Nothing to do in this step/);
          continue;
        }
        expect(await task.getAttribute('data-done'), `${where}: not done before the learner acts`).toBe('false');
        const act = DO_TASK[`${lesson.id}:${i + 1}`];
        expect(act, `${where}: the test knows how to do “${step.task.says}”`).toBeDefined();
        await act();
        await app.until(
          async () => (await task.getAttribute('data-done')) === 'true',
          `${where}: the task “${step.task.says}” to be done`,
          STEP_TIMEOUT_MS,
        );
        const alert = await app.textOf('[role=alert][data-testid=error-message]', 50);
        expect(alert, where).toBeNull();
      }
    }),
    lesson.steps.length * 2 * STEP_TIMEOUT_MS,
  );
}

/**
 * Issue 18 §3 and §7: the page never stalls, and the ε sweep never blocks.
 *
 * The stall guard watches main-thread long tasks with a PerformanceObserver (W3C Long Tasks API) while the first
 * attack result renders, while the training lab's charts grow, while the analysis view's curves and Certify's
 * charts fill in, and while its reliability diagrams, energy and margin histograms, margin scatter, operator norms and
 * stability curves draw. The target (no task over 50 ms) and its figures belong to `npm run bench`; this guard
 * catches a stall — the issue measured 0.5–2.7 s tasks; a 400 ms loop in a render fails it — without failing on a
 * busy machine: its bound is a multiple of how long a fixed piece of JavaScript takes on this page at the same time.
 *
 * The sweep test presses Attack during the ε sweep that follows an attack: the button is enabled, the sweep's
 * progress says what it is, and the new attack runs at once at its own ε.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App } from './helpers';

const app = new App('responsiveness');
beforeAll(async () => {
  await app.start();
  // Before any of the page's scripts: every long task from navigation on.
  await app.browserContext.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks?.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await app.open('wasm');
});
afterAll(() => app.stop());

/**
 * A fixed piece of JavaScript that takes about 50 ms on an idle 2-core machine: the page's yardstick of speed. It is
 * itself a long task, so a loaded machine stretches it as it stretches the app's tasks (preempted again and again); a
 * short one (5 ms) fits in one time slice and stays short while 300 ms tasks take seconds (measured at load 29).
 */
const YARDSTICK_ITERATIONS = 20_000_000;
/**
 * The longest task allowed, in yardsticks (about 300 ms idle), and never less than this many ms: six times the 50 ms
 * target (the bench reports against that), well under the half-second stalls the issue measured — a 400 ms loop in a
 * render fails it (checked by inserting one).
 */
const LONGEST_IN_YARDSTICKS = 6;
const LONGEST_FLOOR_MS = 150;

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

/** Median ms of the yardstick, over five runs spread over a second and a half. */
async function yardstickMs(): Promise<number> {
  const runs: number[] = [];
  for (let k = 0; k < 5; k++) {
    runs.push(
      await app.page.evaluate((n) => {
        const t = performance.now();
        let x = 0;
        for (let i = 0; i < n; i++) x += Math.sqrt(i);
        return performance.now() - t + (x < 0 ? 1 : 0);
      }, YARDSTICK_ITERATIONS),
    );
    await app.page.waitForTimeout(300);
  }
  return runs.sort((a, b) => a - b)[2];
}

async function longTasksSince(from: number): Promise<{ start: number; duration: number }[]> {
  return app.page.evaluate((t) => (window.__longTasks ?? []).filter((e) => e.start >= t), from);
}

const now = () => app.page.evaluate(() => performance.now());

/** Whether a button whose text is exactly `name` is enabled (a plain query, not one by role). */
const buttonEnabled = (name: string) =>
  app.page.evaluate(
    (n) => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === n && !b.disabled),
    name,
  );

async function expectNoStall(what: string, from: number): Promise<void> {
  const tasks = await longTasksSince(from);
  const yardstick = await yardstickMs();
  const bound = Math.max(LONGEST_FLOOR_MS, LONGEST_IN_YARDSTICKS * yardstick);
  const longest = Math.max(0, ...tasks.map((t) => t.duration));
  expect(
    longest,
    `${what}: the longest main-thread task (of ${tasks.length} over 50 ms) against ${Math.round(bound)} ms ` +
      `(${LONGEST_IN_YARDSTICKS} × a ${yardstick.toFixed(1)} ms yardstick)`,
  ).toBeLessThanOrEqual(bound);
}

/**
 * The analysis view's other measurements, small (each a few seconds to a minute here with the view's three models):
 * the label of the button, the settings, and the test id of the charts that must be drawn.
 */
const ANALYSIS_MEASUREMENTS: { button: string; settings: [string, number][]; chart: string }[] = [
  { button: 'Measure calibration', settings: [], chart: 'reliability-chart' },
  { button: 'Measure energy', settings: [['Energy images', 30]], chart: 'energy-histogram' },
  {
    button: 'Measure margins',
    settings: [
      ['Margin images', 30],
      ['DeepFool images', 5],
    ],
    chart: 'margin-scatter',
  },
  {
    button: 'Measure stability',
    settings: [
      ['Stability images', 10],
      ['Draws per image', 4],
    ],
    chart: 'stability-chart',
  },
];

test(
  'the first attack result, the training charts, the analysis charts and Certify render without stalling the page',
  app.run('no-stalls', async () => {
    let from = await now();
    await app.configureAttack({ method: 'pgd', norm: 'linf', target: 'untargeted', epsilon: 0.3, steps: 20 });
    await app.attack();
    await expectNoStall('the first attack result', from);

    await app.page.getByRole('link', { name: 'Training lab' }).click();
    await app.page.getByLabel('Preset', { exact: true }).selectOption({ index: 0 });
    await app.page.getByRole('button', { name: 'Train', exact: true }).click();
    await app.until(async () => (await app.testId('chart-loss').count()) > 0, 'the first curves', 300_000);
    from = await now();
    await app.page.waitForTimeout(8_000);
    await app.page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expectNoStall('8 s of training charts', from);
    await app.until(
      async () => /stopped|finished/.test((await app.textOf('[data-testid=run-results]', 500)) ?? ''),
      'training to stop',
      120_000,
    );

    // The analysis charts fill in while the Yan et al. protocol runs, then Certify's. Waits by plain selectors: a
    // check by role and name is itself a long task on a busy machine.
    await app.page.getByRole('link', { name: 'Analysis' }).click();
    await app.setNumber('Test images', 20);
    await app.setNumber('Certified images', 5);
    // Certify's empirical curve with a short PGD (the fields' defaults: 20 steps, 2 restarts, at each of six ε on the
    // two ODE models too): the same results arrive and draw, an eighth of the attack's compute before them.
    await app.setNumber('PGD steps (empirical curve)', 5);
    await app.setNumber('PGD restarts', 1);
    from = await now();
    await app.page.getByRole('button', { name: 'Run the Yan et al. protocol', exact: true }).click();
    await app.until(async () => (await app.testId('sanity-checks').count()) > 0, 'the Yan et al. protocol', 600_000);
    await expectNoStall('the Yan et al. protocol’s charts', from);
    await app.until(() => buttonEnabled('Certify'), 'Certify to be enabled', 60_000);
    from = await now();
    await app.page.getByRole('button', { name: 'Certify', exact: true }).click();
    await app.until(
      async () => (await app.page.locator('[data-testid^=certify-chart-] path.plain-chart-line').count()) > 0,
      'the Certify charts',
      600_000,
    );
    await expectNoStall('Certify’s charts', from);

    for (const { button, settings, chart } of ANALYSIS_MEASUREMENTS) {
      for (const [label, value] of settings) await app.setNumber(label, value);
      await app.until(() => buttonEnabled(button), `"${button}" to be enabled`, 60_000);
      from = await now();
      await app.page.getByRole('button', { name: button, exact: true }).click();
      await app.until(
        () =>
          app.page.evaluate(
            ({ id, name }) =>
              document.querySelector(`[data-testid=${id}] svg.plain-chart-surface path`) !== null &&
              document.querySelector('.chart-pending') === null &&
              [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === name && !b.disabled),
            { id: chart, name: button },
          ),
        `the charts of "${button}"`,
        600_000,
      );
      await expectNoStall(`the charts of "${button}"`, from);
    }
  }),
  1_500_000,
);

test(
  'a new Attack during the ε sweep stops the sweep and runs at once, and the sweep says what it is',
  app.run('sweep', async () => {
    await app.page.getByRole('link', { name: 'Attack lab' }).click();
    // Many steps and restarts: the sweep's ten attacks take long enough to be caught running.
    await app.configureAttack({ method: 'pgd', norm: 'linf', target: 'untargeted', epsilon: 0.3, steps: 100 });
    await app.configureAttack({ restarts: 3 });
    await app.attackButton().click();
    await app.until(async () => (await app.textOf('[data-testid=adv-prediction]', 200)) !== null, 'a result', 120_000);
    const message = app.page.locator('.progress-message');
    await app.until(
      async () => /^Sweeping ε for the scrubber: \d+ of 10$/.test(((await message.textContent()) ?? '').trim()),
      'the sweep’s progress "Sweeping ε for the scrubber: k of 10"',
      60_000,
    );
    // The sweep only feeds the scrubber: Attack is not held up by it.
    expect(await app.attackButton().isEnabled()).toBe(true);
    await app.configureAttack({ epsilon: 0.2, steps: 10, restarts: 1 });
    await app.attackButton().click();
    // The new attack runs at once (a 10-step PGD on one image: its result comes long before the old sweep would end).
    await app.waitForText('attack-ran', (t) => /ε = 0\.2 · 10 steps/.test(t), 'the new attack’s result', 60_000);
    const notice = (await app.textOf('[role=status].notice', 50)) ?? '';
    expect(notice, 'no "cancelled" notice for the replaced sweep').not.toMatch(/cancel/i);
    await app.attack(); // waits for its own sweep, then attacks once more with the same settings
    const scrubber = app.page.getByLabel('Scrub epsilon', { exact: true });
    expect(Number(await scrubber.getAttribute('max')), 'the new sweep spans 0 to 2 × 0.2').toBeCloseTo(0.4, 6);
  }),
  600_000,
);

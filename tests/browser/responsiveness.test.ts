/**
 * Issue 18 §3 and §7: the page never stalls, and the ε sweep never blocks.
 *
 * The stall guard watches main-thread long tasks with a PerformanceObserver (W3C Long Tasks API) while the first
 * attack result renders and while the training lab's charts grow. The
 * target (no task over 50 ms) and its figures belong to `npm run bench`; this guard catches the failures the issue
 * measured — one task drawing every chart at once, 0.5–2.7 s — without failing on a busy machine: its bound is a
 * multiple of how long a fixed piece of JavaScript takes on this page at the same time.
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

/** A fixed piece of JavaScript that takes about 5 ms on an idle 2-core machine: the page's yardstick of speed. */
const YARDSTICK_ITERATIONS = 2_000_000;
/**
 * The longest task allowed, in yardsticks (about 200 ms idle), and never less than this many ms: a regression guard
 * against the second-long stalls the issue measured, not the 50 ms target (the bench reports against that).
 */
const LONGEST_IN_YARDSTICKS = 40;
const LONGEST_FLOOR_MS = 500;

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

/** Median ms of the yardstick, over five runs spread over a second. */
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
    await app.page.waitForTimeout(200);
  }
  return runs.sort((a, b) => a - b)[2];
}

async function longTasksSince(from: number): Promise<{ start: number; duration: number }[]> {
  return app.page.evaluate((t) => (window.__longTasks ?? []).filter((e) => e.start >= t), from);
}

const now = () => app.page.evaluate(() => performance.now());

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

test(
  'the first attack result and the training charts render without stalling the page',
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
    await app.page.waitForTimeout(15_000);
    await app.page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expectNoStall('15 s of training charts', from);
    await app.until(
      async () => /stopped|finished/.test((await app.textOf('[data-testid=run-results]', 500)) ?? ''),
      'training to stop',
      120_000,
    );

    // Not yet guarded: the analysis view's first chart-library chart still mounts in one task of 0.5–1 s on a busy
    // machine (the bench's yanProtocol phase shows it); the training lab's canvas curves and the attack lab are.
  }),
  900_000,
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

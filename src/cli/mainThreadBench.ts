/**
 * The main-thread part of the browser bench: does the page stay responsive while the worker works?
 *
 *  - first prediction: ms from navigation to the first digit's prediction on screen, each in a fresh
 *    browser context (empty cache and IndexedDB, as a first visit), on the default backend;
 *  - long tasks (W3C Long Tasks API: any main-thread task over 50 ms) while the app starts, from pressing Attack
 *    to the first result on screen, during the ε sweep that follows it, the Yan et al.
 *    protocol in the analysis view (its charts filling in), Certify in the analysis view, and a stretch of
 *    training in the training lab ("ODENet vs CNN"). Reported per phase as their count and the longest; the
 *    target is none (issue 18).
 *
 *   npm run bench -- --browser-only --main-thread-only
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

const PAGE_TIMEOUT_MS = 600_000;
/** How long the training phase trains before it presses Stop (the MNIST download comes first). */
const TRAINING_SECONDS = 60;
/** Test images of the Yan et al. protocol in the bench (the view's default is larger). */
const YAN_IMAGES = 100;
/** Test images Certify certifies in the bench (its default is 100: a minute and more with three models). */
const CERTIFY_IMAGES = 20;
const FIRST_PREDICTION_RUNS = 3;

export interface LongTaskSummary {
  /** Main-thread tasks over 50 ms (the Long Tasks API reports no shorter ones). */
  count: number;
  longestMs: number;
  totalMs: number;
  seconds: number;
}

export interface MainThreadReport {
  firstPredictionMs: number[];
  firstPredictionMedianMs: number;
  longTasks: Record<
    'startup' | 'firstAttackResult' | 'epsSweep' | 'yanProtocol' | 'certify' | 'training',
    LongTaskSummary
  >;
}

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

/** Runs before any of the page's scripts: records every long task from navigation on. */
function observeLongTasks(): void {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks?.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

async function now(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

async function longTasksBetween(page: Page, from: number, to: number): Promise<LongTaskSummary> {
  const tasks = await page.evaluate(() => window.__longTasks ?? []);
  const within = tasks.filter((t) => t.start >= from && t.start < to);
  return {
    count: within.length,
    longestMs: Math.round(Math.max(0, ...within.map((t) => t.duration))),
    totalMs: Math.round(within.reduce((a, t) => a + t.duration, 0)),
    seconds: Math.round((to - from) / 100) / 10,
  };
}

async function waitReady(page: Page): Promise<number> {
  await page.waitForFunction(() => window.__playground?.ready === true, null, { polling: 100 });
  return page.evaluate(() => window.__playground?.firstPredictionMs ?? Number.NaN);
}

/**
 * How often a phase checks whether it is done. Each check runs in the page's main thread; a check by role and name
 * (Playwright's getByRole) walks the accessibility of the whole page and was itself a long task of 50–400 ms on a
 * busy machine, counted against the app. So the checks below are plain selectors, read in one evaluate, once a second.
 */
const POLL_MS = 1_000;

/** Fails on the app's error banner; otherwise waits for `done`. */
async function until(page: Page, done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + PAGE_TIMEOUT_MS;
  for (;;) {
    const alert = await page.evaluate(
      () => document.querySelector('[role=alert][data-testid=error-message]')?.textContent ?? null,
    );
    if (alert !== null) throw new Error(`${what}: the app shows the error "${alert}"`);
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${PAGE_TIMEOUT_MS} ms`);
    await page.waitForTimeout(POLL_MS);
  }
}

/** Whether the page shows an element matching `selector` (plain CSS: cheap to check). */
function present(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((s) => document.querySelector(s) !== null, selector);
}

/** Whether a button whose text is exactly `name` is on the page and enabled. */
function buttonEnabled(page: Page, name: string): Promise<boolean> {
  return page.evaluate(
    (n) => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === n && !b.disabled),
    name,
  );
}

/** Presses Attack and resolves when the first result is on screen (the ε sweep goes on after it). */
async function firstAttackResultPhase(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Attack', exact: true }).click();
  await until(page, () => present(page, '[data-testid=adv-prediction]'), 'the attack');
}

/** The rest of the attack: until the ε sweep after it has finished. */
async function epsSweepPhase(page: Page): Promise<void> {
  await until(
    page,
    async () =>
      (await buttonEnabled(page, 'Attack')) &&
      !(await buttonEnabled(page, 'Cancel')) &&
      (await present(page, '[data-testid=adv-prediction]')),
    'the attack',
  );
}

async function yanPhase(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Analysis' }).click();
  const images = page.getByLabel('Test images', { exact: true });
  await images.fill(String(YAN_IMAGES));
  await images.press('Tab');
  const run = page.getByRole('button', { name: 'Run the Yan et al. protocol', exact: true });
  await run.click();
  await page.waitForTimeout(500);
  await until(
    page,
    async () =>
      (await buttonEnabled(page, 'Run the Yan et al. protocol')) &&
      (await present(page, '[data-testid=sanity-checks]')),
    'the Yan et al. protocol',
  );
}

async function certifyPhase(page: Page): Promise<void> {
  const images = page.getByLabel('Certified images', { exact: true });
  await images.fill(String(CERTIFY_IMAGES));
  await images.press('Tab');
  const certify = page.getByRole('button', { name: 'Certify', exact: true });
  await certify.click();
  await page.waitForTimeout(500);
  await until(
    page,
    async () => (await buttonEnabled(page, 'Certify')) && (await present(page, '[data-testid^=certify-chart-]')),
    'Certify',
  );
}

async function trainingPhase(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Training lab' }).click();
  await page.getByLabel('Preset', { exact: true }).selectOption('odenet-vs-cnn');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // The clock starts with the first point on the charts (the training split downloads first).
  await until(page, () => present(page, '[data-testid=chart-loss]'), 'the first curves');
  await page.waitForTimeout(TRAINING_SECONDS * 1000);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await until(
    page,
    async () =>
      /stopped|finished/.test(
        await page.evaluate(() => document.querySelector('[data-testid=run-results]')?.textContent ?? ''),
      ),
    'training to stop',
  );
}

/** Measures the app served at `baseUrl` in `browser` (each measurement in a fresh context). */
export async function benchmarkMainThread(
  browser: Browser,
  baseUrl: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<MainThreadReport> {
  const firstPredictionMs: number[] = [];
  for (let i = 0; i < FIRST_PREDICTION_RUNS; i++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(PAGE_TIMEOUT_MS);
      await page.goto(`${baseUrl}/`);
      firstPredictionMs.push(Math.round(await waitReady(page)));
      log(`chromium main thread: first prediction after ${firstPredictionMs.at(-1)} ms`);
    } finally {
      await context.close();
    }
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(observeLongTasks);
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await page.goto(`${baseUrl}/`);
    await waitReady(page);
    const startup = await longTasksBetween(page, 0, await now(page));
    const phases: [keyof MainThreadReport['longTasks'], (p: Page) => Promise<void>][] = [
      ['firstAttackResult', firstAttackResultPhase],
      ['epsSweep', epsSweepPhase],
      ['yanProtocol', yanPhase],
      ['certify', certifyPhase],
      ['training', trainingPhase],
    ];
    const longTasks = { startup } as MainThreadReport['longTasks'];
    log(`chromium main thread: startup ${JSON.stringify(startup)}`);
    for (const [name, phase] of phases) {
      const from = await now(page);
      await phase(page);
      longTasks[name] = await longTasksBetween(page, from, await now(page));
      log(`chromium main thread: ${name} ${JSON.stringify(longTasks[name])}`);
    }
    const sorted = [...firstPredictionMs].sort((a, b) => a - b);
    return { firstPredictionMs, firstPredictionMedianMs: sorted[Math.floor(sorted.length / 2)], longTasks };
  } finally {
    await context.close();
  }
}

/** Builds dist/ if it is missing, serves `outDir` and runs benchmarkMainThread in a fresh Chromium. */
export async function mainThreadInChromium(outDir = 'dist'): Promise<MainThreadReport> {
  if (!existsSync(join(outDir, 'index.html'))) {
    process.stderr.write('chromium: building the app\n');
    await build({ logLevel: 'warn', build: { outDir } });
  }
  const server = await preview({
    build: { outDir },
    preview: { port: 4181, strictPort: false, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 4181;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    return await benchmarkMainThread(browser, `http://localhost:${port}`);
  } finally {
    await browser.close();
    server.httpServer.close();
  }
}

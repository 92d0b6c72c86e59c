/**
 * The main-thread part of the browser bench: does the page stay responsive while the worker works?
 *
 *  - first prediction: ms from navigation to the first digit's prediction on screen, each in a fresh
 *    Chromium profile (empty cache and IndexedDB, as a first visit), on the default backend, with no inspector
 *    attached (uninspectedStartup.ts: an attached one adds work a user's page never does); the start-up's long
 *    tasks come from the same starts (the worst of them), and again from a start under Playwright
 *    (`startupWithInspector`), as earlier figures were taken;
 *  - long tasks (W3C Long Tasks API: any main-thread task over 50 ms) while the app starts, from pressing Attack
 *    to the first result on screen, during the ε sweep that follows it, the Yan et al.
 *    protocol in the analysis view (its charts filling in), Certify in the analysis view, the analysis view's
 *    calibration, energy, margins and stability measurements (each until its charts are drawn), and a stretch of
 *    training in the training lab ("ODENet vs CNN"). Reported per phase as their count and the longest; the
 *    target is none (issue 18).
 *
 *   npm run bench -- --browser-only --main-thread-only [--phases certify,calibration,…]
 *
 * `--phases` runs only the named long-task phases, in their usual order (startup is always measured; the first
 * prediction runs only when named as `firstPrediction`); the ε sweep is the rest of the first attack, so it follows
 * firstAttackResult.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { InvalidOptionError } from '../core/util/errors';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { type UninspectedStart, uninspectedStarts } from './uninspectedStartup';

const PAGE_TIMEOUT_MS = 600_000;
/** How long the training phase trains before it presses Stop (the MNIST download comes first). */
const TRAINING_SECONDS = 60;
/** Test images of the Yan et al. protocol in the bench (the view's default is larger). */
const YAN_IMAGES = 100;
/** Test images Certify certifies in the bench (its default is 100: a minute and more with three models). */
const CERTIFY_IMAGES = 20;
/**
 * The analysis view's other measurements, smaller than their defaults so each takes well under a minute with the
 * view's three models on wasm; their charts have as many bars, bins and points per model as at the defaults (the
 * margin scatter: one point per DeepFool image, so fewer).
 */
const ANALYSIS_SETTINGS = {
  energy: [['Energy images', 100]],
  margins: [
    ['Margin images', 100],
    ['DeepFool images', 20],
  ],
  stability: [
    ['Stability images', 20],
    ['Draws per image', 8],
  ],
} as const;
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
  /** Per phase; `startup` is the worst of the uninspected starts, `startupWithInspector` the same start under
   * Playwright (for comparison with earlier figures, which were taken that way). */
  longTasks: Partial<Record<LongTaskPhase | 'startupWithInspector', LongTaskSummary>>;
}

export const LONG_TASK_PHASES = [
  'startup',
  'firstAttackResult',
  'epsSweep',
  'yanProtocol',
  'certify',
  'calibration',
  'energy',
  'margins',
  'stability',
  'training',
] as const;
export type LongTaskPhase = (typeof LONG_TASK_PHASES)[number];

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
  return summarise(await page.evaluate(() => window.__longTasks ?? []), from, to);
}

function summarise(tasks: readonly { start: number; duration: number }[], from: number, to: number): LongTaskSummary {
  const within = tasks.filter((t) => t.start >= from && t.start < to);
  return {
    count: within.length,
    longestMs: Math.round(Math.max(0, ...within.map((t) => t.duration))),
    totalMs: Math.round(within.reduce((a, t) => a + t.duration, 0)),
    seconds: Math.round((to - from) / 100) / 10,
  };
}

/** The start with the most long tasks (then the longest one), as a phase's summary: from navigation to the report. */
function worstStart(starts: readonly UninspectedStart[]): LongTaskSummary {
  const summaries = starts.map((start) => {
    const until = Math.max(start.firstPredictionMs, ...start.longTasks.map((t) => t.start + t.duration));
    return summarise(start.longTasks, 0, until);
  });
  summaries.sort((a, b) => b.count - a.count || b.longestMs - a.longestMs);
  return summaries[0] ?? { count: 0, longestMs: 0, totalMs: 0, seconds: 0 };
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

async function toAnalysis(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Analysis' }).click();
  await page.locator('.analysis-view').waitFor();
}

async function yanPhase(page: Page): Promise<void> {
  await toAnalysis(page);
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
  await toAnalysis(page);
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

/**
 * One of the analysis view's measurements: its settings, its button, then until the button is enabled again and
 * every chart of its panel (`heading`) is drawn (the charts draw one per task after the results arrive).
 */
async function analysisPhase(
  page: Page,
  settings: readonly (readonly [string, number])[],
  button: string,
  heading: string,
  chart: string,
): Promise<number> {
  await toAnalysis(page);
  for (const [label, value] of settings) {
    const field = page.getByLabel(label, { exact: true });
    await field.fill(String(value));
    await field.press('Tab');
  }
  // The clock starts here, and the button is pressed by a plain DOM query: Playwright's click by role walks the
  // accessibility of the whole (long) view in the page's main thread, a long task of its own, counted against the app.
  const from = await now(page);
  await page.evaluate((name) => {
    const found = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
    found?.click();
  }, button);
  await page.waitForTimeout(500);
  const panel = `section[aria-labelledby=${heading}]`;
  await until(
    page,
    async () =>
      (await buttonEnabled(page, button)) &&
      (await present(page, `${panel} [data-testid^=${chart}]`)) &&
      !(await present(page, `${panel} .chart-pending`)),
    button,
  );
  return from;
}

/** A phase; one that resolves to a number started its clock then (after its own setup), not when it was called. */
type Phase = (page: Page) => Promise<unknown>;

const ANALYSIS_PHASES: Record<'calibration' | 'energy' | 'margins' | 'stability', Phase> = {
  calibration: (p) => analysisPhase(p, [], 'Measure calibration', 'calibration-heading', 'reliability-chart'),
  energy: (p) => analysisPhase(p, ANALYSIS_SETTINGS.energy, 'Measure energy', 'energy-heading', 'energy-histogram'),
  margins: (p) => analysisPhase(p, ANALYSIS_SETTINGS.margins, 'Measure margins', 'margins-heading', 'margin-histogram'),
  stability: (p) =>
    analysisPhase(p, ANALYSIS_SETTINGS.stability, 'Measure stability', 'stability-heading', 'stability-chart'),
};

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
  only?: readonly string[],
  outDir = 'dist',
): Promise<MainThreadReport> {
  // The first prediction and the start-up's long tasks, in a Chromium with no inspector attached (see
  // uninspectedStartup.ts); the start-up under Playwright is reported beside them as startupWithInspector.
  const withFirstPrediction = !only || only.includes('firstPrediction');
  const starts = await uninspectedStarts(outDir, withFirstPrediction ? FIRST_PREDICTION_RUNS : 1, log);
  const firstPredictionMs = withFirstPrediction ? starts.map((s) => Math.round(s.firstPredictionMs)) : [];
  const startup = worstStart(starts);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(observeLongTasks);
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await page.goto(`${baseUrl}/`);
    await waitReady(page);
    const startupWithInspector = await longTasksBetween(page, 0, await now(page));
    const phases: (readonly [LongTaskPhase, Phase])[] = [
      ['firstAttackResult', firstAttackResultPhase],
      ['epsSweep', epsSweepPhase],
      ['yanProtocol', yanPhase],
      ['certify', certifyPhase],
      ...Object.entries(ANALYSIS_PHASES).map(([name, run]) => [name as LongTaskPhase, run] as const),
      ['training', trainingPhase],
    ];
    const longTasks: MainThreadReport['longTasks'] = { startup, startupWithInspector };
    const inspected = JSON.stringify(startupWithInspector);
    log(`chromium main thread: startup ${JSON.stringify(startup)} (with an inspector: ${inspected})`);
    for (const [name, phase] of phases.filter(([name]) => !only || only.includes(name))) {
      const called = await now(page);
      const started = await phase(page);
      const from = typeof started === 'number' ? started : called;
      longTasks[name] = await longTasksBetween(page, from, await now(page));
      log(`chromium main thread: ${name} ${JSON.stringify(longTasks[name])}`);
    }
    const sorted = [...firstPredictionMs].sort((a, b) => a - b);
    return {
      firstPredictionMs,
      firstPredictionMedianMs: sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)] : Number.NaN,
      longTasks,
    };
  } finally {
    await context.close();
  }
}

/** Builds dist/ if it is missing, serves `outDir` and runs benchmarkMainThread in a fresh Chromium. */
export async function mainThreadInChromium(outDir = 'dist', only?: readonly string[]): Promise<MainThreadReport> {
  const unknown = only?.filter((p) => p !== 'firstPrediction' && !LONG_TASK_PHASES.includes(p as LongTaskPhase));
  if (unknown && unknown.length > 0) {
    throw new InvalidOptionError(
      `Unknown phase "${unknown[0]}" in --phases. Choose from firstPrediction, ${LONG_TASK_PHASES.join(', ')}.`,
    );
  }
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
    return await benchmarkMainThread(browser, `http://localhost:${port}`, undefined, only, outDir);
  } finally {
    await browser.close();
    server.httpServer.close();
  }
}

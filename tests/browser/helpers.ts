/**
 * Shared harness of the browser tests: a fresh browser context (so a fresh IndexedDB, cache and history) in the
 * headless Debian Chromium that globalSetup started (a file that needs other Chromium flags, a fake camera, or
 * computes on WebGPU launches its own), the app opened from the preview server that globalSetup started,
 * page / worker console errors collected, screenshots saved into test-results/, and failures
 * re-thrown with those diagnostics attached.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type ConsoleMessage,
  type Locator,
  type Page,
} from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/cli/chromium';
import { modelDisplayName } from '../../src/state/shippedModels';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = join(ROOT, 'test-results');

/** How long the app may take to start (tfjs init, MNIST test split, model, first prediction). */
export const READY_TIMEOUT_MS = 120_000;
/** How long one (small) attack may take on the slowest backend used here. */
export const ATTACK_TIMEOUT_MS = 120_000;

export type BackendParam = 'webgpu' | 'wasm' | 'webgl' | 'cpu' | 'auto';

export class App {
  readonly consoleErrors: string[] = [];
  readonly pageErrors: string[] = [];
  page!: Page;
  private browser: Browser | null = null;
  private context: BrowserContext | null = null;
  private shots = 0;

  /** @param name a short name for this file's screenshots, e.g. `default-backend`. */
  constructor(readonly name: string) {}

  /** The browser context of this file's page (offline switch, permissions). */
  get browserContext(): BrowserContext {
    if (!this.context) throw new Error('App.start() has not been called');
    return this.context;
  }

  get baseUrl(): string {
    return inject('baseUrl');
  }

  /**
   * Opens a fresh context and page (call in beforeAll) in the shared Chromium, or in a Chromium of its own given
   * `args` (added to the project's Chromium flags: a fake camera) or `ownBrowser`; `context` overrides the context's
   * options (a small viewport, permissions).
   *
   * `ownBrowser` is for files that compute on WebGPU: a browser has one GPU process, which draws the frames of all its
   * pages and here runs WebGPU on SwiftShader, on the CPU, one piece of work at a time — in the shared browser a page
   * of another file would wait behind it for its frames (a click waits for two) and for its own WebGPU work.
   */
  async start(options: { args?: string[]; ownBrowser?: boolean; context?: BrowserContextOptions } = {}): Promise<void> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    // Connected, close() closes only this file's contexts and disconnects; launched, it ends that browser.
    this.browser =
      options.args || options.ownBrowser
        ? await chromium.launch({
            executablePath: CHROMIUM_PATH,
            headless: true,
            args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
          })
        : await chromium.connect(inject('browserWsEndpoint'));
    this.context = await this.browser.newContext({
      viewport: { width: 1280, height: 1000 },
      acceptDownloads: true,
      // The app's service worker precaches ~16 MB (test images, models, bundles, wasm) in every fresh context, on
      // the CPU the test needs; only the offline test, which is about it, allows it.
      serviceWorkers: 'block',
      ...options.context,
    });
    // A navigation (a link opened, a reload) may wait while the page it leaves ends its work, and the machine may be
    // busy with a second test file: as long as the app may take to start, not Playwright's 30 s.
    this.context.setDefaultNavigationTimeout(READY_TIMEOUT_MS);
    this.page = await this.context.newPage();
    const record = (where: string) => (msg: ConsoleMessage) => {
      if (msg.type() !== 'error') return;
      if (/favicon\.ico/.test(msg.location().url)) return; // the app has no favicon: not a failure
      const loc = msg.location();
      const at = loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
      const line = `[${where}] ${msg.text()}${at}`;
      if (!this.consoleErrors.includes(line)) this.consoleErrors.push(line);
    };
    this.page.on('console', (msg) => record(msg.worker() ? 'worker' : 'page')(msg));
    this.page.on('worker', (worker) => {
      worker.on('console', (msg) => record('worker')(msg));
    });
    this.page.on('pageerror', (err) => this.pageErrors.push(`${err.name}: ${err.message}`));
    this.page.on('crash', () => this.pageErrors.push('the page crashed'));
  }

  /** Closes this file's context, and its browser if it launched one (call in afterAll); safe to call twice. */
  async stop(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    this.context = null;
    await browser?.close().catch(() => undefined);
  }

  /** Opens the app, optionally forcing a backend, and waits for the first prediction. */
  async open(backend?: BackendParam): Promise<void> {
    const url = backend ? `${this.baseUrl}/?backend=${backend}` : `${this.baseUrl}/`;
    await this.page.goto(url, { waitUntil: 'load' });
    await this.waitReady();
  }

  async waitReady(timeout = READY_TIMEOUT_MS): Promise<void> {
    try {
      await this.page.waitForFunction(() => window.__playground?.ready === true, null, { timeout, polling: 250 });
    } catch (err) {
      const alert = await this.textOf('[data-testid=error-message]', 200);
      throw new Error(
        `window.__playground.ready did not become true within ${timeout} ms` +
          (alert ? `; the page shows the error: ${alert}` : '') +
          `\n${(err as Error).message.split('\n')[0]}`,
      );
    }
  }

  testId(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  /** The trimmed text of the first match, or null if none appears within `timeout` ms. */
  async textOf(selector: string, timeout = 5_000): Promise<string | null> {
    const loc = this.page.locator(selector).first();
    try {
      await loc.waitFor({ state: 'attached', timeout });
    } catch {
      return null;
    }
    // The element may be re-rendered between the two calls (a status line replaced on a backend switch): then it
    // is not there now, and a poll asks again.
    const text = await loc.textContent({ timeout }).catch(() => null);
    return text === null ? null : text.replace(/\s+/g, ' ').trim();
  }

  /** Text of a `data-testid` element, waiting for it to be visible. */
  async text(id: string, timeout = 30_000): Promise<string> {
    const loc = this.testId(id).first();
    await loc.waitFor({ state: 'visible', timeout });
    return ((await loc.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** Polls the text of a `data-testid` element until `accept` says yes; returns that text. */
  async waitForText(id: string, accept: (text: string) => boolean, what: string, timeout = 30_000): Promise<string> {
    const deadline = Date.now() + timeout;
    let last: string | null = null;
    for (;;) {
      last = await this.textOf(`[data-testid="${id}"]`, 250);
      if (last !== null && accept(last)) return last;
      if (Date.now() > deadline) {
        throw new Error(
          `[data-testid=${id}] never showed ${what} within ${timeout} ms; last text: ${JSON.stringify(last)}`,
        );
      }
      await this.page.waitForTimeout(200);
    }
  }

  /** Saves a full-page screenshot as test-results/<name>-<n>-<label>.png and returns its path. */
  async screenshot(label: string): Promise<string> {
    this.shots += 1;
    const file = join(RESULTS_DIR, `${this.name}-${String(this.shots).padStart(2, '0')}-${label}.png`);
    try {
      await this.page.screenshot({ path: file, fullPage: true, timeout: 15_000 });
    } catch (err) {
      return `(screenshot failed: ${(err as Error).message.split('\n')[0]})`;
    }
    return file;
  }

  /** What to attach to a failure: console / page errors and the visible error banner. */
  async diagnostics(): Promise<string> {
    const parts: string[] = [];
    if (this.pageErrors.length) parts.push(`page errors:\n  ${this.pageErrors.join('\n  ')}`);
    if (this.consoleErrors.length) parts.push(`console errors:\n  ${this.consoleErrors.slice(-20).join('\n  ')}`);
    const alert = await this.textOf('[role=alert][data-testid=error-message]', 100).catch(() => null);
    if (alert) parts.push(`error banner: ${alert}`);
    const backend = await this.textOf('[data-testid=status-backend]', 100).catch(() => null);
    if (backend) parts.push(`status-backend: ${backend}`);
    return parts.join('\n') || '(no console errors, no page errors, no error banner)';
  }

  /**
   * Wraps a test body: on failure, takes a screenshot and re-throws with the diagnostics attached
   * to the message.
   */
  run(label: string, body: () => Promise<void>): () => Promise<void> {
    return async () => {
      const pageErrorsBefore = this.pageErrors.length;
      try {
        await body();
        const uncaught = this.pageErrors.slice(pageErrorsBefore);
        if (uncaught.length)
          throw new Error(`uncaught errors in the page during the test:\n  ${uncaught.join('\n  ')}`);
      } catch (err) {
        const shot = this.page ? await this.screenshot(`FAILED-${label}`) : '(no page)';
        const diag = this.page ? await this.diagnostics() : '';
        const e = err instanceof Error ? err : new Error(String(err));
        e.message = `${e.message}\n--- screenshot: ${shot}\n--- ${diag}`;
        throw e;
      }
    };
  }

  // ----- controls -----

  async select(label: string, value: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).selectOption(value);
  }

  /** Unticks shipped models (by their public/models/ folder) in the analysis view's model list. */
  async untickModels(...folders: string[]): Promise<void> {
    for (const folder of folders) {
      await this.page.getByLabel(modelDisplayName(`/models/${folder}/model.json`), { exact: true }).uncheck();
    }
  }

  async setNumber(label: string, value: number): Promise<void> {
    const input = this.page.getByLabel(label, { exact: true });
    await input.fill(String(value));
    await input.press('Tab');
  }

  attackButton(): Locator {
    return this.page.getByRole('button', { name: 'Attack', exact: true });
  }

  cancelButton(): Locator {
    return this.page.getByRole('button', { name: 'Cancel', exact: true });
  }

  /** Sets the attack controls that are given (others keep their values). */
  async configureAttack(o: {
    method?: 'fgsm' | 'bim' | 'pgd';
    norm?: 'linf' | 'l2';
    target?: string;
    epsilon?: number;
    steps?: number;
    stepSize?: number;
    restarts?: number;
    seed?: number;
  }): Promise<void> {
    if (o.method) await this.select('Attack method', o.method);
    if (o.norm) await this.select('Norm', o.norm);
    if (o.target) await this.select('Target', o.target);
    if (o.epsilon !== undefined) await this.setNumber('Epsilon', o.epsilon);
    // Steps / step size / restarts may be disabled for FGSM; only touch them when enabled.
    const optional: [string, number | undefined][] = [
      ['Steps', o.steps],
      ['Step size', o.stepSize],
      ['Restarts', o.restarts],
      ['Seed', o.seed],
    ];
    for (const [label, value] of optional) {
      if (value === undefined) continue;
      const input = this.page.getByLabel(label, { exact: true });
      if (await input.isEnabled()) await this.setNumber(label, value);
    }
  }

  /**
   * Clicks "Attack" and waits until the run, and the ε sweep after it, are over ("Cancel" gone,
   * "Attack" enabled again) and an adversarial prediction is shown; returns its text. Fails if a
   * new error banner appears meanwhile.
   */
  async attack(timeout = ATTACK_TIMEOUT_MS): Promise<string> {
    const button = this.attackButton();
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await this.until(() => button.isEnabled(), 'the "Attack" button to be enabled', 30_000);
    const alertBefore = await this.textOf('[role=alert][data-testid=error-message]', 50);
    await button.click();
    // A run may end before we see "Cancel"; give it a moment to appear, then wait for it to go.
    await this.cancelButton()
      .waitFor({ state: 'visible', timeout: 2_000 })
      .catch(() => undefined);
    await this.until(
      async () => {
        const alert = await this.textOf('[role=alert][data-testid=error-message]', 50);
        if (alert && alert !== alertBefore) throw new Error(`the attack failed with the error banner: ${alert}`);
        if (await this.cancelButton().isVisible()) return false;
        if (!(await button.isEnabled())) return false;
        // Not 50 ms: on a loaded machine one round trip to Chromium can take longer, and the wait would never end.
        return (await this.textOf('[data-testid=adv-prediction]', 1_000)) !== null;
      },
      'the attack to finish and [data-testid=adv-prediction] to show',
      timeout,
    );
    return (await this.textOf('[data-testid=adv-prediction]'))!;
  }

  /** Polls `check` every 200 ms until it resolves true; throws after `timeout` ms. */
  async until(check: () => Promise<boolean>, what: string, timeout: number): Promise<void> {
    const deadline = Date.now() + timeout;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
      await this.page.waitForTimeout(200);
    }
  }

  // ----- gallery, status -----

  /** Clicks the `nth` gallery button and waits until its digit is the model's input; returns its index and label. */
  async pickGalleryItem(nth: number): Promise<{ index: number; label: number }> {
    const button = this.testId('gallery')
      .getByRole('button', { name: /^Test image \d+, label \d$/ })
      .nth(nth);
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    const name = (await button.getAttribute('aria-label')) ?? '';
    const m = /^Test image (\d+), label (\d)$/.exec(name);
    if (!m) throw new Error(`gallery button ${nth} has the aria-label ${JSON.stringify(name)}`);
    const picked = { index: Number(m[1]), label: Number(m[2]) };
    await button.click();
    await this.waitForText(
      'preprocess-note',
      (t) => t.includes(`test image ${picked.index}`),
      `"test image ${picked.index}"`,
    );
    await this.until(
      async () => (await button.getAttribute('aria-pressed')) === 'true',
      `gallery button "${name}" to be pressed`,
      10_000,
    );
    return picked;
  }

  /** The backend named in [data-testid=status-backend] (its first backend name) and the whole text. */
  async backendStatus(): Promise<{ name: string | null; text: string }> {
    const text = await this.waitForText('status-backend', (t) => backendOf(t) !== null, 'a backend name');
    return { name: backendOf(text), text };
  }

  /**
   * The tensor count of [data-testid=status-tensors] once it has settled: the same number on
   * reads spread over `stableMs` (the status polls the worker about every 2 s).
   */
  async settledTensorCount(stableMs = 5_000, timeout = 60_000): Promise<number> {
    const deadline = Date.now() + timeout;
    let value = parseCount(await this.waitForText('status-tensors', (t) => /\d/.test(t), 'a number'));
    let since = Date.now();
    for (;;) {
      await this.page.waitForTimeout(500);
      const now = parseCount(await this.text('status-tensors'));
      if (now !== value) {
        value = now;
        since = Date.now();
      } else if (Date.now() - since >= stableMs) {
        return value;
      }
      if (Date.now() > deadline) throw new Error(`status-tensors did not settle within ${timeout} ms (last ${value})`);
    }
  }

  // ----- files -----

  /** Dispatches a `drop` of one file onto the drop zone, as a drag-and-drop from the desktop does. */
  async dropFile(name: string, mimeType: string, bytes: Buffer): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(
      ({ name, mimeType, bytes }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
        return dt;
      },
      { name, mimeType, bytes: Array.from(bytes) },
    );
    await this.page.dispatchEvent('[data-testid=drop-zone]', 'dragenter', { dataTransfer });
    await this.page.dispatchEvent('[data-testid=drop-zone]', 'dragover', { dataTransfer });
    await this.page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer });
    await dataTransfer.dispose();
  }

  /** Chooses a file through `<input type=file aria-label="Choose an image file">`. */
  async chooseFile(name: string, mimeType: string, bytes: Buffer): Promise<void> {
    await this.page
      .getByLabel('Choose an image file', { exact: true })
      .setInputFiles({ name, mimeType, buffer: bytes });
  }

  // ----- reading canvases -----

  /** RGBA pixels of a canvas (`data-testid`), its intrinsic size and simple statistics. */
  async canvasStats(id: string): Promise<CanvasStats> {
    const loc = this.testId(id).first();
    await loc.waitFor({ state: 'visible', timeout: 30_000 });
    const handle = await loc.elementHandle();
    return this.page
      .evaluate((el) => {
        const canvas = (el instanceof HTMLCanvasElement ? el : el?.querySelector('canvas')) as HTMLCanvasElement | null;
        if (!canvas) throw new Error('no <canvas> at or inside the element');
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('the canvas has no 2d context');
        const { width, height } = canvas;
        const data = ctx.getImageData(0, 0, width, height).data;
        const lum = new Array<number>(width * height);
        for (let i = 0; i < width * height; i++) {
          lum[i] = 0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2];
        }
        return { width, height, lum };
      }, handle)
      .then(statsOf);
  }
}

export interface CanvasStats {
  width: number;
  height: number;
  /** Luminance 0..255, row-major. */
  lum: number[];
  mean: number;
  variance: number;
  max: number;
  min: number;
  /** Centre of mass of the luminance, in pixels (NaN if all black). */
  cx: number;
  cy: number;
}

function statsOf(raw: { width: number; height: number; lum: number[] }): CanvasStats {
  const { width, height, lum } = raw;
  let sum = 0;
  let sumSq = 0;
  let sx = 0;
  let sy = 0;
  let max = -Infinity;
  let min = Infinity;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = lum[y * width + x];
      sum += v;
      sumSq += v * v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
      if (v > max) max = v;
      if (v < min) min = v;
    }
  }
  const n = width * height;
  const mean = sum / n;
  return { width, height, lum, mean, variance: sumSq / n - mean * mean, max, min, cx: sx / sum, cy: sy / sum };
}

// ----- parsing the texts of the contract -----

/** `Prediction: 7 (99.1%)` / `Adversarial: 3 (87.2%)` → { label: 7, percent: 99.1 }. */
export function parsePrediction(
  text: string,
  prefix: 'Prediction' | 'Adversarial',
): { label: number; percent: number } {
  const m = new RegExp(`${prefix}:?\\s*(\\d)\\s*\\(\\s*([\\d.]+)\\s*%\\s*\\)`).exec(text);
  if (!m) throw new Error(`expected "${prefix}: <digit> (<p>%)", got ${JSON.stringify(text)}`);
  return { label: Number(m[1]), percent: Number(m[2]) };
}

/** `‖δ‖∞ = 0.300 … ‖δ‖₂ = 4.12` → { linf: 0.3, l2: 4.12 }. */
export function parseNorms(text: string): { linf: number; l2: number } {
  const linf = /‖δ‖∞\s*=\s*([\d.]+(?:e-?\d+)?)/.exec(text);
  const l2 = /‖δ‖₂\s*=\s*([\d.]+(?:e-?\d+)?)/.exec(text);
  if (!linf || !l2) throw new Error(`expected "‖δ‖∞ = x" and "‖δ‖₂ = y" in ${JSON.stringify(text)}`);
  return { linf: Number(linf[1]), l2: Number(l2[1]) };
}

/** The first integer in a text, e.g. the tensor count of `Tensors: 1,234`. */
export function parseCount(text: string): number {
  const m = /(\d[\d,\u202f\u00a0 ]*)/.exec(text);
  if (!m) throw new Error(`expected a number in ${JSON.stringify(text)}`);
  return Number(m[1].replace(/[,\u202f\u00a0 ]/g, ''));
}

/** The first backend name in a text such as `Backend: wasm — wasm (SIMD) on the CPU: …`. */
export function backendOf(text: string): string | null {
  const m = /\b(webgpu|webgl|wasm|cpu)\b/i.exec(text);
  return m ? m[1].toLowerCase() : null;
}

/** Reads `Prediction: 7 (99.1%)` from [data-testid=clean-prediction]. */
export async function cleanPrediction(app: App): Promise<{ label: number; percent: number }> {
  const text = await app.waitForText(
    'clean-prediction',
    (t) => /Prediction:?\s*\d\s*\(/.test(t),
    '"Prediction: <digit> (<p>%)"',
  );
  return parsePrediction(text, 'Prediction');
}

// ----- the analysis view -----

/** How long one analysis button may run in the browser tests. */
export const RUN_TIMEOUT_MS = 240_000;

/** A screenshot of one panel (by its heading id), to look at the charts at full size. */
export async function panelShot(app: App, headingId: string, label: string): Promise<void> {
  await app.page
    .locator(`section[aria-labelledby="${headingId}"]`)
    .screenshot({ path: `test-results/analysis-panel-${label}.png`, timeout: 15_000 });
}

/**
 * Clicks a button, then waits until it is enabled again (the task is over) and `ready` says yes; fails on a new error
 * banner.
 */
export async function runAndWait(
  app: App,
  button: string,
  ready: () => Promise<boolean>,
  what: string,
  timeout = RUN_TIMEOUT_MS,
): Promise<number> {
  const b = app.page.getByRole('button', { name: button, exact: true });
  await app.until(() => b.isEnabled(), `"${button}" to be enabled`, 60_000);
  const alertBefore = await app.textOf('[role=alert][data-testid=error-message]', 50);
  const started = Date.now();
  await b.click();
  await app.until(
    async () => {
      const alert = await app.textOf('[role=alert][data-testid=error-message]', 50);
      if (alert && alert !== alertBefore) throw new Error(`"${button}" failed with the error banner: ${alert}`);
      return (await b.isEnabled()) && (await ready());
    },
    what,
    timeout,
  );
  return (Date.now() - started) / 1000;
}

/** Every element with this test id holds a drawn chart: an svg with at least `min` path elements. */
export async function chartsDrawn(app: App, testId: string, min = 1): Promise<boolean> {
  const cards = app.testId(testId);
  const n = await cards.count();
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    // A chart-library chart or a plain SVG one (src/ui/common/PlainChart.tsx).
    const paths = await cards.nth(i).locator('svg.recharts-surface path, svg.plain-chart-surface path').count();
    if (paths < min) return false;
  }
  return true;
}

export type ChartSeries = Record<string, { n: number; first?: number; last?: number }>;

/** A training chart's series of one metric, per run, from its data-series attribute ({} before it draws). */
export async function chartSeries(app: App, metric: string): Promise<ChartSeries> {
  const raw = await app.page
    .getByTestId(`chart-${metric}`)
    .getAttribute('data-series', { timeout: 1_000 })
    .catch(() => null);
  return raw ? (JSON.parse(raw) as ChartSeries) : {};
}

/**
 * The text of a cell in the training lab's results table, as it is shown: the row of the run named `run` (its row
 * header), the column headed `column`.
 */
export async function runResultCell(app: App, run: string, column: string): Promise<string> {
  const table = app.testId('run-results');
  const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
  const at = headers.indexOf(column);
  if (at < 1) throw new Error(`the run results have no "${column}" column: ${JSON.stringify(headers)}`);
  const row = table.getByRole('row').filter({ has: app.page.getByRole('rowheader', { name: run, exact: true }) });
  // The row header is the first column; the cells are the others.
  return (
    (await row
      .getByRole('cell')
      .nth(at - 1)
      .textContent()) ?? ''
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** A percentage shown in the results table ("20.0%") as a share (0.2); fails on any other text. */
export async function runResultShare(app: App, run: string, column: string): Promise<number> {
  const text = await runResultCell(app, run, column);
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (!m) throw new Error(`the ${column} of ${run} is ${JSON.stringify(text)}, not a percentage`);
  return Number(m[1]) / 100;
}

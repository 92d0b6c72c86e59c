/**
 * The bench's start-up figures taken in a Chromium with no inspector attached: a plain headless process given the
 * address, each in a fresh profile (a first visit), the page reporting its own long tasks and first prediction.
 *
 * Why not through Playwright, as the other phases are: an attached DevTools-protocol client changes what a page's
 * start costs. With the Runtime domain on, V8 captures a detailed stack trace for every Error object created, with
 * source positions, which V8 otherwise never computes for a script that has not thrown: React DOM creates five
 * Error objects as it loads, so the whole bundle's top level was parsed a second time inside the module script's
 * task (70–110 ms of `V8.CollectSourcePositions` in a Chrome trace, on this 2-core machine); and Playwright's
 * `waitForFunction` evaluates its own injected script in the page, a further task of 50–100 ms. Neither happens for
 * a user, and both were counted as the app's start-up.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Plugin, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

/**
 * The switches Playwright starts Chromium with that bear on a page's speed (the other phases and earlier figures ran
 * under them): a page treated as in the foreground, and no extensions, component apps or field trials beside it.
 */
const AS_PLAYWRIGHT = [
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-extensions',
  '--disable-component-extensions-with-background-pages',
  '--disable-default-apps',
  '--disable-field-trial-config',
  '--disable-breakpad',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--metrics-recording-only',
  '--no-default-browser-check',
];

/** What one start reported: ms to the first prediction, and every main-thread task over 50 ms until then. */
export interface UninspectedStart {
  firstPredictionMs: number;
  longTasks: { start: number; duration: number }[];
}

const REPORT_PATH = '/__bench-startup-report';
const WARM_UP_PATH = '/__bench-warm-up';
/**
 * How long the browser runs before it opens the app. A browser process just started is busy for a second or two
 * (its GPU process, network service, storage) on the same 2 cores; a user following a link has it running. The app
 * then opens from another site (127.0.0.1 → localhost), so in a renderer process of its own, as cold as a first
 * visit's.
 */
const WARM_UP_MS = 3_000;
const START_TIMEOUT_MS = 120_000;
/** After the first prediction, how long the page keeps observing before it reports (the renders it causes). */
const SETTLE_MS = 500;

/**
 * Runs in the page before its own scripts (inlined at the top of `<head>`): observes long tasks from navigation on,
 * and once the app is ready posts them with the first prediction's time.
 */
const REPORTER = `<script>(() => {
  const tasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const poll = setInterval(() => {
    if (window.__playground?.ready !== true) return;
    clearInterval(poll);
    setTimeout(() => {
      const ready = window.__playground.firstPredictionMs;
      const body = JSON.stringify({ firstPredictionMs: ready, longTasks: tasks });
      fetch('${REPORT_PATH}', { method: 'POST', body });
    }, ${SETTLE_MS});
  }, 100);
})();</script>`;

/** Serves dist/ as `vite preview` does, with the reporter inlined into the page and an address it reports to. */
function reportingPlugin(outDir: string, onReport: (body: string) => void): Plugin {
  const page = readFileSync(join(outDir, 'index.html'), 'utf8').replace('<head>', `<head>${REPORTER}`);
  return {
    name: 'bench-startup-report',
    configurePreviewServer(server) {
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        if (req.url === REPORT_PATH && req.method === 'POST') {
          let body = '';
          req.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          req.on('end', () => {
            res.end();
            onReport(body);
          });
          return;
        }
        if (req.url?.startsWith(WARM_UP_PATH)) {
          const app = new URL(req.url, 'http://x').searchParams.get('app') ?? '/';
          res.setHeader('Content-Type', 'text/html');
          res.end(`<script>setTimeout(() => { location.href = ${JSON.stringify(app)}; }, ${WARM_UP_MS});</script>`);
          return;
        }
        if (req.url === '/' || req.url === '/index.html') {
          // Cross-origin isolation (vite.config.ts), without which the wasm backend runs one thread.
          for (const [name, value] of Object.entries(server.config.preview.headers ?? {})) {
            if (value !== undefined) res.setHeader(name, value);
          }
          res.setHeader('Content-Type', 'text/html');
          res.end(page);
          return;
        }
        next();
      });
    },
  };
}

/** Starts the app `runs` times, each in a fresh Chromium profile with no inspector. */
export async function uninspectedStarts(
  outDir: string,
  runs: number,
  log: (line: string) => void,
): Promise<UninspectedStart[]> {
  let resolveReport: (body: string) => void = () => undefined;
  const server = await preview({
    plugins: [reportingPlugin(outDir, (body) => resolveReport(body))],
    build: { outDir },
    preview: { port: 4182, strictPort: false, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 4182;
  const starts: UninspectedStart[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const profile = mkdtempSync(join(tmpdir(), 'bench-startup-'));
      const reported = new Promise<string>((resolve, reject) => {
        resolveReport = resolve;
        setTimeout(() => reject(new Error('The app did not report its start within 2 minutes.')), START_TIMEOUT_MS);
      });
      const args = [
        ...CHROMIUM_ARGS,
        ...AS_PLAYWRIGHT,
        '--headless',
        '--window-size=1280,800',
        `--user-data-dir=${profile}`,
      ];
      // A process group of its own, so that the renderers and the GPU process go with the browser.
      const chromium = spawn(CHROMIUM_PATH, [...args, `http://localhost:${port}/`], {
        stdio: 'ignore',
        detached: true,
      });
      const exited = new Promise((resolve) => chromium.once('exit', resolve));
      try {
        const start = JSON.parse(await reported) as UninspectedStart;
        starts.push(start);
        const tasks = start.longTasks.map((t) => Math.round(t.duration));
        log(
          `chromium, no inspector: first prediction after ${Math.round(start.firstPredictionMs)} ms, ` +
            `long tasks until then ${JSON.stringify(tasks)} ms`,
        );
      } finally {
        if (chromium.pid !== undefined) process.kill(-chromium.pid, 'SIGKILL');
        await exited;
        rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      }
    }
  } finally {
    server.httpServer.close();
  }
  return starts;
}

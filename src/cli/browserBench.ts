/**
 * The browser half of `npm run bench`: builds the app if needed, serves dist/ with vite preview,
 * and for each backend opens the app in headless Debian Chromium (WebGPU through SwiftShader),
 * records the time from navigation to the first prediction, then presses the app's own
 * "Benchmark this device" button and reads its JSON result; then the main thread's responsiveness
 * (mainThreadBench.ts). With `suite: 'reference'` it runs the panel's reference suite instead (the
 * architectures of the native PyTorch reference), per backend.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { REFERENCE_ARCHITECTURES, type ReferenceArchitecture } from '../core/bench/referenceArchitectures';
import { InvalidOptionError } from '../core/util/errors';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { benchmarkMainThread } from './mainThreadBench';

/** `wasm-1-thread`: wasm limited to one thread, beside `wasm` on every core (issue 18: what the threads buy). */
const BACKENDS = ['wasm', 'wasm-1-thread', 'webgpu', 'webgl'] as const;
/** The paper-size models take minutes a backend (software WebGPU: tens of minutes). */
const PAGE_TIMEOUT_MS = 600_000;
const REFERENCE_TIMEOUT_MS = 3_600_000;

export interface BrowserBenchOptions {
  suite?: 'default' | 'reference';
  archs?: readonly ReferenceArchitecture[];
  /** Backends to open the app on (all three by default). */
  backends?: readonly (typeof BACKENDS)[number][];
}

export function parseBrowserBackends(list: string | undefined): (typeof BACKENDS)[number][] {
  if (list === undefined) return [...BACKENDS];
  const names = list.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(BACKENDS as readonly string[]).includes(name)) {
      throw new InvalidOptionError(`Unknown browser backend "${name}". Choose from: ${BACKENDS.join(', ')}.`);
    }
  }
  return names as (typeof BACKENDS)[number][];
}

export async function benchmarkInChromium(o: BrowserBenchOptions = {}): Promise<Record<string, unknown>> {
  const reference = o.suite === 'reference';
  if (!existsSync('dist/index.html')) {
    process.stderr.write('chromium: building the app\n');
    await build({ logLevel: 'warn' });
  }
  const server = await preview({ preview: { port: 4180, strictPort: false, host: '127.0.0.1' }, logLevel: 'warn' });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 4180;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const out: Record<string, unknown> = { userAgent: '' };
  try {
    for (const backend of o.backends ?? BACKENDS) {
      process.stderr.write(`chromium/${backend}: loading\n`);
      const context = await browser.newContext();
      const oneThread = backend === 'wasm-1-thread';
      if (oneThread) {
        // Read by the page before it starts the worker (src/state/readiness.ts).
        await context.addInitScript(() => {
          (window as unknown as { __playground: { ready: boolean; wasmThreads: number } }).__playground = {
            ready: false,
            wasmThreads: 1,
          };
        });
      }
      const page = await context.newPage();
      page.setDefaultTimeout(reference ? REFERENCE_TIMEOUT_MS : PAGE_TIMEOUT_MS);
      try {
        await page.goto(`http://localhost:${port}/?backend=${oneThread ? 'wasm' : backend}`);
        await page.waitForFunction(
          () => (window as unknown as { __playground?: { ready?: boolean } }).__playground?.ready === true,
        );
        const firstPredictionMs = await page.evaluate(
          () => (window as unknown as { __playground: { firstPredictionMs?: number } }).__playground.firstPredictionMs,
        );
        const status = await page.textContent('[data-testid=status-backend]');
        const threads = await page
          .locator('[data-testid=status-threads]')
          .textContent({ timeout: 1_000 })
          .catch(() => null);
        out.userAgent = await page.evaluate(() => navigator.userAgent);
        process.stderr.write(`chromium/${backend}: benchmarking (${status?.trim()})\n`);
        await page.locator('details.device-benchmark > summary').click();
        const panel = page.locator('details.device-benchmark');
        if (reference) {
          for (const arch of REFERENCE_ARCHITECTURES) {
            await panel.getByRole('checkbox', { name: arch, exact: true }).setChecked(o.archs?.includes(arch) ?? true);
          }
          await panel.getByRole('button', { name: 'Run the reference suite', exact: true }).click();
        } else {
          await panel.getByRole('button', { name: 'Benchmark this device', exact: true }).click();
        }
        await page.waitForSelector('[data-testid=benchmark-result][data-done=true]');
        const json = JSON.parse((await page.textContent('[data-testid=benchmark-result]')) ?? '{}');
        out[backend] = { status: status?.trim(), threads: threads?.trim(), firstPredictionMs, ...json };
      } catch (err) {
        out[backend] = { error: (err as Error).message.split('\n')[0] };
      } finally {
        await context.close();
      }
    }
    out.mainThread = await benchmarkMainThread(browser, `http://localhost:${port}`).catch((err: Error) => ({
      error: err.message.split('\n')[0],
    }));
  } finally {
    await browser.close();
    server.httpServer.close();
  }
  return out;
}

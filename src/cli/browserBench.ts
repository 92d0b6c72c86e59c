/**
 * The browser half of `npm run bench`: builds the app if needed, serves dist/ with vite preview,
 * and for each backend opens the app in headless Debian Chromium (WebGPU through SwiftShader),
 * records the time from navigation to the first prediction, then presses the app's own
 * "Benchmark this device" button and reads its JSON result; then the main thread's responsiveness
 * (mainThreadBench.ts).
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { benchmarkMainThread } from './mainThreadBench';

const BACKENDS = ['wasm', 'webgpu', 'webgl'] as const;
const PAGE_TIMEOUT_MS = 600_000;

export async function benchmarkInChromium(): Promise<Record<string, unknown>> {
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
    for (const backend of BACKENDS) {
      process.stderr.write(`chromium/${backend}: loading\n`);
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(PAGE_TIMEOUT_MS);
      try {
        await page.goto(`http://localhost:${port}/?backend=${backend}`);
        await page.waitForFunction(
          () => (window as unknown as { __playground?: { ready?: boolean } }).__playground?.ready === true,
        );
        const firstPredictionMs = await page.evaluate(
          () => (window as unknown as { __playground: { firstPredictionMs?: number } }).__playground.firstPredictionMs,
        );
        const status = await page.textContent('[data-testid=status-backend]');
        out.userAgent = await page.evaluate(() => navigator.userAgent);
        process.stderr.write(`chromium/${backend}: benchmarking (${status?.trim()})\n`);
        await page.locator('details.device-benchmark > summary').click();
        await page
          .locator('details.device-benchmark')
          .getByRole('button', { name: 'Benchmark this device', exact: true })
          .click();
        await page.waitForSelector('[data-testid=benchmark-result][data-done=true]');
        const json = JSON.parse((await page.textContent('[data-testid=benchmark-result]')) ?? '{}');
        out[backend] = { status: status?.trim(), firstPredictionMs, ...json };
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

/**
 * Global setup of the browser Vitest projects: serves the BUILT app (dist/, made by `vite build`,
 * which `npm run test:browser` runs first) with `vite preview` on a free port and hands its URL to
 * the test files through `inject('baseUrl')`. The URL uses `localhost`, not 127.0.0.1, because
 * WebGPU is only exposed to secure contexts and `http://localhost` is one.
 *
 * It also starts the one headless Chromium the files share (`inject('browserWsEndpoint')`): each file connects to it
 * and opens its own browser context (fresh storage, cache and service workers), instead of launching and closing a
 * browser of its own — a second or two of CPU per file, and the browser's own start-up work beside the app's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserServer, chromium } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/cli/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the preview server serves dist/, e.g. `http://localhost:41234`. */
    baseUrl: string;
    /** The shared Chromium's address for `chromium.connect`. */
    browserWsEndpoint: string;
  }
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The README promises `npm test` on a fresh Debian machine: when Chromium is missing and we are
 * root with apt-get (as on a fresh machine or in CI), install Debian's package; otherwise say how.
 */
function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM_PATH}: run \`sudo apt-get install -y chromium\` (or ` +
        `set CHROMIUM_PATH).`,
    );
  }
  process.stderr.write(`Chromium is missing: installing Debian's chromium package (apt-get)…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureChromium();
  // BROWSER_TEST_DIST serves another build directory (for checking the harness itself).
  const outDir = resolve(ROOT, process.env.BROWSER_TEST_DIST ?? 'dist');
  const distIndex = join(outDir, 'index.html');
  if (!existsSync(distIndex)) {
    throw new Error(
      `The browser tests serve the built app, but ${distIndex} does not exist. ` +
        'Run `npx vite build` first (`npm run test:browser` does).',
    );
  }
  const server: PreviewServer = await preview({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') {
    await server.close();
    throw new Error(`vite preview did not report a TCP port (address: ${String(address)})`);
  }
  const baseUrl = `http://localhost:${address.port}`;
  project.provide('baseUrl', baseUrl);
  let browser: BrowserServer;
  try {
    browser = await chromium.launchServer({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  } catch (err) {
    await server.close();
    throw err;
  }
  project.provide('browserWsEndpoint', browser.wsEndpoint());
  return async () => {
    await browser.close();
    await server.close();
  };
}

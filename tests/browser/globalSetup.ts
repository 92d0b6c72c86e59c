/**
 * Global setup of the "browser" Vitest project: serves the BUILT app (dist/, made by `vite build`,
 * which `npm run test:browser` runs first) with `vite preview` on a free port and hands its URL to
 * the test files through `inject('baseUrl')`. The URL uses `localhost`, not 127.0.0.1, because
 * WebGPU is only exposed to secure contexts and `http://localhost` is one.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the preview server serves dist/, e.g. `http://localhost:41234`. */
    baseUrl: string;
  }
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
  return async () => {
    await server.close();
  };
}

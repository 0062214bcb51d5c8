import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';
import type { Browser } from 'puppeteer';
import { launchChromium } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    wsEndpoint: string;
  }
}

/**
 * Starts one Vite dev server on 127.0.0.1 (WebGPU needs a secure context) and one headless Chromium
 * for all browser tests, checks that WebGPU really works there, and logs the adapter. If WebGPU is
 * missing the whole run fails here, loudly, instead of skipping GPU tests.
 */
export default async function setup(project: TestProject) {
  const server: ViteDevServer = await createServer({
    configFile: 'vite.config.ts',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite dev server did not report a port');
  const baseUrl = `http://127.0.0.1:${address.port}`;

  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    await server.close();
    throw new Error(
      `Could not start Chromium for the GPU tests: ${(err as Error).message}\n` +
        'Install it (Debian: apt-get install chromium) or set PUPPETEER_EXECUTABLE_PATH.',
    );
  }

  const page = await browser.newPage();
  await page.goto(`${baseUrl}/tests/browser/harness.html`);
  const summary = await page.evaluate(async () => {
    const gp = (window as unknown as { gp: { ready: Promise<unknown> } }).gp;
    return JSON.stringify(await gp.ready);
  });
  await page.close();
  console.log(`[gpu tests] WebGPU adapter: ${summary}`);

  project.provide('baseUrl', baseUrl);
  project.provide('wsEndpoint', browser.wsEndpoint());

  return async () => {
    await browser.close();
    await server.close();
  };
}

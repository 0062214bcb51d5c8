// A Vite dev server on 127.0.0.1 (WebGPU needs a secure context) for scripts that drive Chromium.
import { createServer } from 'vite';

/** Starts the dev server on a free port; returns its base URL and a close(). */
export async function serve() {
  const server = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1', port: 0, hmr: false }, logLevel: 'warn' });
  await server.listen();
  const { port } = server.httpServer.address();
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/**
 * Serves the repo, opens the test harness page (`window.gp`: the library and a GPU context) in headless
 * Chromium with WebGPU, runs `fn(page)` and closes everything.
 */
export async function withHarnessPage(fn) {
  const { launchChromium } = await import('./chromium.mjs');
  const server = await serve();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('[page]', e));
    await page.goto(`${server.baseUrl}/tests/browser/harness.html`);
    return await fn(page);
  } finally {
    await browser.close();
    await server.close();
  }
}

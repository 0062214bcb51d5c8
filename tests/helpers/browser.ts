import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer';

/** A page of the shared headless Chromium with the harness (`window.gp`) loaded and its GPU ready. */
export interface HarnessPage {
  page: Page;
  close(): Promise<void>;
}

/** Opens `path` (default: the test harness) in the shared Chromium and waits for the GPU context. */
export async function openHarness(path = '/tests/browser/harness.html'): Promise<HarnessPage> {
  const browser: Browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error('[page error]', err));
  await page.goto(inject('baseUrl') + path);
  if (path.includes('harness')) {
    await page.evaluate(async () => {
      await (window as unknown as { gp: { ready: Promise<unknown> } }).gp.ready;
    });
  }
  return {
    page,
    async close() {
      await page.close();
      await browser.disconnect();
    },
  };
}

/** Base64 of a typed array's bytes (decoded in the page by gp.f32 / gp.u32). */
export function b64(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Float32Array from base64 produced by gp.toB64 in the page. */
export function fromB64F32(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

declare global {
  interface Window {
    gp: import('../browser/harness').Harness;
  }
}

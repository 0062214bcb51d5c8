import { inject } from 'vitest';
import puppeteer, { type Browser, type BrowserContext, type Page, type Viewport } from 'puppeteer';

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

/** Connects to the shared headless Chromium that tests/setup/browser-global.ts started (disconnect it in afterAll). */
export function connectBrowser(): Promise<Browser> {
  return puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
}

/**
 * A new page of `owner` (the shared browser, or a test file's own context) that logs its page errors and
 * counts as focused: test files share one browser, so without that a page another file brought to the front
 * would take the focus, and focus-driven behaviour (tooltips on focus, keyboard input) would depend on which
 * file ran when.
 */
export async function newTestPage(owner: Browser | BrowserContext, viewport?: Viewport): Promise<Page> {
  const page = await owner.newPage();
  await page.emulateFocusedPage(true);
  if (viewport) await page.setViewport(viewport);
  page.on('pageerror', (err) => console.error('[page error]', err));
  return page;
}

/** A page in a test file's own browser context: its storage (drafts, overrides, language) reaches no other file. */
export interface OwnContextPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Opens a page in a new browser context of the shared Chromium; `harness`: loads the test harness and waits for its GPU. */
export async function openOwnContext(options: { viewport?: Viewport; harness?: boolean } = {}): Promise<OwnContextPage> {
  const browser = await connectBrowser();
  const context = await browser.createBrowserContext();
  const page = await newTestPage(context, options.viewport);
  if (options.harness) {
    await page.goto(inject('baseUrl') + '/tests/browser/harness.html');
    await page.evaluate(async () => {
      await window.gp.ready;
    });
  }
  return {
    browser,
    context,
    page,
    async close() {
      await context.close();
      await browser.disconnect();
    },
  };
}

/**
 * Goes to `path` of the app (`/index.html#/depth-lab?…`) and waits until the view `tag` in the app shell
 * has been handed its GPU context.
 */
export async function gotoView(page: Page, path: string, tag: string, timeout = 60_000): Promise<void> {
  await page.goto(inject('baseUrl') + path);
  await page.waitForFunction(
    (tag) => !!(document.querySelector('gp-app')?.shadowRoot?.querySelector(tag) as { gpu?: unknown } | null | undefined)?.gpu,
    { timeout },
    tag,
  );
}

/**
 * Runs `fn(root, arg)` in the page with the shadow root of the app shell's view `tag` (`gp-shader-playground`).
 * `fn` travels as source text, so it may use only its arguments.
 */
export function inAppView<T, A = undefined>(page: Page, tag: string, fn: (root: ShadowRoot, arg: A) => T, arg?: A): Promise<T> {
  return page.evaluate(
    (tag, src, arg) => {
      const root = document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!;
      return new Function('root', 'arg', `return (${src})(root, arg);`)(root, arg);
    },
    tag,
    fn.toString(),
    arg as unknown,
  ) as Promise<T>;
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

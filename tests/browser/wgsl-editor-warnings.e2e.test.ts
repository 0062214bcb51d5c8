// The Shaders view loads without Lit's dev-mode "scheduled an update … after an update completed" warning
// from gp-wgsl-editor (issue 15 item 9): the page's console is recorded from the first load, through the
// editor showing the kernel and its compile, and through switching kernels (a docKey change). Its own
// browser context (localStorage of drafts never reaches other tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer';

let browser: Browser;
let context: BrowserContext;
let page: Page;
const messages: string[] = [];

beforeAll(async () => {
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  context = await browser.createBrowserContext();
  page = await context.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (err) => messages.push(`pageerror: ${(err as Error).message}`));
});

afterAll(async () => {
  await context?.close();
  await browser?.disconnect();
});

const updateWarnings = () => messages.filter((m) => /scheduled an update|change-in-update/i.test(m));

describe('gp-wgsl-editor: no update scheduled after an update completed', () => {
  it('loads the Shaders view, compiles and switches kernels without the Lit warning', async () => {
    await page.goto(`${inject('baseUrl')}/index.html#/shaders`);
    await page.waitForFunction(
      () => {
        const pg = document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-shader-playground');
        return !!pg?.gpu && !!pg.shadowRoot?.querySelector('gp-wgsl-editor')?.editorView;
      },
      { timeout: 150_000 },
    );
    const compiled = () =>
      page.waitForFunction(
        () =>
          document
            .querySelector('gp-app')!
            .shadowRoot!.querySelector('gp-shader-playground')!
            .shadowRoot!.querySelector('[data-testid=compile-status]')
            ?.getAttribute('data-state') === 'ok',
        { timeout: 120_000 },
      );
    await compiled();
    // Lit's dev mode is on in the dev server (its "dev mode" notice proves the warnings would be printed).
    expect(messages.some((m) => /Lit is in dev mode/i.test(m))).toBe(true);
    expect(updateWarnings()).toEqual([]);

    // Another kernel: the editor swaps documents (docKey) and the view compiles the new text.
    const other = await page.evaluate(() => {
      const root = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!;
      const next = [...root.querySelectorAll<HTMLButtonElement>('button[data-kernel]')].find((b) => b.getAttribute('aria-current') !== 'true')!;
      next.click();
      return next.dataset.kernel!;
    });
    expect(other).toBeTruthy();
    await page.waitForFunction(
      (other) =>
        document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('gp-wgsl-editor')!.docKey === other,
      { timeout: 60_000 },
      other,
    );
    await compiled();
    expect(updateWarnings()).toEqual([]);
  }, 400_000);
});

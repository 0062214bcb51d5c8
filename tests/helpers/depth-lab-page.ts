// The Depth lab in the app page, for its end-to-end tests: open it, press its buttons, wait for a run to end.
import type { Browser, Page } from 'puppeteer';
import { gotoView, newTestPage } from './browser';

/**
 * Opens the app at `path` (`/index.html#/depth-lab?…`, `/index.html?debug=…#/depth-lab?…`) in a new
 * 1280 × 900 page of the shared browser and waits until the shell has handed the Depth lab its GPU context.
 */
export async function openDepthLab(browser: Browser, path: string): Promise<Page> {
  const page = await newTestPage(browser, { width: 1280, height: 900 });
  await gotoView(page, path, 'gp-depth-lab');
  return page;
}

/** Clicks the element `selector` (`[data-testid=run]`) in the Depth lab's shadow root. */
export function clickInDepthLab(page: Page, selector: string): Promise<void> {
  return page.evaluate((selector) => {
    const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!;
    (lab.shadowRoot!.querySelector(selector) as HTMLElement).click();
  }, selector);
}

/** Waits (up to `timeout` ms) until the Depth lab's run has ended: complete, cancelled or error. */
export async function waitForDepthRunEnd(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const s = document
        .querySelector('gp-app')
        ?.shadowRoot?.querySelector('gp-depth-lab')
        ?.shadowRoot?.querySelector('[data-run-state]')
        ?.getAttribute('data-run-state');
      return s === 'complete' || s === 'cancelled' || s === 'error';
    },
    { timeout, polling: 250 },
  );
}

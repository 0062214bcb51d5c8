/**
 * Polls `check` every 200 ms until it resolves true; after `timeout` ms throws "timed out after … waiting for
 * `what`". For conditions read through puppeteer's `>>>` selectors, which waitForFunction cannot use.
 */
export async function waitFor(check: () => Promise<boolean>, what: string, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The Normalization lab in the app page, for its end-to-end tests: open it, read it, run it.
import type { Browser, Page } from 'puppeteer';
import { inject } from 'vitest';
import { newTestPage } from './browser';

/** The lab element, as an expression the page evaluates. */
export const NORMALIZE_LAB = 'document.querySelector("gp-app").shadowRoot.querySelector("gp-normalize-lab")';

/**
 * Opens the lab at `query` (with `?debug=<debug>` when given) in a new 1280 × 1000 page of the shared browser and
 * waits until it is ready: handed a GPU context, or, with `debug = 'no-webgpu'`, the shell on its CPU fallback.
 */
export async function openNormalizeLab(browser: Browser, query: string, debug = ''): Promise<Page> {
  const page = await newTestPage(browser, { width: 1280, height: 1000 });
  await page.goto(`${inject('baseUrl')}/index.html${debug ? `?debug=${debug}` : ''}#/normalization-lab?${query}`);
  if (debug === 'no-webgpu') {
    await page.waitForFunction(() => (document.querySelector('gp-app') as unknown as { cpuFallback?: boolean } | null)?.cpuFallback === true, {
      timeout: 60_000,
    });
  } else {
    await page.waitForFunction(() => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-normalize-lab')?.gpu, { timeout: 180_000 });
  }
  return page;
}

/** Runs the statements `fn` in the page with `root` (the lab's shadow root) and `el` (the lab); returns what they return. */
export function inNormalizeLab<T>(page: Page, fn: string): Promise<T> {
  return page.evaluate(`(async () => { const root = ${NORMALIZE_LAB}.shadowRoot; const el = ${NORMALIZE_LAB}; ${fn} })()`) as Promise<T>;
}

/** The whitespace-collapsed text of `sel` in the lab, or null when it is not there. */
export const normalizeLabText = (page: Page, sel: string) =>
  inNormalizeLab<string | null>(page, `const e = root.querySelector(${JSON.stringify(sel)}); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;`);

/**
 * Clicks Run and waits within `timeout` ms until this run has ended: a new run on screen (`shown` is another
 * object than before the click) in the 'complete' state, or the 'error' state with this run's error (a run
 * clears runError as it starts, synchronously in the click). Not by first waiting to see 'running': a short
 * run can start and end between two polls.
 */
export async function runNormalizeLab(page: Page, timeout: number): Promise<void> {
  // First let the lab settle: no run in progress and no descent rerun pending (a rate or mode change reruns the
  // descents after a pause). Otherwise that rerun could start between the wait and the click, which a disabled
  // Run button ignores, and its result would pass for this run's.
  await page.waitForFunction(
    (l) => {
      const el = eval(l) as HTMLElement & { session: { running: boolean }; descentTimer: unknown };
      const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid=run]');
      return !el.session.running && el.descentTimer === null && button !== null && !button.disabled;
    },
    { timeout, polling: 50 },
    NORMALIZE_LAB,
  );
  await inNormalizeLab<void>(page, `el.__shownBeforeRun = el.shown; root.querySelector('[data-testid=run]').click();`);
  await page.waitForFunction(
    (l) => {
      const el = eval(l) as HTMLElement & { shown: unknown; __shownBeforeRun: unknown; session: { running: boolean; runError: string | null } };
      const state = el.shadowRoot!.querySelector('[data-run-state]')!.getAttribute('data-run-state');
      if (el.session.running) return false;
      return (state === 'complete' && el.shown !== el.__shownBeforeRun) || (state === 'error' && el.session.runError !== null);
    },
    { timeout, polling: 50 },
    NORMALIZE_LAB,
  );
}

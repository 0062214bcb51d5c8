import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { homeLessons } from '../../src/ui/home-lessons';

// The home view at `/` (real WebGPU on SwiftShader): the two lessons with their start buttons, the
// developers' views as secondary links, the one-line adapter header, and a start button that opens the
// Depth lab on its preset and runs it.

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (err) => console.error('[page error]', err));
  await page.goto(`${inject('baseUrl')}/`);
});
afterAll(async () => {
  await page?.close();
  await browser?.disconnect();
});

const text = (selector: string) => page.$eval(selector, (el) => ((el.shadowRoot ?? el).textContent ?? '').replace(/\s+/g, ' ').trim());

async function waitFor(selector: string, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  while ((await page.$(selector)) === null) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${selector}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('home view', () => {
  it('opens on the two lessons, with start links into both labs and the developer views secondary', async () => {
    await waitFor('gp-app >>> gp-home >>> [data-testid=home]');
    // Once the adapter is known the start links take its preset size.
    await waitFor('gp-app >>> gp-adapter-info >>> [data-testid=adapter]');
    expect(await text('gp-app >>> nav a[aria-current=page]')).toBe('Home');
    const lessons = await page.$$eval('gp-app >>> gp-home >>> [data-testid=lesson]', (els) => els.map((e) => e.getAttribute('data-lesson')));
    // SwiftShader is a software adapter: the start links open the presets' small sizes.
    const HOME_LESSONS = homeLessons('small');
    expect(lessons).toEqual(HOME_LESSONS.map((l) => l.id));
    const starts = await page.$$eval('gp-app >>> gp-home >>> a[data-testid=start]', (as) => as.map((a) => a.getAttribute('href')));
    expect(starts).toEqual(HOME_LESSONS.flatMap((l) => l.starts.map((s) => `#/${s.route}?${s.query}`)));
    expect(starts.some((h) => h!.startsWith('#/depth-lab?'))).toBe(true);
    expect(starts.some((h) => h!.startsWith('#/normalization-lab?'))).toBe(true);
    const home = await text('gp-app >>> gp-home');
    expect(home).toContain('not σ²');
    const dev = await page.$$eval('gp-app >>> gp-home >>> [data-testid=dev-views] a', (as) => as.map((a) => a.getAttribute('href')));
    expect(dev).toEqual(['#/kernel-check', '#/shaders', '#/performance']);
    // The Kernel check is not what a learner lands on.
    expect(await page.$eval('gp-app >>> gp-kernel-check', (el) => el.parentElement!.hidden)).toBe(true);
  });

  it('says in one line which GPU runs the lessons, with the limits behind a disclosure', async () => {
    await waitFor('gp-app >>> gp-adapter-info >>> [data-testid=adapter]');
    expect(await text('gp-app >>> gp-adapter-info >>> [data-testid=adapter-kind]')).toContain('software adapter');
    const open = await page.$eval('gp-app >>> gp-adapter-info >>> details', (d) => (d as HTMLDetailsElement).open);
    expect(open).toBe(false);
    const limitsVisible = await page.$eval('gp-app >>> gp-adapter-info >>> dl', (dl) => dl.checkVisibility());
    expect(limitsVisible).toBe(false);
  });

  it('starts the Depth lab on the lecture preset and runs it', async () => {
    await page.click('gp-app >>> gp-home >>> a[data-start="lecture-1.5I"]');
    await page.waitForFunction(() => location.hash.startsWith('#/depth-lab?'));
    expect(await text('gp-app >>> nav a[aria-current=page]')).toBe('Depth lab');
    // Run was pressed for the learner: rows arrive without touching the lab's controls.
    await page.waitForFunction(
      () => {
        const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!;
        const state = lab.querySelector('[data-testid=depth-lab]')?.getAttribute('data-run-state');
        return state === 'running' || state === 'complete';
      },
      { timeout: 60_000 },
    );
    const pressed = await page.$eval('gp-app >>> gp-depth-lab >>> [data-preset][aria-pressed=true]', (b) => b.getAttribute('data-preset'));
    expect(pressed).toBe('lecture-1.5I');
    // The quick size, and the page says so.
    expect(await page.$eval('gp-app >>> gp-depth-lab >>> [data-testid=preset-size]', (p) => p.getAttribute('data-size'))).toBe('small');
    await page.click('gp-app >>> gp-depth-lab >>> [data-testid=cancel]').catch(() => undefined);
  });
});

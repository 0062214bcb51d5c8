import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { ALL_CHECKS } from '../../src/kernels/checks/index';

// The whole app in the shared headless Chromium (real WebGPU on SwiftShader): header, navigation,
// the Kernel check end to end, GPU error / device-loss banners, and the startup error panel.

const RUN_TIMEOUT = 170_000;
let browser: Browser;

beforeAll(async () => {
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
});
afterAll(() => browser?.disconnect());

/** A fresh page; `beforeLoad` runs in the page before any of its scripts (to break WebGPU on purpose). */
async function openApp(hash = '#/kernel-check', beforeLoad?: () => void): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (err) => console.error('[page error]', err));
  if (beforeLoad) await page.evaluateOnNewDocument(beforeLoad);
  await page.goto(`${inject('baseUrl')}/index.html${hash}`);
  return page;
}

/** Text of the element (of its shadow root, for a component), whitespace collapsed. */
const text = (page: Page, selector: string) => page.$eval(selector, (el) => ((el.shadowRoot ?? el).textContent ?? '').replace(/\s+/g, ' ').trim());

/**
 * Waits for a `>>>` deep selector to match (or, with `gone`, to stop matching). Puppeteer's own
 * waitForSelector watches document mutations, which do not see changes inside shadow roots.
 */
async function waitFor(page: Page, selector: string, { timeout = 30_000, gone = false } = {}): Promise<void> {
  const end = Date.now() + timeout;
  while (((await page.$(selector)) === null) !== gone) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${selector} ${gone ? 'to go' : 'to appear'}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('app shell and Kernel check', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openApp();
  });
  afterAll(() => page?.close());

  it('shows the product name, the adapter in use and its key limits in the header', async () => {
    await waitFor(page, 'gp-app >>> gp-adapter-info >>> [data-testid=adapter]', { timeout: 60_000 });
    expect(await text(page, 'gp-app >>> h1')).toContain('Gradient Playground');
    const adapter = await text(page, 'gp-app >>> gp-adapter-info');
    expect(adapter.toLowerCase()).toContain('swiftshader');
    expect(adapter).toContain('fallback adapter: yes');
    expect(adapter).toMatch(/timestamps: (yes|no)/);
    // Each limit shown is the device's own value (the exact number is in the cell's title).
    const shown = await page.$$eval('gp-app >>> gp-adapter-info >>> dl div', (divs) =>
      divs.map((d) => [d.querySelector('dt')!.textContent!.trim(), d.querySelector('dd')!.title]),
    );
    const limits = await page.$eval('gp-app', (app) => {
      const l = app.gpu!.limits;
      return {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      };
    });
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, v.toLocaleString('en-US')])));
    expect(adapter).toMatch(/maxComputeWorkgroupStorageSize\s*\d+ KiB/);
    expect(await text(page, 'gp-app >>> nav a[aria-current=page]')).toBe('Kernel check');
  });

  it('runs every kernel in ALL_CHECKS, shows progress, and reports all cases passing', async () => {
    expect(ALL_CHECKS.length).toBeGreaterThan(0);
    const pageKernels = await page.$$eval('gp-app >>> gp-kernel-check >>> .kernels dt', (dts) => dts.map((d) => d.textContent));
    expect(pageKernels).toEqual(ALL_CHECKS.map((c) => c.kernel));
    expect(await page.$('gp-app >>> [data-testid=kernel-check-summary]')).toBeNull();

    // Progress names the running kernel: a MutationObserver installed before the click records every
    // progress text shown while the run state is 'running', so a fast step (or a busy machine skipping
    // animation frames) cannot slip past.
    await page.evaluate(() => {
      const kc = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-kernel-check')!;
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const root = kc.shadowRoot!;
        const progress = (root.querySelector('[data-testid=progress]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (progress && root.querySelector('[data-run-state=running]') !== null) seen.push(progress);
      }).observe(kc.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.click('gp-app >>> gp-kernel-check >>> [data-testid=run]');
    await waitFor(page, 'gp-app >>> [data-run-state=done]', { timeout: RUN_TIMEOUT });
    const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(
      progressSeen.some((p) => /Running \S+ \(1 of \d+\)/.test(p)),
      JSON.stringify(progressSeen.slice(0, 5)),
    ).toBe(true);

    const rows = await page.$$eval('gp-app >>> gp-kernel-check >>> tbody tr', (trs) =>
      trs.map((tr) => ({
        kernel: tr.getAttribute('data-kernel'),
        ok: tr.getAttribute('data-ok'),
        cells: [...tr.children].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim()),
      })),
    );
    const results = await page.$eval(
      'gp-app >>> gp-kernel-check',
      (el) => (el as unknown as { runTask: { value: { results: { kernel: string; ok: boolean; error?: string }[] } } }).runTask.value.results,
    );
    const failures = results.filter((r) => !r.ok);
    expect(failures, JSON.stringify(failures)).toEqual([]);

    const summary = await page.$eval('gp-app >>> [data-testid=kernel-check-summary]', (el) => ({
      status: el.getAttribute('data-status'),
      total: Number(el.getAttribute('data-total')),
      text: (el.textContent ?? '').trim(),
    }));
    expect(summary.status).toBe('pass');
    expect(summary.total).toBe(results.length);
    expect(summary.text).toContain(`All ${results.length} cases pass`);
    expect(rows).toHaveLength(results.length);
    expect(rows.map((r) => r.kernel)).toEqual(results.map((r) => r.kernel));
    for (const check of ALL_CHECKS)
      expect(
        rows.some((r) => r.kernel === check.kernel),
        check.kernel,
      ).toBe(true);
    for (const row of rows) {
      expect(row.ok).toBe('true');
      expect(row.cells[2]).toBe('✓ Pass');
      expect(row.cells[3]).toMatch(/^(0|\d\.\de-\d+) \/ tol \d(\.\d)?e-\d+$/);
      // SwiftShader offers timestamp-query, so every case has a time.
      expect(row.cells[4]).toMatch(/^\d+(\.\d+)? ms$/);
    }
    expect(await page.$('gp-app >>> [data-testid=run-error]')).toBeNull();

    await page.screenshot({ path: '/tmp/kernel-check.png', fullPage: true });
  });

  it('navigates between labs by hash and keeps the Kernel check results', async () => {
    const rowsBefore = (await page.$$('gp-app >>> gp-kernel-check >>> tbody tr')).length;
    expect(rowsBefore).toBeGreaterThan(0);
    await page.click('gp-app >>> nav a[href="#/depth-lab"]');
    await page.waitForFunction(() => location.hash === '#/depth-lab');
    // The shell re-renders after the hashchange (Lit updates asynchronously; slow on a loaded machine).
    await page.waitForFunction(
      () => document.querySelector('gp-app')!.shadowRoot!.querySelector('nav a[aria-current=page]')?.textContent?.trim() === 'Depth lab',
      { timeout: 30_000 },
    );
    expect(await text(page, 'gp-app >>> nav a[aria-current=page]')).toBe('Depth lab');
    expect(await page.$eval('gp-app >>> gp-kernel-check', (el) => (el as HTMLElement).offsetParent === null)).toBe(true);
    // Every view's module registers its element, and the shown view is the only one visible.
    for (const [route, tag, label] of [
      ['depth-lab', 'gp-depth-lab', 'Depth lab'],
      ['normalization-lab', 'gp-normalize-lab', 'Normalization lab'],
      ['shaders', 'gp-shader-playground', 'Shaders'],
      ['performance', 'gp-shader-bench', 'Performance'],
    ] as const) {
      await page.click(`gp-app >>> nav a[href="#/${route}"]`);
      await page.waitForFunction((r) => location.hash === `#/${r}`, {}, route);
      // The shell re-renders after the hashchange (Lit updates asynchronously): wait for the nav to follow.
      await page.waitForFunction(
        (l) => document.querySelector('gp-app')!.shadowRoot!.querySelector('nav a[aria-current=page]')?.textContent?.trim() === l,
        { timeout: 30_000 },
        label,
      );
      expect(await text(page, 'gp-app >>> nav a[aria-current=page]')).toBe(label);
      expect(await page.evaluate((t) => customElements.get(t) !== undefined, tag)).toBe(true);
      expect(await page.$eval(`gp-app >>> ${tag}`, (el) => (el as HTMLElement).offsetParent !== null)).toBe(true);
      expect(await page.$eval('gp-app >>> gp-kernel-check', (el) => (el as HTMLElement).offsetParent === null)).toBe(true);
    }

    await page.click('gp-app >>> nav a[href="#/kernel-check"]');
    await page.waitForFunction(() => location.hash === '#/kernel-check');
    expect(await page.$eval('gp-app >>> gp-kernel-check', (el) => (el as HTMLElement).offsetParent !== null)).toBe(true);
    expect(await page.$$('gp-app >>> gp-kernel-check >>> tbody tr')).toHaveLength(rowsBefore);
  });

  it('shows uncaptured GPU errors in a dismissible banner', async () => {
    expect(await page.$('gp-app >>> [data-testid=gpu-error-banner]')).toBeNull();
    // A real validation error outside any error scope: a buffer with no usage.
    await page.$eval('gp-app', async (app) => {
      const device = app.gpu!.device;
      device.createBuffer({ label: 'e2e.bad-buffer', size: 4, usage: 0 });
      // Chrome delivers the error when the device ticks: keep it ticking until the banner shows (≤ 10 s).
      for (let i = 0; i < 100 && !app.shadowRoot!.querySelector('[data-testid=gpu-error-banner]'); i++) {
        device.queue.submit([]);
        await device.queue.onSubmittedWorkDone();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    await waitFor(page, 'gp-app >>> [data-testid=gpu-error-banner]');
    const banner = await text(page, 'gp-app >>> [data-testid=gpu-error-banner]');
    expect(banner).toContain('GPUValidationError');
    expect(banner).toContain('e2e.bad-buffer');
    await page.click('gp-app >>> [data-testid=dismiss-gpu-error]');
    await waitFor(page, 'gp-app >>> [data-testid=gpu-error-banner]', { gone: true });
  });

  it('on device loss offers Reconnect, gets a new context, keeps results, and can run again while showing them', async () => {
    const rowsBefore = (await page.$$('gp-app >>> gp-kernel-check >>> tbody tr')).length;
    // A real loss would need crashing the shared GPU process; emit the context's event the way context.ts does.
    await page.$eval('gp-app', (app) => {
      const gpu = app.gpu!;
      (window as unknown as { oldGpu: unknown }).oldGpu = gpu;
      const err = Object.assign(new Error('The GPU device was lost (unknown): e2e simulated loss. Reload the page or press "Reconnect".'), {
        name: 'GpuDeviceLostError',
        reason: 'unknown',
      });
      gpu.events.dispatchEvent(new CustomEvent('device-lost', { detail: err }));
    });
    await waitFor(page, 'gp-app >>> [data-testid=device-lost-banner]');
    expect(await text(page, 'gp-app >>> [data-testid=device-lost-banner]')).toContain('e2e simulated loss');

    await page.click('gp-app >>> [data-testid=reconnect]');
    await waitFor(page, 'gp-app >>> [data-testid=device-lost-banner]', { gone: true, timeout: 60_000 });
    const swapped = await page.evaluate(async () => {
      const app = document.querySelector('gp-app')!;
      const old = (window as unknown as { oldGpu: { device: GPUDevice } }).oldGpu;
      const kc = app.shadowRoot!.querySelector('gp-kernel-check')!;
      const oldReason = await Promise.race([old.device.lost.then((l) => l.reason), new Promise((r) => setTimeout(() => r('not lost'), 5000))]);
      return { newContext: app.gpu !== old && app.gpu !== null, passedDown: kc.gpu === app.gpu, oldReason };
    });
    expect(swapped).toEqual({ newContext: true, passedDown: true, oldReason: 'destroyed' });
    expect(await page.$$('gp-app >>> gp-kernel-check >>> tbody tr')).toHaveLength(rowsBefore);
    expect((await text(page, 'gp-app >>> gp-adapter-info')).toLowerCase()).toContain('swiftshader');

    // Run again on the new context: the previous results stay on screen (marked busy) until it finishes.
    await page.click('gp-app >>> gp-kernel-check >>> [data-testid=run]');
    await waitFor(page, 'gp-app >>> [data-run-state=running]');
    expect(await page.$$('gp-app >>> gp-kernel-check >>> tbody tr')).toHaveLength(rowsBefore);
    expect(await page.$eval('gp-app >>> gp-kernel-check >>> [aria-busy]', (el) => el.getAttribute('aria-busy'))).toBe('true');
    await waitFor(page, 'gp-app >>> [data-run-state=done]', { timeout: RUN_TIMEOUT });
    expect(await page.$eval('gp-app >>> [data-testid=kernel-check-summary]', (el) => el.getAttribute('data-status'))).toBe('pass');
    expect(await page.$eval('gp-app >>> gp-kernel-check >>> [aria-busy]', (el) => el.getAttribute('aria-busy'))).toBe('false');
  });
});

describe('startup errors', () => {
  const cases: { name: string; kind: string; message: RegExp; breakGpu: () => void }[] = [
    {
      name: 'no WebGPU in the browser',
      kind: 'unsupported',
      message: /navigator\.gpu is undefined.*Chrome or Edge/,
      breakGpu: () => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }),
    },
    {
      name: 'no adapter',
      kind: 'no-adapter',
      message: /requestAdapter\(\) returned null/,
      breakGpu: () => {
        GPU.prototype.requestAdapter = async () => null;
      },
    },
    {
      name: 'device request refused',
      kind: 'device-request',
      message: /refused to create a device: e2e refusal/,
      breakGpu: () => {
        GPUAdapter.prototype.requestDevice = async () => {
          throw new Error('e2e refusal');
        };
      },
    },
  ];

  for (const c of cases) {
    it(`shows the ${c.kind} panel when there is ${c.name}`, async () => {
      const page = await openApp('#/kernel-check', c.breakGpu);
      try {
        await waitFor(page, 'gp-app >>> [data-testid=startup-error]', { timeout: 60_000 });
        const panel = await page.$eval('gp-app >>> [data-testid=startup-error]', (el) => ({
          kind: el.getAttribute('data-kind'),
          role: el.getAttribute('role'),
          text: (el.textContent ?? '').replace(/\s+/g, ' '),
        }));
        expect(panel.kind).toBe(c.kind);
        expect(panel.role).toBe('alert');
        expect(panel.text).toMatch(c.message);
        expect(panel.text).toContain('Try again');
        expect(await page.$eval('gp-app >>> gp-kernel-check >>> [data-testid=run]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
        expect(await text(page, 'gp-app >>> gp-adapter-info')).toContain('No GPU adapter in use');
      } finally {
        await page.close();
      }
    });
  }
});

describe('one router: app-wide parameters', () => {
  it('keeps the language (?lang= in the search part) across nav links, plain links, a lab writing its settings and the Shaders view picking a kernel', async () => {
    const page = await openApp('#/?lang=ko');
    try {
      await waitFor(page, 'gp-app >>> nav a[aria-current=page]');
      // A lang typed into the hash query moves to the search part, where every hash change leaves it alone.
      await page.waitForFunction(() => location.search === '?lang=ko' && location.hash === '#/');
      await page.click('gp-app >>> nav a[href="#/depth-lab"]');
      await page.waitForFunction(() => location.hash.startsWith('#/depth-lab'));
      expect(await page.evaluate(() => location.search)).toBe('?lang=ko');
      // A plain link with the lab's own query: the lab reads only its own parameters.
      await page.evaluate(() => (location.hash = '#/depth-lab?width=3'));
      await page.waitForFunction(
        () =>
          document
            .querySelector('gp-app')
            ?.shadowRoot?.querySelector('gp-depth-lab')
            ?.shadowRoot?.querySelector('gp-depth-controls')
            ?.shadowRoot?.querySelector<HTMLInputElement>('#f-width')?.value === '3',
        { timeout: 60_000 },
      );
      expect(await page.evaluate(() => location.hash)).toMatch(/^#\/depth-lab\?.*\bwidth=3\b/);
      expect(await page.evaluate(() => location.search + location.hash)).not.toMatch(/lang=.*lang=/);
      expect(await page.$$('gp-app >>> gp-depth-lab >>> gp-depth-controls >>> [data-testid^=problem-]')).toHaveLength(0);

      await page.evaluate(() => (location.hash = '#/shaders'));
      await page.waitForFunction(
        () => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-shader-playground')?.shadowRoot?.querySelector('[data-kernel=matmul-direct]'),
        { timeout: 60_000 },
      );
      await page.evaluate(() =>
        (
          document
            .querySelector('gp-app')!
            .shadowRoot!.querySelector('gp-shader-playground')!
            .shadowRoot!.querySelector('[data-kernel=matmul-direct]') as HTMLButtonElement
        ).click(),
      );
      await page.waitForFunction(() => location.hash === '#/shaders?kernel=matmul-direct');
      expect(await page.evaluate(() => [location.search, document.documentElement.lang])).toEqual(['?lang=ko', 'ko']);
    } finally {
      await page.close();
    }
  });
});

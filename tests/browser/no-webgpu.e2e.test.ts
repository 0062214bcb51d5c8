import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import type { DepthLabExport } from '../../src/labs/depth/export';
import { depthRange, type SweepSpec } from '../../src/labs/depth/sweep-grid';
import { PRESETS } from '../../src/labs/depth/presets';
import { encodeState } from '../../src/labs/depth/url-state';

// Fault injection: a SECOND Chromium launched WITHOUT the WebGPU flags (the shared one has them), so the page
// really has no WebGPU. The app must say why and what to use, and both labs must still run — on the CPU
// fallback, under a visible "CPU fallback" badge, with size caps that name the cap and keep the form.

const RUN_TIMEOUT = 150_000;
const LECTURE = {
  config: validateDeepNetConfig({ depth: 40, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1 }),
  sweep: { kind: 'depth', depths: depthRange(1, 40) } as SweepSpec,
};

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  // Same as scripts/chromium.mjs minus every WebGPU/Vulkan flag.
  browser = await puppeteer.launch({
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    protocolTimeout: 600_000,
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (err) => {
    pageErrors.push(String(err));
    console.error('[page error]', err);
  });
  await page.goto(`${inject('baseUrl')}/index.html#/depth-lab?${encodeState({ ...LECTURE, view: 'act' })}`);
});
afterAll(async () => {
  await browser?.close();
});

/** Evaluates `fn` on an element found by a chain of selectors, each inside the previous one's shadow root. */
function inShadow<T>(path: string[], fn: string): Promise<T> {
  return page.evaluate(
    (path, fn) => {
      let root: ParentNode = document;
      let el: Element | null = null;
      for (const sel of path) {
        el = root.querySelector(sel);
        if (!el) return null;
        root = el.shadowRoot ?? el;
      }
      return new Function('el', `return (${fn})(el)`)(el);
    },
    path,
    fn,
  ) as Promise<T>;
}
const text = (path: string[]) => inShadow<string | null>(path, `(el) => ((el.shadowRoot ?? el).textContent ?? '').replace(/\\s+/g, ' ').trim()`);
const LAB = ['gp-app', 'gp-depth-lab'];
const NORM = ['gp-app', 'gp-normalize-lab'];

async function waitUntil(check: () => Promise<boolean>, what: string, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) {
      const raw = await page.evaluate(() => document.querySelector('gp-app')?.shadowRoot?.innerHTML.slice(0, 300) ?? document.body.innerHTML.slice(0, 300));
      throw new Error(`timed out waiting for ${what}; page: ${raw}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('no WebGPU: banner and CPU fallback', () => {
  it('really has no WebGPU, and shows why and what to use, with Try again', async () => {
    const hasGpu = await page.evaluate(async () => !!navigator.gpu && (await navigator.gpu.requestAdapter()) !== null);
    expect(hasGpu).toBe(false);
    await waitUntil(async () => (await text(['gp-app', '[data-testid=startup-error]'])) !== null, 'the startup panel');
    const kind = await inShadow<string>(['gp-app', '[data-testid=startup-error]'], `(el) => el.getAttribute('data-kind')`);
    expect(['unsupported', 'no-adapter', 'device-request']).toContain(kind);
    const panel = (await text(['gp-app', '[data-testid=startup-error]']))!;
    expect(panel).toMatch(/Chrome|chrome:\/\//);
    expect(panel).toContain('The lessons still work');
    expect(panel).toContain('CPU fallback');
    expect(panel).toMatch(/Safari 26\+.*Firefox 141\+/);
    expect(panel).toContain('Try again');
    expect(await text(['gp-app', 'gp-adapter-info'])).toContain('The labs run on the CPU fallback');
  });

  it('the Depth lab restores the link, shows the CPU fallback badge, and runs the sweep on the CPU', async () => {
    await waitUntil(async () => (await text([...LAB, '[data-testid=cpu-badge]'])) === 'CPU fallback', 'the CPU fallback badge');
    expect(await text([...LAB, '[data-testid=cpu-note]'])).toMatch(/float64/);
    expect(await inShadow<boolean>([...LAB, '[data-testid=run]'], '(el) => el.disabled')).toBe(false);
    expect(await text([...LAB, '[data-testid=progress]'])).toBe('40 rows to run on the CPU fallback.');
    await inShadow([...LAB, '[data-testid=run]'], '(el) => el.click()');
    await waitUntil(
      async () =>
        ['complete', 'error', 'cancelled'].includes((await inShadow<string>([...LAB, '[data-run-state]'], `(el) => el.getAttribute('data-run-state')`)) ?? ''),
      'the sweep to end',
      RUN_TIMEOUT,
    );
    expect(await inShadow<string>([...LAB, '[data-run-state]'], `(el) => el.getAttribute('data-run-state')`)).toBe('complete');
    const hm = await inShadow<{ rows: number; cols: number; values: number[] }>(
      [...LAB, 'gp-heatmap'],
      '(el) => ({ rows: el.data.rowLabels.length, cols: el.data.cols, values: Array.from(el.data.values) })',
    );
    expect(hm.rows).toBe(40);
    expect(hm.cols).toBe(40);
    // float64 reference values: ‖a[l]‖ = 1.5^l·√2 to ~1e-12.
    for (let r = 0; r < 40; r++) for (let c = 0; c <= r; c++) expect(Math.abs(hm.values[r * 40 + c] / (1.5 ** (c + 1) * Math.SQRT2) - 1)).toBeLessThan(1e-12);
    const doc = await inShadow<DepthLabExport>(['gp-app', 'gp-depth-lab'], '(el) => el.exportJson()');
    expect(doc.device).toBeNull();
    expect(doc.rows).toHaveLength(40);
    const ref = deepNetRef(LECTURE.config);
    doc.rows[39].layers.gradWNorm.forEach((v, i) => expect(v).toBe(ref.layers.gradWNorm[i]));
    expect(await text([...LAB, '[data-testid=stats-note]'])).toContain('CPU fallback');
    expect(await inShadow<string>([...LAB, 'gp-depth-row', '[data-testid=verdict]'], `(el) => el.getAttribute('data-verdict')`)).toBe('agree');
    await page.screenshot({ path: '/tmp/no-webgpu-depth-lab.png', fullPage: true });
  });

  it('refuses a config beyond the CPU caps, naming the cap and a suggestion, and keeps the form', async () => {
    const setField = (id: string, value: string) =>
      inShadow(
        [...LAB, 'gp-depth-controls', `#${id}`],
        `(el) => { el.value = ${JSON.stringify(value)}; el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true })); }`,
      );
    await setField('f-width', '300');
    await waitUntil(async () => (await text([...LAB, '[data-testid=cpu-refuse]'])) !== null, 'the CPU cap refusal');
    expect(await text([...LAB, '[data-testid=cpu-refuse]'])).toBe(
      'Too big for the CPU fallback: Width n: needs 300, the CPU fallback allows 256. Use width n ≤ 256 on the CPU fallback (or a browser with WebGPU).',
    );
    expect(await inShadow<boolean>([...LAB, '[data-testid=run]'], '(el) => el.disabled')).toBe(true);
    expect(await inShadow<string>([...LAB, 'gp-depth-controls', '#f-width'], '(el) => el.value')).toBe('300');

    await setField('f-width', '256');
    await setField('f-batch', '128');
    await waitUntil(async () => /Work of one row/.test((await text([...LAB, '[data-testid=cpu-refuse]'])) ?? ''), 'the work cap');
    expect(await text([...LAB, '[data-testid=cpu-refuse]'])).toMatch(
      /needs [\d,]+, the CPU fallback allows 33,554,432\. Use a smaller batch or width: batch m ≤ \d+/,
    );
    expect(await inShadow<string>([...LAB, 'gp-depth-controls', '#f-batch'], '(el) => el.value')).toBe('128');
    // The finished results stay on screen.
    expect(await inShadow<number>([...LAB, 'gp-heatmap'], '(el) => el.data.rowLabels.length')).toBe(40);

    await setField('f-width', '2');
    await setField('f-batch', '1');
    await waitUntil(async () => (await text([...LAB, '[data-testid=cpu-refuse]'])) === null, 'the refusal to go');
    expect(await inShadow<boolean>([...LAB, '[data-testid=run]'], '(el) => el.disabled')).toBe(false);
  });

  it('runs every preset on the CPU fallback at its small size, and says so', async () => {
    for (const preset of PRESETS) {
      await inShadow([...LAB, `[data-preset="${preset.id}"]`], '(el) => el.click()');
      await waitUntil(
        async () => (await inShadow<string>([...LAB, '[data-testid=preset-size]'], `(el) => el.getAttribute('data-size')`)) === 'small',
        `${preset.id}: the small size`,
      );
      expect(await text([...LAB, '[data-testid=preset-size]']), preset.id).toMatch(/^Smaller version for the CPU fallback/);
      expect(await text([...LAB, '[data-testid=cpu-refuse]']), preset.id).toBeNull();
      await inShadow([...LAB, '[data-testid=run]'], '(el) => el.click()');
      await waitUntil(
        async () =>
          ['complete', 'error', 'cancelled'].includes(
            (await inShadow<string>([...LAB, '[data-run-state]'], `(el) => el.getAttribute('data-run-state')`)) ?? '',
          ),
        `${preset.id}: the run`,
        RUN_TIMEOUT,
      );
      expect(await inShadow<string>([...LAB, '[data-run-state]'], `(el) => el.getAttribute('data-run-state')`), preset.id).toBe('complete');
      const rows = preset.small.sweep.kind === 'depth' ? preset.small.sweep.depths.length : 0;
      expect(await inShadow<number>([...LAB, 'gp-heatmap'], '(el) => el.data.rowLabels.length'), preset.id).toBe(rows);
    }
  }, 600_000);

  it('the Kernel check explains that it needs WebGPU', async () => {
    await page.evaluate(() => (location.hash = '#/kernel-check'));
    await waitUntil(async () => (await text(['gp-app', '[data-testid=kernel-check-needs-webgpu]'])) !== null, 'the note');
    expect(await text(['gp-app', '[data-testid=kernel-check-needs-webgpu]'])).toMatch(/needs WebGPU.*Depth lab.*Normalization lab.*CPU fallback/);
    expect(await inShadow<boolean>(['gp-app', 'gp-kernel-check', '[data-testid=run]'], '(el) => el.disabled')).toBe(true);
  });

  it('the Normalization lab runs on the CPU fallback too', async () => {
    await page.evaluate(() => (location.hash = '#/normalization-lab'));
    await waitUntil(async () => (await inShadow<boolean>([...NORM, '[data-testid=run]'], '(el) => !el.disabled')) === true, 'the Normalization lab');
    await inShadow([...NORM, '[data-testid=run]'], '(el) => el.click()');
    await waitUntil(
      async () => ['complete', 'error'].includes((await inShadow<string>([...NORM, '[data-run-state]'], `(el) => el.getAttribute('data-run-state')`)) ?? ''),
      'the normalization run',
      RUN_TIMEOUT,
    );
    expect(await text([...NORM, '[data-testid=run-error]'])).toBeNull();
    expect(await inShadow<string>([...NORM, '[data-run-state]'], `(el) => el.getAttribute('data-run-state')`)).toBe('complete');
    expect(await inShadow<string>([...NORM, '[data-testid=backend-badge]'], `(el) => el.getAttribute('data-backend')`)).toBe('cpu');
    expect(await text([...NORM, '[data-testid=backend-badge]'])).toMatch(/CPU fallback/);
    await page.screenshot({ path: '/tmp/no-webgpu-normalize-lab.png', fullPage: true });
  });

  it('no view waits for a GPU: the developer views say they need WebGPU, and home and footer speak of the CPU', async () => {
    for (const [route, tag] of [
      ['kernel-check', 'gp-kernel-check'],
      ['shaders', 'gp-shader-playground'],
      ['performance', 'gp-shader-bench'],
    ] as const) {
      await page.evaluate((r) => (location.hash = `#/${r}`), route);
      await waitUntil(async () => /Needs WebGPU/.test((await text(['gp-app', tag])) ?? ''), `${route}: needs WebGPU`);
      expect(await text(['gp-app', tag]), route).not.toMatch(/Waiting for the GPU/);
    }
    await page.evaluate(() => (location.hash = '#/'));
    await waitUntil(async () => (await text(['gp-app', 'gp-home'])) !== null, 'the home view');
    expect(await text(['gp-app', 'gp-home'])).toMatch(/on the CPU \(this browser has no WebGPU\)/);
    const footer = await page.evaluate(() =>
      (document.querySelector('gp-app')!.shadowRoot!.querySelector('footer')!.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
    expect(footer).toMatch(/without WebGPU the labs compute on the CPU/);
    expect(footer).not.toMatch(/on your GPU/);
  });

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('?debug=no-webgpu in a browser that has WebGPU', () => {
  it('shows the same panel and runs the Depth lab on the CPU fallback', async () => {
    const shared = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    const p = await shared.newPage();
    try {
      await p.goto(
        `${inject('baseUrl')}/index.html?debug=no-webgpu#/depth-lab?${encodeState({ ...LECTURE, sweep: { kind: 'depth', depths: depthRange(1, 8) } })}`,
      );
      await p.waitForFunction(
        () =>
          document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-depth-lab')?.shadowRoot?.querySelector('[data-testid=cpu-badge]') !== null &&
          document.querySelector('gp-app')?.shadowRoot?.querySelector('[data-testid=startup-error]') !== null,
        { timeout: 60_000, polling: 250 },
      );
      expect(await p.evaluate(async () => !!navigator.gpu && (await navigator.gpu.requestAdapter()) !== null)).toBe(true);
      expect(await p.$eval('gp-app', (app) => app.shadowRoot!.querySelector('[data-testid=startup-error]')!.getAttribute('data-kind'))).toBe('unsupported');
      await p.$eval('gp-app', (app) =>
        (app.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('[data-testid=run]') as HTMLButtonElement).click(),
      );
      await p.waitForFunction(
        () =>
          document
            .querySelector('gp-app')
            ?.shadowRoot?.querySelector('gp-depth-lab')
            ?.shadowRoot?.querySelector('[data-run-state]')
            ?.getAttribute('data-run-state') === 'complete',
        { timeout: RUN_TIMEOUT, polling: 250 },
      );
      expect(
        await p.$eval('gp-app', (app) => app.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('gp-heatmap')!.data!.rowLabels.length),
      ).toBe(8);
    } finally {
      await p.close();
      await shared.disconnect();
    }
  });
});

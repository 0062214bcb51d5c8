// Issue 13, items 3–4, in the app page (real WebGPU, SwiftShader here): with a custom kernel switched on,
// the "custom kernel in use" badge shows in all four views that run kernels (Kernel check, Depth lab,
// Normalization lab, Performance), says what Verify said, and its Use built-in switches every view back;
// the Shaders view's Verify adds the labs' shapes (from the Depth lab's current settings) and marks them,
// Cancel stops it, and a kernel that hits the watchdog gets its device replaced and is switched off.
// Its own browser context: its localStorage never reaches other tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Page } from 'puppeteer';
import { inAppView, openOwnContext, type OwnContextPage } from '../helpers/browser';
import { readFileSync } from 'node:fs';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { depthRange, type SweepSpec } from '../../src/labs/depth/sweep-grid';
import { encodeState } from '../../src/labs/depth/url-state';
import { encodeNormalizeState } from '../../src/labs/normalize/url-state';
import { DEFAULT_LAB_STATE } from '../../src/labs/normalize/form';
import { readShaderModule } from '../helpers/shader-module';

const DIRECT = readShaderModule('shaders/matmul-direct.wgsl');
const FILE = 'shaders/matmul-direct.wgsl';
const KEY = 'gp.kernel-overrides.v1';
const TIMEOUT = 150_000;
const STORE = 'c[base_c + row * n + col] = params.alpha * blk[j][i];';
// Right, but on a 1×1·1×1 product it spins for seconds first (≈ 50–100 ns a step on SwiftShader).
const SLOW = DIRECT.replace(
  '  let k = params.k;\n',
  '  let k = params.k;\n  var spin = 0.0;\n  let spins = select(0u, 50000000u, m == 1u && n == 1u && k == 1u);\n  for (var t = 0u; t < spins; t++) { spin = spin * 0.999 + 1.0; }\n',
).replace(STORE, 'c[base_c + row * n + col] = select(params.alpha * blk[j][i], spin, spin < 0.0);');

let own: OwnContextPage;
let page: Page;

beforeAll(async () => {
  own = await openOwnContext({ viewport: { width: 1400, height: 1000 } });
  page = own.page;
});

afterAll(() => own?.close());

/** Loads the app at `hash` with `overrides` in localStorage (set before the app's modules read it). */
async function openWith(hash: string, overrides: unknown[] | null): Promise<void> {
  const { identifier } = await page.evaluateOnNewDocument(
    (key, value) => {
      if (location.origin === 'null') return;
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    },
    KEY,
    overrides === null ? null : JSON.stringify(overrides),
  );
  await page.goto('about:blank');
  await page.goto(`${inject('baseUrl')}/index.html${hash}`);
  await page.removeScriptToEvaluateOnNewDocument(identifier);
  // The first load transforms the whole app in the dev server: minutes on a small, shared machine.
  await page.waitForFunction(() => !!document.querySelector('gp-app')?.gpu, { timeout: 300_000 });
}

const TAGS = {
  'kernel-check': 'gp-kernel-check',
  'depth-lab': 'gp-depth-lab',
  'normalization-lab': 'gp-normalize-lab',
  performance: 'gp-shader-bench',
} as const;

/** The badge of `file` in a view, or null. */
const badgeIn = (tag: string, file: string) =>
  page.evaluate(
    (tag, file) => {
      const view = document.querySelector('gp-app')!.shadowRoot!.querySelector(tag);
      const el = view?.shadowRoot?.querySelector('gp-override-badge')?.shadowRoot?.querySelector(`[data-testid=override-badge][data-file="${file}"]`);
      if (!el) return null;
      return { text: el.textContent!.replace(/\s+/g, ' ').trim(), button: el.querySelector('[data-testid=override-switch-back]')?.textContent?.trim() ?? null };
    },
    tag,
    file,
  );

describe('the custom-kernel badge', () => {
  it('shows in the Kernel check, Depth lab, Normalization lab and Performance views; Use built-in switches all back', async () => {
    await openWith('#/kernel-check', [{ file: FILE, code: DIRECT, since: 1, verified: { passed: 14, total: 14 } }]);
    for (const [route, tag] of Object.entries(TAGS)) {
      await page.evaluate((route) => (location.hash = `#/${route}`), route);
      await page.waitForFunction(
        (tag, file) =>
          !!document
            .querySelector('gp-app')!
            .shadowRoot!.querySelector(tag)
            ?.shadowRoot?.querySelector('gp-override-badge')
            ?.shadowRoot?.querySelector(`[data-file="${file}"]`),
        { timeout: TIMEOUT },
        tag,
        FILE,
      );
      const b = await badgeIn(tag, FILE);
      expect(b, route).not.toBeNull();
      expect(b!.text, route).toMatch(/^Custom matmul in use — your shaders\/matmul-direct\.wgsl from the Shaders view replaces the built-in kernel/);
      expect(b!.text, route).toContain('Verify passed 14 of 14 shapes when you switched it on.');
      expect(b!.button, route).toBe('Use built-in');
      // The view is the one showing.
      expect(await page.evaluate((tag) => !!document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.checkVisibility(), tag), route).toBe(true);
    }
    // One click in the Performance view (the one showing now) switches back everywhere.
    await page.evaluate(() =>
      (
        document
          .querySelector('gp-app')!
          .shadowRoot!.querySelector('gp-shader-bench')!
          .shadowRoot!.querySelector('gp-override-badge')!
          .shadowRoot!.querySelector('[data-testid=override-switch-back]') as HTMLButtonElement
      ).click(),
    );
    await page.waitForFunction(
      () =>
        !document
          .querySelector('gp-app')!
          .shadowRoot!.querySelector('gp-shader-bench')!
          .shadowRoot!.querySelector('gp-override-badge')!
          .shadowRoot!.querySelector('[data-testid=override-badge]'),
      {
        timeout: TIMEOUT,
      },
    );
    for (const tag of Object.values(TAGS)) expect(await badgeIn(tag, FILE), tag).toBeNull();
    expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBeNull();
  }, 600_000);
});

/** Runs `fn` with the Shaders view's shadow root. */
const inView = <T, A = undefined>(fn: (root: ShadowRoot, arg: A) => T, arg?: A) => inAppView(page, 'gp-shader-playground', fn, arg);

const waitIn = (selector: string) =>
  page.waitForFunction(
    (sel) => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')?.shadowRoot?.querySelector(sel),
    { timeout: TIMEOUT },
    selector,
  );

const waitCompiled = () =>
  page.waitForFunction(
    () =>
      document
        .querySelector('gp-app')!
        .shadowRoot!.querySelector('gp-shader-playground')
        ?.shadowRoot?.querySelector('[data-testid=compile-status]')
        ?.getAttribute('data-state') === 'ok',
    { timeout: TIMEOUT },
  );

describe('Verify in the Shaders view', () => {
  it("adds the Depth lab's shapes at its current settings, marked lab shape", async () => {
    await openWith('#/depth-lab?width=48&batch=20', null);
    // The lab reads its link (and writes its full settings back): that is what Verify will use.
    await page.waitForFunction(() => /width=48/.test(location.hash) && /batch=20/.test(location.hash), { timeout: TIMEOUT });
    await page.evaluate(() => (location.hash = '#/shaders?kernel=matmul-direct'));
    await waitIn('gp-wgsl-editor');
    await waitCompiled();
    await inView((root) => (root.querySelector('[data-testid=verify]') as HTMLButtonElement).click());
    await waitIn('[data-testid=verify-summary]');
    const out = await inView((root) => ({
      summary: root.querySelector('[data-testid=verify-summary]')!.textContent!.replace(/\s+/g, ' ').trim(),
      lab: [...root.querySelectorAll('[data-testid=verify-case][data-lab=true]')].map((tr) => ({
        ok: tr.getAttribute('data-ok'),
        text: tr.children[0].textContent!.replace(/\s+/g, ' ').trim(),
      })),
      own: root.querySelectorAll('[data-testid=verify-case][data-lab=false]').length,
      note: root.querySelector('[data-testid=lab-shapes-note]')!.textContent!.replace(/\s+/g, ' '),
    }));
    expect(out.own).toBe(9);
    expect(out.lab[0]).toEqual({ ok: 'true', text: 'Depth lab (width 48, batch 20): Z = A·Wᵀ, 20×48 · 48×48, Bᵀ lab shape' });
    expect(out.lab.length).toBeGreaterThanOrEqual(4);
    expect(out.lab.every((r) => r.ok === 'true')).toBe(true);
    expect(out.summary).toBe(`All ${9 + out.lab.length} shapes pass against the float64 reference (${out.lab.length} of them the labs' shapes).`);
    expect(out.note).toMatch(/the Depth lab at width 48, batch 20, linear \(its current settings\)/);
    expect(out.note).toMatch(/Normalization lab at [\d,]+ training rows × 2 features \(its defaults/);
  });

  it('Cancel stops Verify between shapes and records nothing', async () => {
    const cancelled = await page.evaluate(async () => {
      const pg = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!;
      const root = pg.shadowRoot!;
      (root.querySelector('[data-testid=verify]') as HTMLButtonElement).click();
      await pg.updateComplete;
      const cancel = root.querySelector('[data-testid=cancel-run]') as HTMLButtonElement | null;
      const label = cancel?.textContent?.trim() ?? null;
      cancel?.click();
      return label;
    });
    expect(cancelled).toBe('Cancel Verify');
    await waitIn('[data-testid=kernel-error]');
    const text = await inView((root) => root.querySelector('[data-testid=kernel-error]')!.textContent!.trim());
    expect(text).toMatch(/^Verify cancelled after [1-9]\d* of \d+ shapes: nothing was recorded/);
    expect(await inView((root) => !!root.querySelector('[data-testid=cancel-run]'))).toBe(false);
  });

  it('a kernel that hits the watchdog is reported, its device replaced and the custom kernel switched off', async () => {
    await openWith('#/shaders?kernel=matmul-direct', [{ file: FILE, code: SLOW, since: 1, verified: { passed: 14, total: 14 } }]);
    await waitIn('gp-wgsl-editor');
    await inView((root, code) => root.querySelector('gp-wgsl-editor')!.setCode(code), SLOW);
    await waitCompiled();
    await page.evaluate(() => {
      const app = document.querySelector('gp-app')!;
      (window as unknown as { oldGpu: unknown }).oldGpu = app.gpu;
      app.shadowRoot!.querySelector('gp-shader-playground')!.timeLimitMs = 250;
    });
    await inView((root) => (root.querySelector('[data-testid=verify]') as HTMLButtonElement).click());
    await page.waitForFunction(
      () =>
        /was replaced with a new one/.test(
          document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('[data-testid=watchdog-notice]')
            ?.textContent ?? '',
        ),
      { timeout: TIMEOUT },
    );
    const notice = await inView((root) => root.querySelector('[data-testid=watchdog-notice]')!.textContent!.replace(/\s+/g, ' ').trim());
    expect(notice).toBe(
      'Your kernel (shaders/matmul-direct.wgsl) on 1×1 · 1×1 did not finish within 0.25 s. A kernel that does not finish keeps the GPU busy, so the GPU device was replaced with a new one; your custom kernel shaders/matmul-direct.wgsl was switched off, and the built-in runs in the labs now.',
    );
    expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBeNull();
    // The shell hands every view a new device.
    await page.waitForFunction(
      () => {
        const app = document.querySelector('gp-app')!;
        const pg = app.shadowRoot!.querySelector('gp-shader-playground')!;
        return !!app.gpu && app.gpu !== (window as unknown as { oldGpu: unknown }).oldGpu && pg.gpu === app.gpu;
      },
      { timeout: TIMEOUT },
    );
    await waitIn('[data-testid=verify-summary]');
    const summary = await inView((root) => root.querySelector('[data-testid=verify-summary]')!.textContent!.replace(/\s+/g, ' ').trim());
    expect(summary).toMatch(/^Your kernel did not finish within 0\.25 s on 1×1 · 1×1; Verify stopped there \(\d+ shapes not run\)\.$/);
  }, 400_000);
});

const ELEMENTWISE_OVERRIDE = [
  { file: 'shaders/elementwise.wgsl', code: readFileSync('shaders/elementwise.wgsl', 'utf8'), since: 1, verified: { passed: 13, total: 13 } },
];
const SWITCHED_OFF =
  'Your custom kernel shaders/elementwise.wgsl was switched off because the GPU device was lost while it ran; the built-in kernel runs now. You can switch it back on in the Shaders view.';

/**
 * Opens `hash` with a custom element-wise kernel switched on (it runs in every layer of the Depth lab and in
 * every mode of the Normalization lab, so it is surely in use), presses the lab's Run and waits for the end;
 * returns the run state, the switched-off sentences and the recovery results the lab shows.
 */
async function runWithLoss(hash: string, tag: 'gp-depth-lab' | 'gp-normalize-lab') {
  await openWith(hash, ELEMENTWISE_OVERRIDE);
  await page.waitForFunction((tag) => !!document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)?.gpu, { timeout: TIMEOUT }, tag);
  expect(await badgeIn(tag, 'shaders/elementwise.wgsl')).not.toBeNull();
  await page.waitForFunction(
    (tag) => !(document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!.querySelector('[data-testid=run]') as HTMLButtonElement).disabled,
    { timeout: TIMEOUT, polling: 250 },
    tag,
  );
  await page.evaluate(
    (tag) => (document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!.querySelector('[data-testid=run]') as HTMLButtonElement).click(),
    tag,
  );
  await page.waitForFunction(
    (tag) => {
      const s = document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!.querySelector('[data-run-state]')?.getAttribute('data-run-state');
      return s === 'complete' || s === 'cancelled' || s === 'error';
    },
    { timeout: 300_000, polling: 250 },
    tag,
  );
  return page.evaluate((tag) => {
    const root = document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!;
    return {
      state: root.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
      off: [...root.querySelectorAll('[data-testid=override-switched-off]')].map((e) => e.textContent!.replace(/\s+/g, ' ').trim()),
      results: [...root.querySelectorAll('[data-testid=recovery-notice] li')].map((li) => li.getAttribute('data-result')),
    };
  }, tag);
}

describe('a device loss in the Depth lab while a custom kernel runs', () => {
  it('switches the custom kernel off and says so, then resumes on the built-in instead of retrying it', async () => {
    const state = encodeState({
      config: validateDeepNetConfig({ depth: 12, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1 }),
      sweep: { kind: 'depth', depths: depthRange(1, 12) } as SweepSpec,
    });
    const out = await runWithLoss(`?debug=lose-device-after-row=3#/depth-lab?${state}`, 'gp-depth-lab');
    expect(out).toEqual({ state: 'complete', results: ['resumed'], off: [SWITCHED_OFF] });
    expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBeNull();
    expect(await badgeIn('gp-depth-lab', 'shaders/elementwise.wgsl')).toBeNull();
  }, 600_000);
});

describe('a device loss in the Normalization lab while a custom kernel runs', () => {
  it('switches the custom kernel off and says so, then continues on the built-in', async () => {
    // One "row" of the loss injector is one mode's study: the device goes after the first.
    const out = await runWithLoss(`?debug=lose-device-after-row=1#/normalization-lab?${encodeNormalizeState(DEFAULT_LAB_STATE)}`, 'gp-normalize-lab');
    expect(out).toEqual({ state: 'complete', results: ['resumed'], off: [SWITCHED_OFF] });
    expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBeNull();
    expect(await badgeIn('gp-normalize-lab', 'shaders/elementwise.wgsl')).toBeNull();
  }, 600_000);
});

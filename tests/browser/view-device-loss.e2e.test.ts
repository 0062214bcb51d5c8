import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'puppeteer';
import { connectBrowser, gotoView, inAppView, newTestPage } from '../helpers/browser';
import { readShaderModule } from '../helpers/shader-module';

// A real device loss (forceDeviceLoss: device.destroy(), reported as a loss) in the middle of a run in the
// Kernel check, Shaders and Performance views of the real app (shared headless Chromium, SwiftShader
// WebGPU). Each view must say so, get a new device from the shell, keep its inputs and finished results,
// and run again on the new device.

const TIMEOUT = 170_000;
const OPEN_TIMEOUT = 280_000;
const DIRECT = readShaderModule('shaders/matmul-direct.wgsl');

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await connectBrowser();
  // Own storage: the Shaders view saves drafts, which must not leak into other test files.
  context = await browser.createBrowserContext();
});
afterAll(async () => {
  await context?.close();
  await browser?.disconnect();
});

/** Opens the app at `hash`, waits for `tag` to have a GPU context and loads the loss hook as `window.gpCtx`. */
async function openView(hash: string, tag: string): Promise<Page> {
  const page = await newTestPage(context, { width: 1280, height: 900 });
  // The first load transforms the whole app in the dev server, slowly on a small shared machine.
  await gotoView(page, `/index.html${hash}`, tag, OPEN_TIMEOUT);
  // The same module instance the app uses (the dev server serves it once per page). A string, so the test
  // runner does not rewrite the dynamic import.
  await page.evaluate(`import('/src/gpu/context.ts').then((m) => { window.gpCtx = m; window.firstGpu = document.querySelector('gp-app').gpu; })`);
  return page;
}

const waitRunState = (page: Page, tag: string, states: string[]) =>
  page.waitForFunction(
    (tag, states) =>
      states.includes(
        document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!.querySelector('[data-run-state]')?.getAttribute('data-run-state') ?? '',
      ),
    { timeout: TIMEOUT, polling: 250 },
    tag,
    states,
  );

/** The shell's context now: a new one (not the first), alive, and the one the view has. */
const gpuSwap = (page: Page, tag: string) =>
  page.evaluate((tag) => {
    const app = document.querySelector('gp-app')!;
    const first = (window as unknown as { firstGpu: { lost: { reason: string } | null } }).firstGpu;
    const view = app.shadowRoot!.querySelector(tag) as unknown as { gpu: unknown };
    return {
      newContext: !!app.gpu && app.gpu !== (first as unknown),
      alive: !!app.gpu && app.gpu.lost === null,
      passedDown: view.gpu === app.gpu,
      firstLost: first.lost?.reason ?? null,
      banner: !!app.shadowRoot!.querySelector('[data-testid=device-lost-banner]'),
    };
  }, tag);

const recoveryItems = (page: Page, tag: string) =>
  inAppView(page, tag, (root) =>
    [...root.querySelectorAll('[data-testid=recovery-notice] li')].map((li) => ({
      result: li.getAttribute('data-result'),
      text: (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
    })),
  );

describe('Kernel check: device lost in the third kernel', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openView('#/kernel-check', 'gp-kernel-check');
  }, OPEN_TIMEOUT + 10_000);
  afterAll(() => page?.close());

  it('shows the loss, reconnects, keeps the two finished kernels (not run again), resumes at the third and passes; a second run works', async () => {
    const kernels = await page.evaluate(() => {
      type Check = { kernel: string; run(gpu: unknown): Promise<unknown[]> };
      const el = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-kernel-check')! as unknown as { checks: Check[]; shadowRoot: ShadowRoot };
      const w = window as unknown as { calls: number[]; seen: { cases: number; text: string }[]; gpCtx: { forceDeviceLoss(gpu: unknown, why: string): void } };
      w.calls = el.checks.map(() => 0);
      w.seen = [];
      // The third kernel's first run loses the device just as it starts on it.
      el.checks = el.checks.map((c, i) => ({
        ...c,
        run: (gpu: unknown) => {
          w.calls[i]++;
          if (i === 2 && w.calls[i] === 1) w.gpCtx.forceDeviceLoss(gpu, 'test: lost in the third kernel');
          return c.run(gpu);
        },
      }));
      // What the view shows while it recovers (every render; polling could miss it).
      new MutationObserver(() => {
        const r = el.shadowRoot.querySelector('[data-testid=reconnecting]');
        if (r)
          w.seen.push({
            cases: el.shadowRoot.querySelectorAll('[data-testid=results] tbody tr').length,
            text: (r.textContent ?? '').replace(/\s+/g, ' ').trim(),
          });
      }).observe(el.shadowRoot, { subtree: true, childList: true, characterData: true });
      (el.shadowRoot.querySelector('[data-testid=run]') as HTMLButtonElement).click();
      return el.checks.map((c) => c.kernel);
    });
    expect(kernels.length).toBeGreaterThanOrEqual(3);
    await waitRunState(page, 'gp-kernel-check', ['done', 'error']);

    const s = await inAppView(page, 'gp-kernel-check', (root) => ({
      state: root.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
      error: root.querySelector('[data-testid=run-error]')?.textContent?.trim() ?? null,
      summary: root.querySelector('[data-testid=kernel-check-summary]')!.getAttribute('data-status'),
      total: Number(root.querySelector('[data-testid=kernel-check-summary]')!.getAttribute('data-total')),
      rows: [...root.querySelectorAll('[data-testid=results] tbody tr')].map((tr) => ({
        kernel: tr.getAttribute('data-kernel'),
        ok: tr.getAttribute('data-ok'),
      })),
    }));
    expect(s.error).toBeNull();
    expect(s.state).toBe('done');
    expect(s.summary).toBe('pass');
    expect(s.rows.every((r) => r.ok === 'true')).toBe(true);
    expect([...new Set(s.rows.map((r) => r.kernel))]).toEqual(kernels); // every kernel, in order, once
    expect(s.rows).toHaveLength(s.total);
    // The first two kernels ran once (their cases were kept), the third twice (lost, then on the new device).
    const calls = await page.evaluate(() => (window as unknown as { calls: number[] }).calls);
    expect(calls).toEqual(kernels.map((_, i) => (i === 2 ? 2 : 1)));

    const rec = await recoveryItems(page, 'gp-kernel-check');
    expect(rec).toHaveLength(1);
    expect(rec[0].result).toBe('resumed');
    expect(rec[0].text).toMatch(
      new RegExp(
        `^after 2 of ${kernels.length} kernels \\(in ${kernels[2]}\\): reconnected to a new device and went on\\. The GPU device was lost \\(forced\\): test: lost in the third kernel`,
      ),
    );
    const seen = await page.evaluate(() => (window as unknown as { seen: { cases: number; text: string }[] }).seen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0].text).toMatch(new RegExp(`lost after 2 of ${kernels.length} kernels \\(in ${kernels[2]}\\) \\(forced\\)\\. Getting a new device`));
    // The finished kernels' cases stayed on screen while it reconnected.
    const firstTwo = s.rows.filter((r) => r.kernel === kernels[0] || r.kernel === kernels[1]).length;
    expect(seen[0].cases).toBe(firstTwo);
    expect(await gpuSwap(page, 'gp-kernel-check')).toEqual({ newContext: true, alive: true, passedDown: true, firstLost: 'forced', banner: false });

    // Run again on the new device: every kernel once more, all pass, no loss this time.
    await inAppView(page, 'gp-kernel-check', (root) => (root.querySelector('[data-testid=run]') as HTMLButtonElement).click());
    await waitRunState(page, 'gp-kernel-check', ['done', 'error']);
    const again = await inAppView(page, 'gp-kernel-check', (root) => ({
      state: root.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
      summary: root.querySelector('[data-testid=kernel-check-summary]')!.getAttribute('data-status'),
      total: Number(root.querySelector('[data-testid=kernel-check-summary]')!.getAttribute('data-total')),
      notice: !!root.querySelector('[data-testid=recovery-notice]'),
    }));
    expect(again).toEqual({ state: 'done', summary: 'pass', total: s.total, notice: false });
    expect(await page.evaluate(() => (window as unknown as { calls: number[] }).calls)).toEqual(kernels.map((_, i) => (i === 2 ? 3 : 2)));
  });
});

describe('Kernel check: a device lost on every try of the second kernel', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openView('#/kernel-check', 'gp-kernel-check');
  }, OPEN_TIMEOUT + 10_000);
  afterAll(() => page?.close());

  it("gives up after 3 recoveries, keeps the first kernel's cases on screen, and a run with a healthy kernel passes", async () => {
    const kernels = await page.evaluate(() => {
      type Check = { kernel: string; run(gpu: unknown): Promise<unknown[]> };
      const el = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-kernel-check')! as unknown as { checks: Check[]; shadowRoot: ShadowRoot };
      const w = window as unknown as { original: Check[]; gpCtx: { forceDeviceLoss(gpu: unknown, why: string): void } };
      w.original = el.checks;
      el.checks = el.checks.map((c, i) =>
        i === 1 ? { ...c, run: (gpu: unknown) => (w.gpCtx.forceDeviceLoss(gpu, 'test: the second kernel loses every device'), c.run(gpu)) } : c,
      );
      (el.shadowRoot.querySelector('[data-testid=run]') as HTMLButtonElement).click();
      return el.checks.map((c) => c.kernel);
    });
    await waitRunState(page, 'gp-kernel-check', ['done', 'error']);
    const s = await inAppView(page, 'gp-kernel-check', (root) => ({
      state: root.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
      error: root.querySelector('[data-testid=run-error]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
      meta: root.querySelector('[data-testid=results-meta]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
      rows: [...root.querySelectorAll('[data-testid=results] tbody tr')].map((tr) => ({
        kernel: tr.getAttribute('data-kernel'),
        ok: tr.getAttribute('data-ok'),
      })),
    }));
    expect(s.state).toBe('error');
    expect(s.rows.length).toBeGreaterThan(0);
    expect(s.rows.every((r) => r.kernel === kernels[0] && r.ok === 'true')).toBe(true);
    expect(s.error).toMatch(
      new RegExp(
        `^The run stopped: The GPU device was lost 4 times during this run; stopped after 3 automatic recoveries\\. The ${s.rows.length} cases of the 1 finished kernel are kept\\. Last loss: .*the second kernel loses every device`,
      ),
    );
    expect(s.meta).toBe(`This run stopped after 1 of ${kernels.length} kernels; the cases of the finished ones are shown.`);
    expect((await recoveryItems(page, 'gp-kernel-check')).map((r) => r.result)).toEqual(['resumed', 'resumed', 'resumed', 'gave-up']);

    // With the kernel healthy again, Run replaces the last lost device first and every case passes.
    await page.evaluate(() => {
      const el = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-kernel-check')! as unknown as { checks: unknown[]; shadowRoot: ShadowRoot };
      el.checks = (window as unknown as { original: unknown[] }).original;
      (el.shadowRoot.querySelector('[data-testid=run]') as HTMLButtonElement).click();
    });
    await waitRunState(page, 'gp-kernel-check', ['done', 'error']);
    const again = await inAppView(page, 'gp-kernel-check', (root) => ({
      state: root.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
      summary: root.querySelector('[data-testid=kernel-check-summary]')!.getAttribute('data-status'),
      kernels: [...new Set([...root.querySelectorAll('[data-testid=results] tbody tr')].map((tr) => tr.getAttribute('data-kernel')))],
    }));
    expect(again).toEqual({ state: 'done', summary: 'pass', kernels });
    expect((await gpuSwap(page, 'gp-kernel-check')).alive).toBe(true);
  });
});

describe('Shaders: device lost during Verify', () => {
  const TAG = 'gp-shader-playground';
  let page: Page;
  beforeAll(async () => {
    page = await openView('#/shaders?kernel=matmul-direct', TAG);
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('gp-wgsl-editor')?.editorView,
      { timeout: TIMEOUT },
    );
  }, OPEN_TIMEOUT + TIMEOUT);
  afterAll(() => page?.close());

  const compileState = () => inAppView(page, TAG, (root) => root.querySelector('[data-testid=compile-status]')?.getAttribute('data-state') ?? null);
  const waitIdle = () =>
    page.waitForFunction(
      () =>
        document
          .querySelector('gp-app')!
          .shadowRoot!.querySelector('gp-shader-playground')!
          .shadowRoot!.querySelector('[data-testid=verify]')!
          .textContent!.trim() !== 'Verifying…',
      { timeout: TIMEOUT, polling: 250 },
    );
  const snapshot = () =>
    inAppView(page, TAG, (root) => ({
      text: root.querySelector('gp-wgsl-editor')!.code,
      summary: root.querySelector('[data-testid=verify-summary]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
      ok: root.querySelector('[data-testid=verify-summary]')?.getAttribute('data-ok') ?? null,
      error: root.querySelector('[data-testid=kernel-error]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
      verifyDisabled: (root.querySelector('[data-testid=verify]') as HTMLButtonElement).disabled,
    }));

  it('says the device was lost (not that shapes fail), keeps the edit and the last Verify result, reconnects, and Verify works again', async () => {
    const edited = `${DIRECT}\n// my edit: kept across a device loss\n`;
    await inAppView(page, TAG, (root, code) => root.querySelector('gp-wgsl-editor')!.setCode(code), edited);
    await page.waitForFunction(
      (code) => {
        const root = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!;
        return root.querySelector('gp-wgsl-editor')!.code === code && root.querySelector('[data-testid=compile-status]')?.getAttribute('data-state') === 'ok';
      },
      { timeout: TIMEOUT },
      edited,
    );
    await inAppView(page, TAG, (root) => (root.querySelector('[data-testid=verify]') as HTMLButtonElement).click());
    await waitIdle();
    const before = await snapshot();
    expect(before.ok).toBe('true');
    expect(before.summary).toMatch(/^All \d+ shapes pass/);

    // Verify again, and lose the device while it runs.
    await page.evaluate(() => {
      const app = document.querySelector('gp-app')!;
      (app.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('[data-testid=verify]') as HTMLButtonElement).click();
      (window as unknown as { gpCtx: { forceDeviceLoss(gpu: unknown, why: string): void } }).gpCtx.forceDeviceLoss(app.gpu, 'test: lost during Verify');
    });
    await waitIdle();
    const after = await snapshot();
    expect(after.error).toMatch(
      /^Verify stopped: The GPU device was lost during Verify; a new device is ready\. Your text and the last finished results are kept; press Verify to run it again/,
    );
    expect(after.error).toContain('test: lost during Verify');
    expect(after.text).toBe(edited);
    expect(after.summary).toBe(before.summary); // the last finished result, not a report of failing shapes
    expect(after.ok).toBe('true');
    const rec = await recoveryItems(page, TAG);
    expect(rec).toHaveLength(1);
    expect(rec[0].result).toBe('reconnected');
    expect(rec[0].text).toMatch(/^during Verify: reconnected to a new device; run again to continue\. The GPU device was lost \(forced\)/);
    expect(await gpuSwap(page, TAG)).toEqual({ newContext: true, alive: true, passedDown: true, firstLost: 'forced', banner: false });
    expect(await compileState()).toBe('ok');
    expect(after.verifyDisabled).toBe(false);

    // Verify on the new device.
    await inAppView(page, TAG, (root) => (root.querySelector('[data-testid=verify]') as HTMLButtonElement).click());
    await waitIdle();
    const again = await snapshot();
    expect(again.error).toBeNull();
    expect(again.ok).toBe('true');
    expect(again.summary).toBe(before.summary);
    expect(again.text).toBe(edited);
    expect(await recoveryItems(page, TAG)).toEqual([]);
  });
});

describe('Performance: device lost after two rows', () => {
  const TAG = 'gp-shader-bench';
  let page: Page;
  beforeAll(async () => {
    page = await openView('#/performance', TAG);
  }, OPEN_TIMEOUT + 10_000);
  afterAll(() => page?.close());

  const table = () =>
    inAppView(page, TAG, (root) => ({
      state: root.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
      rows: [...root.querySelectorAll('[data-testid=bench-rows] tbody tr')].map(
        (tr) => `${tr.getAttribute('data-impl')}|${tr.children[2]?.textContent}|${tr.getAttribute('data-ok')}`,
      ),
      error: root.querySelector('[data-testid=run-error]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
      verified: root.querySelector('[data-testid=bench-verdict]')?.getAttribute('data-verified') ?? null,
      preset: (root.querySelector('[data-testid=preset-tiny]') as HTMLInputElement).checked,
    }));

  it('keeps the rows measured before the loss, says so, reconnects, and Run again measures the whole plan', async () => {
    await page.evaluate(() => {
      const el = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-bench')!;
      const root = el.shadowRoot!;
      (root.querySelector('[data-testid=preset-tiny]') as HTMLInputElement).click();
      const w = window as unknown as { lostAt: string[] | null; gpCtx: { forceDeviceLoss(gpu: unknown, why: string): void } };
      w.lostAt = null;
      // Lose the device as soon as the second row is on screen.
      const mo = new MutationObserver(() => {
        const rows = [...root.querySelectorAll('[data-testid=bench-rows] tbody tr')];
        if (w.lostAt || rows.length < 2) return;
        w.lostAt = rows.map((tr) => `${tr.getAttribute('data-impl')}|${tr.children[2]?.textContent}|${tr.getAttribute('data-ok')}`);
        mo.disconnect();
        w.gpCtx.forceDeviceLoss(document.querySelector('gp-app')!.gpu, 'test: lost after two rows');
      });
      mo.observe(root, { subtree: true, childList: true });
      (root.querySelector('[data-testid=run]') as HTMLButtonElement).click();
    });
    await waitRunState(page, TAG, ['error', 'done']);
    const s = await table();
    const lostAt = await page.evaluate(() => (window as unknown as { lostAt: string[] | null }).lostAt);
    expect(lostAt).not.toBeNull();
    expect(s.state).toBe('error');
    expect(s.preset).toBe(true);
    // The rows measured before the loss are still there, unchanged (a row in flight may have been lost).
    expect(s.rows.length).toBeGreaterThanOrEqual(2);
    expect(s.rows.slice(0, lostAt!.length)).toEqual(lostAt);
    expect(s.rows.every((r) => r.endsWith('|true'))).toBe(true);
    const total = Number(s.error!.match(/ of (\d+) rows/)![1]);
    expect(s.rows.length).toBeLessThan(total);
    expect(s.error).toMatch(
      new RegExp(
        `^The run stopped: The GPU device was lost after ${s.rows.length} of ${total} rows; a new device is ready\\. The ${s.rows.length} rows measured before it are kept; Run again measures the whole plan anew\\.`,
      ),
    );
    expect(s.error).toContain('test: lost after two rows');
    const rec = await recoveryItems(page, TAG);
    expect(rec.map((r) => r.result)).toEqual(['reconnected']);
    expect(await gpuSwap(page, TAG)).toEqual({ newContext: true, alive: true, passedDown: true, firstLost: 'forced', banner: false });

    // Run again: the whole tiny plan on the new device, every row verified against float64.
    await inAppView(page, TAG, (root) => (root.querySelector('[data-testid=run]') as HTMLButtonElement).click());
    await waitRunState(page, TAG, ['error', 'done']);
    const again = await table();
    expect(again.error).toBeNull();
    expect(again.state).toBe('done');
    expect(again.rows).toHaveLength(total);
    expect(again.verified).toBe('true');
    expect(again.rows.every((r) => r.endsWith('|true'))).toBe(true);
    expect(await recoveryItems(page, TAG)).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { connectBrowser } from '../helpers/browser';
import { clickInDepthLab, openDepthLab, waitForDepthRunEnd } from '../helpers/depth-lab-page';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import type { DepthLabExport } from '../../src/labs/depth/export';
import { depthRange, type SweepSpec } from '../../src/labs/depth/sweep-grid';
import { encodeState } from '../../src/labs/depth/url-state';

// Fault injection in the real app (shared headless Chromium, real WebGPU on SwiftShader): the debug hook
// `?debug=lose-device-after-row=N` really destroys the GPU device mid-sweep (device.destroy(), reported as a
// loss). The lab must show it, get a new device from the shell, and resume at the first unfinished row,
// keeping the finished ones; after MAX_SWEEP_RECOVERIES losses in one sweep it stops and says so.
// A destroyed device only affects its own page.

const RUN_TIMEOUT = 170_000;
// The lecture's W = 1.5·I at n = 2, m = 1, depths 1..40: rows run in chunks of 5 (an eighth of the sweep).
const LECTURE = {
  config: validateDeepNetConfig({ depth: 40, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1 }),
  sweep: { kind: 'depth', depths: depthRange(1, 40) } as SweepSpec,
};

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(() => browser?.disconnect());

const openLab = (debug: string) => openDepthLab(browser, `/index.html?debug=${debug}#/depth-lab?${encodeState({ ...LECTURE, view: 'act' })}`);

const lab = (page: Page) =>
  page.evaluate(() => {
    const app = document.querySelector('gp-app')!;
    const root = app.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!;
    const t = (sel: string) => {
      const el = root.querySelector(sel);
      return el ? (el.textContent ?? '').replace(/\s+/g, ' ').trim() : null;
    };
    return {
      state: root.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
      rows: root.querySelector('gp-heatmap')?.data?.rowLabels.length ?? 0,
      recoveries: [...root.querySelectorAll('[data-testid=recovery-notice] li')].map((li) => ({
        result: li.getAttribute('data-result'),
        text: (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
      runError: t('[data-testid=run-error]'),
      lostBanner: (app.shadowRoot!.querySelector('[data-testid=device-lost-banner]')?.textContent ?? '').replace(/\s+/g, ' ').trim() || null,
    };
  });

async function runToEnd(page: Page): Promise<void> {
  await clickInDepthLab(page, '[data-testid=run]');
  await waitForDepthRunEnd(page, RUN_TIMEOUT);
}

describe('device lost mid-sweep (?debug=lose-device-after-row=3)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openLab('lose-device-after-row=3');
  });
  afterAll(() => page?.close());

  it('shows the loss, reconnects, resumes at the first unfinished row, keeps the finished rows and finishes', async () => {
    // Record what the page shows while it recovers (every render; polling could miss it).
    await page.evaluate(() => {
      const app = document.querySelector('gp-app')!;
      (window as unknown as { firstGpu: unknown }).firstGpu = app.gpu;
      const root = app.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!;
      const seen: { rows: number; reconnecting: string }[] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        const r = root.querySelector('[data-testid=reconnecting]');
        if (r)
          seen.push({ rows: root.querySelector('gp-heatmap')?.data?.rowLabels.length ?? 0, reconnecting: (r.textContent ?? '').replace(/\s+/g, ' ').trim() });
      }).observe(root, { subtree: true, childList: true, characterData: true });
    });
    await runToEnd(page);
    const s = await lab(page);
    expect(s.runError).toBeNull();
    expect(s.state).toBe('complete');
    expect(s.rows).toBe(40);
    // Chunks: row 1 alone, then 5 rows each. Rows 4–6 were already computed in the chunk in flight (rows 2–6),
    // so the sweep resumed at row 7.
    expect(s.recoveries).toHaveLength(1);
    expect(s.recoveries[0].result).toBe('resumed');
    expect(s.recoveries[0].text).toMatch(/^after 6 of 40 rows: reconnected to a new device and resumed at row 7\. The GPU device was lost \(forced\)/);
    const seen = await page.evaluate(() => (window as unknown as { seen: { rows: number; reconnecting: string }[] }).seen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0].rows).toBe(6); // the finished rows stayed on screen while reconnecting
    expect(seen[0].reconnecting).toMatch(/lost after 6 of 40 rows \(forced\).*resume at row 7/);
    expect(s.lostBanner).toBeNull(); // the shell's banner went away with the new device

    const swap = await page.evaluate(async () => {
      const app = document.querySelector('gp-app')!;
      const first = (window as unknown as { firstGpu: { device: GPUDevice; lost: { name: string; reason: string } | null } }).firstGpu;
      const lab = app.shadowRoot!.querySelector('gp-depth-lab')!;
      return {
        newContext: app.gpu !== null && app.gpu !== (first as unknown),
        passedDown: lab.gpu === app.gpu,
        oldReason: await first.device.lost.then((l) => l.reason),
        oldLost: first.lost && { name: first.lost.name, reason: first.lost.reason },
      };
    });
    expect(swap).toEqual({ newContext: true, passedDown: true, oldReason: 'destroyed', oldLost: { name: 'GpuDeviceLostError', reason: 'forced' } });

    // Every row — before and after the loss — holds the right numbers: ‖a[l]‖ = 1.5^l·√2 (f32, 1e-5).
    const doc = (await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.exportJson())) as DepthLabExport;
    expect(doc.outcome).toBe('complete');
    expect(doc.rows.map((r) => r.config.depth)).toEqual(depthRange(1, 40));
    for (const row of doc.rows) {
      (row.layers.actNorm as number[]).forEach((v, i) => expect(Math.abs(v / (1.5 ** (i + 1) * Math.SQRT2) - 1)).toBeLessThan(1e-5));
    }
    await page.screenshot({ path: '/tmp/device-loss-resumed.png', fullPage: true });
  });
});

describe('repeated device loss (?debug=lose-device-after-row=2,lose-device-times=10)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openLab('lose-device-after-row=2,lose-device-times=10');
  });
  afterAll(() => page?.close());

  it('recovers 3 times, then stops with a message, keeping every finished row', async () => {
    await runToEnd(page);
    const s = await lab(page);
    expect(s.state).toBe('error');
    // Each device finishes the chunk in which its loss comes (row 1 alone, then 5 rows a chunk): 4 devices, 21 rows.
    expect(s.rows).toBe(21);
    expect(s.recoveries.map((r) => r.result)).toEqual(['resumed', 'resumed', 'resumed', 'gave-up']);
    expect(s.recoveries.map((r) => r.text.match(/^after (\d+) of 40/)![1])).toEqual(['6', '11', '16', '21']);
    expect(s.runError).toMatch(
      /^The sweep stopped after 21 of 40 rows: The GPU device was lost 4 times during this sweep; stopped after 3 automatic recoveries\. The 21 finished rows are kept\./,
    );
    // The shell shows the last loss, with Reconnect.
    expect(s.lostBanner).toMatch(/The GPU device was lost\..*forced.*Reconnect/);
    const doc = (await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.exportJson())) as DepthLabExport;
    expect(doc.outcome).toBe('error');
    expect(doc.rows.map((r) => r.config.depth)).toEqual(depthRange(1, 21));
  });

  it('Resume replaces the lost device first and continues at row 22, keeping rows 1–21', async () => {
    const label = await page.evaluate(
      () =>
        document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('[data-testid=resume]')?.textContent?.trim() ??
        null,
    );
    expect(label).toBe('Resume at row 22');
    await clickInDepthLab(page, '[data-testid=resume]');
    await waitForDepthRunEnd(page, RUN_TIMEOUT);
    const s = await lab(page);
    // Devices 5–8 run rows 22–26, 27–31, 32–36 and 37–40; the last loss comes after the sweep's last chunk was read.
    expect(s.runError).toBeNull();
    expect(s.state).toBe('complete');
    expect(s.rows).toBe(40);
    expect(s.recoveries.map((r) => r.text.match(/^after (\d+) of 40/)![1])).toEqual(['26', '31', '36']);
    const doc = (await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.exportJson())) as DepthLabExport;
    expect(doc.outcome).toBe('complete');
    expect(doc.rows.map((r) => r.config.depth)).toEqual(depthRange(1, 40));
    for (const row of doc.rows) {
      (row.layers.actNorm as number[]).forEach((v, i) => expect(Math.abs(v / (1.5 ** (i + 1) * Math.SQRT2) - 1)).toBeLessThan(1e-5));
    }
  });
});

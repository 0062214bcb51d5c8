import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { connectBrowser, newTestPage } from '../helpers/browser';
import { clickInDepthLab, waitForDepthRunEnd } from '../helpers/depth-lab-page';
import { describeCause, lostCause } from '../../src/labs/depth/classify';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import type { DepthLabExport } from '../../src/labs/depth/export';
import type { SweepSpec } from '../../src/labs/depth/sweep-grid';
import { encodeState } from '../../src/labs/depth/url-state';

// Issue 15, "Statuses that follow causality": the init sweep N(0,1) + ReLU at width 256 explodes — ‖a‖
// passes 1e38 near layer 35, f32 turns it into NaN and ReLU turns the NaN into 0. Nothing after that may
// read as vanishing: no 'underflow' in the heatmap (model, legend, table), the row chart or the CSV, and
// 'lost' after the overflow — on the GPU and on the CPU fallback alike, and as the float64 reference says.

const RUN_TIMEOUT = 240_000;
// The lecture's width and init, a depth past the overflow, a batch small enough for SwiftShader.
const STATE = {
  config: validateDeepNetConfig({ depth: 48, width: 256, batch: 8, activation: 'relu', init: 'normal', gain: 1, seed: 1, input: 'normal' }),
  sweep: { kind: 'init', inits: ['normal'] } as SweepSpec,
};
const QUANTITIES = ['actNorm', 'gradActNorm', 'gradWNorm', 'zVar'] as const;
const UNDERFLOW = 2;
const OVERFLOW = 1;
const LOST = 5;

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(() => browser?.disconnect());

async function runLab(debug: string): Promise<Page> {
  const page = await newTestPage(browser, { width: 1280, height: 900 });
  await page.goto(`${inject('baseUrl')}/index.html${debug}#/depth-lab?${encodeState({ ...STATE, view: 'act' })}`);
  await page.waitForFunction(
    () => {
      const lab = document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-depth-lab');
      const run = lab?.shadowRoot?.querySelector('[data-testid=run]') as HTMLButtonElement | null;
      return !!run && !run.disabled && (!!lab!.gpu || !!lab!.shadowRoot!.querySelector('[data-testid=cpu-badge]'));
    },
    { timeout: 60_000, polling: 250 },
  );
  await clickInDepthLab(page, '[data-testid=run]');
  await waitForDepthRunEnd(page, RUN_TIMEOUT);
  return page;
}

/** Everything the page shows for one quantity: heatmap model, legend, table, row chart and row text. */
function readView(page: Page, quantity: string) {
  return page.evaluate(async (quantity) => {
    const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!;
    const root = lab.shadowRoot!;
    (root.querySelector(`[data-quantity=${quantity}]`) as HTMLElement).click();
    await (lab as unknown as { updateComplete: Promise<boolean> }).updateComplete;
    const hm = root.querySelector('gp-heatmap') as unknown as HTMLElement & {
      heatmapModel: { status: Uint8Array; legend: { name: string; label: string }[]; cols: number } | null;
      updateComplete: Promise<boolean>;
    };
    await hm.updateComplete;
    const model = hm.heatmapModel!;
    const tableButton = [...hm.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Table')!;
    if (tableButton.getAttribute('aria-pressed') !== 'true') tableButton.click();
    await hm.updateComplete;
    const cells = [...hm.shadowRoot!.querySelectorAll('td')];
    const row = root.querySelector('gp-depth-row')!;
    await (row as unknown as { updateComplete: Promise<boolean> }).updateComplete;
    const chart = row.shadowRoot!.querySelector('gp-line-chart')!;
    await (chart as unknown as { updateComplete: Promise<boolean> }).updateComplete;
    const svg = chart.shadowRoot!.querySelector('svg')!;
    return {
      status: Array.from(model.status),
      legend: model.legend.map((e) => e.label),
      tableClasses: cells.map((td) => td.className),
      tableTexts: cells.map((td) => td.textContent ?? ''),
      chartUnderflow: svg.querySelectorAll('.marker.underflow').length,
      chartLost: [...svg.querySelectorAll('.marker.lost')].map((m) => Number(m.getAttribute('data-layer'))),
      chartDesc: svg.querySelector('desc')?.textContent ?? '',
      limits: row.shadowRoot!.querySelector('[data-testid=limits]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
      rowText: row.shadowRoot!.textContent?.replace(/\s+/g, ' ') ?? '',
    };
  }, quantity);
}

async function expectNoUnderflowAndLost(page: Page) {
  const ref = deepNetRef(STATE.config);
  const cause = lostCause(ref.status, ref.layers)!;
  expect(cause, 'the float64 reference overflows').toMatchObject({ pass: 'forward', stat: 'actNorm' });
  expect(cause.layer).toBeGreaterThan(20);
  expect(cause.layer).toBeLessThan(48);

  for (const q of QUANTITIES) {
    const v = await readView(page, q);
    expect(v.status, `${q}: heatmap`).not.toContain(UNDERFLOW);
    expect(v.status, `${q}: heatmap`).toContain(LOST);
    expect(v.legend, `${q}: legend`).not.toContain('underflow');
    expect(v.legend, `${q}: legend`).toContain('after a value passed 1e38 or became NaN');
    expect(v.tableClasses, `${q}: table`).not.toContain('underflow');
    expect(
      v.tableTexts.some((t) => t.includes('underflow')),
      `${q}: table text`,
    ).toBe(false);
    // The table shows the first page of layers: every lost cell there says so.
    const lostCells = v.tableClasses.filter((c) => c === 'lost').length;
    expect(v.tableTexts.filter((t) => t.includes('(after a value passed 1e38 or became NaN)')).length, `${q}: table text`).toBe(lostCells);
    if (q !== 'actNorm' && q !== 'zVar') expect(lostCells).toBe(v.tableClasses.length);
    expect(v.chartUnderflow, `${q}: row chart`).toBe(0);
    expect(v.chartDesc, `${q}: row chart`).not.toMatch(/underflow/);
    expect(v.chartDesc, `${q}: row chart`).toMatch(/\d+ after a value passed 1e38 or became NaN/);
    if (q === 'actNorm') {
      // ‖a‖: the overflow shows where float64 says it happens, everything after it is lost.
      expect(v.status.indexOf(OVERFLOW) + 1).toBe(cause.layer);
      expect(v.status.slice(cause.layer)).toEqual(new Array(48 - cause.layer).fill(LOST));
      expect(v.chartLost).toEqual(Array.from({ length: 48 - cause.layer }, (_, i) => cause.layer + 1 + i));
    } else if (q !== 'zVar') {
      // Every gradient of a run whose forward pass overflowed is lost.
      expect(v.status).toEqual(new Array(48).fill(LOST));
    }
    // The row text never says "vanishes" or "does not overflow" beside overflow cells; it names the cause.
    expect(v.limits).not.toMatch(/do(es)? not overflow|underflows? to exactly 0/);
    // What happened at that layer: an f32 overflow only if the value there had left f32's range.
    expect(v.limits).toContain(`Everything computed after that is lost: ${describeCause(cause)}`);
    expect(describeCause(cause)).toMatch(cause.pastF32 ? /overflowed f32 at layer \d+$/ : /passed the lab's 1e38 overflow mark at layer \d+$/);
    expect(v.rowText).toContain('Loss J: after a value passed 1e38 or became NaN');
  }

  const csv = (await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.exportCsvText()))!;
  const statuses = csv
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[7]);
  expect(statuses).toHaveLength(48 * 5);
  expect(statuses).not.toContain('underflow');
  expect(statuses.filter((s) => s === 'lost').length).toBeGreaterThan(48 * 2);
  const doc = (await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.exportJson())) as DepthLabExport;
  const row = doc.rows[0];
  expect(row.lossStatus).toBe('lost');
  expect(doc.statuses.lost).toMatch(/^after a value passed 1e38 or became NaN: /);
  // The page's statuses are the float64 reference's: 'lost' in the same places, the same first overflow.
  for (const q of ['actNorm', 'gradActNorm', 'gradWNorm'] as const) {
    expect(
      row.status[q].map((s) => s === 'lost'),
      q,
    ).toEqual(ref.status[q].map((s) => s === 'lost'));
  }
  expect(row.limits.measured.lostTo).toEqual(cause);
}

describe('Depth lab: N(0,1) + ReLU, width 256, init sweep — an explosion never reads as vanishing', () => {
  it('on the GPU (f32): no underflow in heatmap, legend, table, row chart or CSV; lost after the overflow', async () => {
    const page = await runLab('');
    try {
      expect(await page.evaluate(() => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.gpu)).toBe(true);
      await expectNoUnderflowAndLost(page);
      await readView(page, 'actNorm');
      await page.screenshot({ path: '/tmp/lost-status-gpu.png', fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('on the CPU fallback (float64): the same statuses, the same text', async () => {
    const page = await runLab('?debug=no-webgpu');
    try {
      expect(
        await page.evaluate(
          () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('[data-testid=cpu-badge]'),
        ),
      ).toBe(true);
      await expectNoUnderflowAndLost(page);
    } finally {
      await page.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { datasetFromTable } from '../../src/labs/normalize/csv-dataset';
import { parseCsv } from '../../src/labs/normalize/csv-parser';
import { makeDataset } from '../../src/labs/normalize/data';
import type { NormalizeLabExport } from '../../src/labs/normalize/export';
import { defaultLabState, type NormalizeLabState } from '../../src/labs/normalize/form';
import { NORMALIZE_MODES } from '../../src/labs/normalize/types';
import { encodeNormalizeState } from '../../src/labs/normalize/url-state';

// The Normalization lab end to end in the real app page (real WebGPU on SwiftShader): a link restores the
// settings, Run computes the four modes on the GPU, the table's κ, μ and σ agree with a float64 reference
// computed here in Node from the same (pure, seeded) dataset, the export holds the table's numbers, a
// malformed CSV is reported with its line number while the results stay, and a bad link param falls back.

const RUN_TIMEOUT = 150_000;
// An upload waits for the CSV worker, whose module the dev server may still be compiling on a busy machine.
const CSV_TIMEOUT = 60_000;
const STATE: NormalizeLabState = {
  ...defaultLabState(),
  data: {
    m: 500,
    ranges: [
      [1, 1000],
      [0, 1],
    ],
    noise: 0.1,
    testFraction: 0.2,
    testShift: 0.5,
    seed: 3,
  },
  lrScale: 'relative',
  lr: 0.9,
  steps: 800,
  tol: 1e-6,
};

let browser: Browser;
beforeAll(async () => {
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
});
afterAll(() => browser?.disconnect());

async function openLab(query: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 1000 });
  page.on('pageerror', (err) => console.error('[page error]', err));
  await page.goto(`${inject('baseUrl')}/index.html#/normalization-lab?${query}`);
  await page.waitForFunction(() => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-normalize-lab')?.gpu, { timeout: 60_000 });
  return page;
}

const lab = 'document.querySelector("gp-app").shadowRoot.querySelector("gp-normalize-lab")';

function inLab<T>(page: Page, fn: string): Promise<T> {
  return page.evaluate(`(() => { const root = ${lab}.shadowRoot; const el = ${lab}; ${fn} })()`) as Promise<T>;
}

const text = (page: Page, sel: string) =>
  inLab<string | null>(page, `const e = root.querySelector(${JSON.stringify(sel)}); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;`);
const value = (page: Page, sel: string) => inLab<string | null>(page, `const e = root.querySelector(${JSON.stringify(sel)}); return e ? e.value : null;`);
const click = (page: Page, sel: string) => inLab<void>(page, `root.querySelector(${JSON.stringify(sel)}).click();`);
const runState = (page: Page) => inLab<string>(page, `return root.querySelector('[data-run-state]').getAttribute('data-run-state');`);

async function setField(page: Page, sel: string, v: string) {
  await inLab<void>(
    page,
    `const i = root.querySelector(${JSON.stringify(sel)}); i.focus(); i.value = ${JSON.stringify(v)}; i.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));`,
  );
}

async function waitForRunEnd(page: Page) {
  await page.waitForFunction(
    (l) => {
      const s = (eval(l) as HTMLElement | null)?.shadowRoot?.querySelector('[data-run-state]')?.getAttribute('data-run-state');
      return s === 'complete' || s === 'error';
    },
    { timeout: RUN_TIMEOUT, polling: 250 },
    lab,
  );
}

interface TableRow {
  mode: string;
  cells: Record<string, { text: string; value: string | null; outcome: string | null }>;
}

function readTable(page: Page) {
  return inLab<TableRow[]>(
    page,
    `return [...root.querySelectorAll('[data-testid=results-table] tbody tr')].map((tr) => ({
      mode: tr.getAttribute('data-mode'),
      cells: Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.getAttribute('data-col'), {
        text: td.textContent.replace(/\\s+/g, ' ').trim(), value: td.getAttribute('data-value'), outcome: td.getAttribute('data-outcome') }])),
    }));`,
  );
}

function readStats(page: Page) {
  return inLab<{ mode: string; set: string; col: string; feature: number; value: number }[]>(
    page,
    `return [...root.querySelectorAll('[data-testid=stats-table] tbody tr')].flatMap((tr) =>
      [...tr.querySelectorAll('td[data-col]')].map((td) => ({ mode: tr.getAttribute('data-mode'), set: tr.getAttribute('data-set'),
        col: td.getAttribute('data-col'), feature: Number(td.getAttribute('data-feature')), value: Number(td.getAttribute('data-value')) })));`,
  );
}

const exportJson = (page: Page) => inLab<NormalizeLabExport | null>(page, 'return el.exportJson();');

/** float64 reference from the same seeded dataset: training μ, σ and κ of the raw and standardized Hessians. */
function reference() {
  const ds = makeDataset({ ...STATE.data });
  const { x, m } = ds.train;
  const d = ds.d;
  const mu = new Float64Array(d);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) mu[j] += x[i * d + j] / m;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < m; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] += ((x[i * d + a] - mu[a]) * (x[i * d + b] - mu[b])) / m;
  const sigma = Array.from({ length: d }, (_, j) => Math.sqrt(cov[j * d + j]));
  const kappa2 = (a: number, b: number, c: number) => {
    const mean = (a + c) / 2;
    const r = Math.hypot((a - c) / 2, b);
    return (mean + r) / (mean - r);
  };
  const rawKappa = kappa2(cov[0], cov[1], cov[3]);
  const stdKappa = kappa2(1, cov[1] / (sigma[0] * sigma[1]), 1);
  return { ds, mu, sigma, rawKappa, stdKappa, rawLimit: 2 / ((cov[0] + cov[3]) / 2 + Math.hypot((cov[0] - cov[3]) / 2, cov[1])) };
}

describe('Normalization lab from a link', () => {
  let page: Page;
  const ref = reference();
  beforeAll(async () => {
    page = await openLab(encodeNormalizeState(STATE));
  });
  afterAll(() => page?.close());

  it('restores the settings from the URL', async () => {
    expect(await value(page, '#f-m')).toBe('500');
    expect(await value(page, '#f-seed')).toBe('3');
    expect(await value(page, '#f-testShift')).toBe('0.5');
    expect(await value(page, '#f-lr')).toBe('0.9');
    expect(await value(page, '#f-steps')).toBe('800');
    expect(await text(page, '[data-testid=dataset-summary]')).toContain('500 rows (400 train, 100 test), 2 features');
    expect(await text(page, '[data-testid=url-problems]')).toBeNull();
  });

  it('runs the four modes on the GPU; κ, μ and σ agree with the float64 reference', async () => {
    await click(page, '[data-testid=run]');
    await waitForRunEnd(page);
    expect(await runState(page)).toBe('complete');
    expect(await inLab(page, `return root.querySelector('[data-testid=backend-badge]').getAttribute('data-backend');`)).toBe('gpu');

    const rows = await readTable(page);
    expect(rows.map((r) => r.mode)).toEqual([...NORMALIZE_MODES]);
    const by = Object.fromEntries(rows.map((r) => [r.mode, r.cells]));
    const rawK = Number(by.raw.kappa.value);
    const stdK = Number(by.standardize.kappa.value);
    expect(rawK).toBeGreaterThan(1e4);
    expect(stdK).toBeLessThan(10);
    expect(Math.abs(rawK - ref.rawKappa) / ref.rawKappa).toBeLessThan(1e-2);
    expect(Math.abs(stdK - ref.stdKappa)).toBeLessThan(1e-3);
    expect(Math.abs(Number(by.raw.maxStableLr.value) - ref.rawLimit) / ref.rawLimit).toBeLessThan(1e-3);
    // test-own-stats trains on the same standardized features
    expect(Number(by['test-own-stats'].kappa.value)).toBeCloseTo(stdK, 6);

    // standardized converges, in fewer steps than raw (which at κ ≈ 10⁶ does not converge at all)
    expect(by.standardize.steps.outcome).toBe('converged');
    const stdSteps = Number(by.standardize.steps.value);
    expect(by.raw.steps.outcome === 'not-converged' || Number(by.raw.steps.value) > stdSteps).toBe(true);
    expect(by.raw.steps.text).toMatch(/not converged in 800 steps|\d+ steps/);
    // with a shifted test set, normalizing it with its own statistics costs far more on the test set
    expect(Number(by['test-own-stats'].testCost.value)).toBeGreaterThan(2 * Number(by.standardize.testCost.value));

    // μ and σ shown are the training set's, as the float64 reference computes them
    const stats = await readStats(page);
    for (let j = 0; j < 2; j++) {
      const mu = stats.find((s) => s.mode === 'train-stats' && s.col === 'mu' && s.feature === j)!.value;
      const sigma = stats.find((s) => s.mode === 'train-stats' && s.col === 'sigma' && s.feature === j)!.value;
      expect(Math.abs(mu - ref.mu[j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref.mu[j])));
      expect(Math.abs(sigma - ref.sigma[j]) / ref.sigma[j]).toBeLessThan(1e-4);
      // divide-variance divides by σ²; test-own-stats subtracts the test set's own μ (shifted by half a range)
      const dv = stats.find((s) => s.mode === 'divide-variance' && s.set === 'train' && s.col === 'divisor' && s.feature === j)!.value;
      expect(Math.abs(dv - ref.sigma[j] ** 2) / ref.sigma[j] ** 2).toBeLessThan(2e-4);
      const ownTestMu = stats.find((s) => s.mode === 'test-own-stats' && s.set === 'test' && s.col === 'shift' && s.feature === j)!.value;
      const width = STATE.data.ranges[j][1] - STATE.data.ranges[j][0];
      expect(ownTestMu - ref.mu[j]).toBeGreaterThan(0.3 * width);
      const stdTestMu = stats.find((s) => s.mode === 'standardize' && s.set === 'test' && s.col === 'shift' && s.feature === j)!.value;
      expect(stdTestMu).toBeCloseTo(mu, 6);
    }

    // the plots are there, with text alternatives
    const labels = await inLab<string[]>(
      page,
      `return [...root.querySelectorAll('gp-contour-plot, gp-scatter-plot')].map((p) => p.shadowRoot.querySelector('canvas').getAttribute('aria-label'));`,
    );
    expect(labels).toHaveLength(6);
    for (const l of labels) expect(l.length).toBeGreaterThan(20);
  });

  it('exports JSON that matches the table, and PNGs of the plots', async () => {
    const rows = await readTable(page);
    const doc = (await exportJson(page))!;
    expect(doc.format).toBe('gradient-playground/normalization-lab');
    expect(doc.backend).toBe('gpu');
    expect(doc.dataset).toMatchObject({ trainRows: 400, testRows: 100 });
    expect(doc.modes.map((m) => m.mode)).toEqual(rows.map((r) => r.mode));
    for (const [i, m] of doc.modes.entries()) {
      const c = rows[i].cells;
      expect(String(m.kappa)).toBe(c.kappa.value);
      expect(String(m.maxStableLr)).toBe(c.maxStableLr.value);
      expect(String(m.testCost)).toBe(c.testCost.value);
      expect(String(m.trainCost)).toBe(c.trainCost.value);
      expect(c.steps.text).toBe(m.outcomeText);
      expect(m.path.length).toBe(m.steps! + 1);
    }
    const sizes = await inLab<number[]>(page, `return Promise.all(['contours', 'scatter'].map((w) => el.plotsPng(w).then((b) => b ? b.size : 0)));`);
    expect(sizes[0]).toBeGreaterThan(5000);
    expect(sizes[1]).toBeGreaterThan(5000);
  });

  it('a learning-rate change reruns only the descent: same κ, new lr', async () => {
    const before = await readTable(page);
    await setField(page, '#f-lr', '0.02');
    await page.waitForFunction(
      (l) => {
        const root = (eval(l) as HTMLElement).shadowRoot!;
        const td = root.querySelector('[data-testid=results-table] tr[data-mode=standardize] td[data-col=lr]');
        return root.querySelector('[data-run-state]')?.getAttribute('data-run-state') === 'complete' && td && td.textContent!.includes('(0.02×)');
      },
      { timeout: RUN_TIMEOUT, polling: 250 },
      lab,
    );
    const after = await readTable(page);
    for (let i = 0; i < 4; i++) {
      expect(after[i].cells.kappa.value).toBe(before[i].cells.kappa.value);
      expect(Number(after[i].cells.lr.value)).toBeCloseTo(Number(before[i].cells.lr.value) / 45, 12);
    }
    expect(Number(after[1].cells.steps.value)).toBeGreaterThan(Number(before[1].cells.steps.value));
    expect(await inLab<string>(page, 'return location.hash;')).toContain('lr=0.02');
  });

  it('one learning rate for all: at lr = 1 raw and σ² diverge, standardized converges in a few steps', async () => {
    await click(page, 'input[name=lrscale][value=absolute]');
    // switching keeps the raw mode's learning rate: 0.02 × its 2/λmax
    const converted = Number(await value(page, '#f-lr'));
    expect(converted / (0.02 * reference().rawLimit)).toBeCloseTo(1, 2);
    await setField(page, '#f-lr', '1');
    await page.waitForFunction(
      (l) => {
        const root = (eval(l) as HTMLElement).shadowRoot!;
        const td = root.querySelector('[data-testid=results-table] tr[data-mode=standardize] td[data-col=lr]');
        return root.querySelector('[data-run-state]')?.getAttribute('data-run-state') === 'complete' && td?.getAttribute('data-value') === '1';
      },
      { timeout: RUN_TIMEOUT, polling: 250 },
      lab,
    );
    const by = Object.fromEntries((await readTable(page)).map((r) => [r.mode, r.cells]));
    expect(by.raw.steps.outcome).toBe('diverged');
    expect(by['divide-variance'].steps.outcome).toBe('diverged');
    expect(by.standardize.steps.outcome).toBe('converged');
    expect(Number(by.standardize.steps.value)).toBeLessThan(30);
    expect(await inLab<string>(page, 'return location.hash;')).toContain('lrscale=abs&lr=1&');
    // back to the relative scale for the tests below
    await click(page, 'input[name=lrscale][value=relative]');
    await setField(page, '#f-lr', '0.02');
    await page.waitForFunction(
      (l) => {
        const root = (eval(l) as HTMLElement).shadowRoot!;
        const td = root.querySelector('[data-testid=results-table] tr[data-mode=raw] td[data-col=lr]');
        return root.querySelector('[data-run-state]')?.getAttribute('data-run-state') === 'complete' && td!.textContent!.includes('(0.02×)');
      },
      { timeout: RUN_TIMEOUT, polling: 250 },
      lab,
    );
  });

  it('a malformed CSV shows the line number and message; the previous results stay', async () => {
    const before = await readTable(page);
    const dir = mkdtempSync(join(tmpdir(), 'gp-csv-'));
    const file = join(dir, 'ragged.csv');
    writeFileSync(file, 'a,b,y\n1,2,3\n4,5,6\n7,8\n9,10,11\n');
    const input = await page.$('gp-app >>> gp-normalize-lab >>> [data-testid=csv-file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=csv-error]'), { timeout: CSV_TIMEOUT }, lab);
    const msg = (await text(page, '[data-testid=csv-error]'))!;
    expect(msg).toContain('ragged.csv, line 4');
    expect(msg).toContain('previous data is still loaded');
    expect(await readTable(page)).toEqual(before);
    expect(await text(page, '[data-testid=dataset-summary]')).toContain('generated (seed 3); 500 rows');
    expect(await inLab<boolean>(page, `return root.querySelector('input[name=source][value=generated]').checked;`)).toBe(true);
  });

  it('a bad field gets a message next to it, Run waits, and nothing else is lost', async () => {
    const before = await readTable(page);
    await setField(page, '#f-m', '5');
    expect(await text(page, '[data-problem=m]')).toMatch(/must be from 10 to 1,000,000; got 5/);
    expect(await inLab<boolean>(page, `return root.querySelector('[data-testid=run]').disabled;`)).toBe(true);
    expect(await readTable(page)).toEqual(before);
    expect(await value(page, '#f-seed')).toBe('3');
    await setField(page, '#f-m', '500');
    expect(await text(page, '[data-problem=m]')).toBeNull();
  });

  it('Cancel stops a run; the previous results stay', async () => {
    const before = await readTable(page);
    await setField(page, '#f-seed', '4');
    await page.waitForFunction(
      (l) => !(eval(l) as HTMLElement).shadowRoot!.querySelector<HTMLButtonElement>('[data-testid=run]')!.disabled,
      { timeout: 20_000 },
      lab,
    );
    // Start and cancel in the same turn: the run stops at its next check, before any new result.
    await inLab<void>(page, `void el.run(); el.cancel();`);
    await page.waitForFunction(
      (l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('[data-run-state]')!.getAttribute('data-run-state') !== 'running',
      { timeout: RUN_TIMEOUT, polling: 250 },
      lab,
    );
    expect(await text(page, '[data-testid=progress]')).toBe('Cancelled; the previous results are shown.');
    expect(await readTable(page)).toEqual(before);
    expect(await text(page, '[data-testid=run-error]')).toBeNull();
    await setField(page, '#f-seed', '3');
  });

  it('without a GPU context it runs on the CPU (badge shown, m capped) and agrees with the GPU run', async () => {
    const gpuRows = await readTable(page);
    await inLab<void>(page, 'el.gpu = null;');
    await setField(page, '#f-m', '200000');
    await page.waitForFunction(
      (l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=progress]')!.textContent!.includes('limited to 100,000'),
      { timeout: 20_000 },
      lab,
    );
    expect(await inLab<boolean>(page, `return root.querySelector('[data-testid=run]').disabled;`)).toBe(true);
    await setField(page, '#f-m', '500');
    await page.waitForFunction(
      (l) => !(eval(l) as HTMLElement).shadowRoot!.querySelector<HTMLButtonElement>('[data-testid=run]')!.disabled,
      { timeout: 20_000 },
      lab,
    );
    await click(page, '[data-testid=run]');
    await waitForRunEnd(page);
    expect(await inLab(page, `return root.querySelector('[data-testid=backend-badge]').getAttribute('data-backend');`)).toBe('cpu');
    expect(await text(page, '[data-testid=backend-badge]')).toContain('CPU fallback');
    const cpuRows = await readTable(page);
    for (let i = 0; i < 4; i++) {
      const g = Number(gpuRows[i].cells.kappa.value);
      expect(Math.abs(Number(cpuRows[i].cells.kappa.value) - g) / g).toBeLessThan(1e-2);
    }
    expect((await exportJson(page))!.backend).toBe('cpu');
  });
});

describe('Normalization lab with a CSV file', () => {
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'gp-csv-'));
  // price (the target, first column), then two features with the lecture's scales; values written in full.
  const gen = makeDataset({ m: 300, seed: 9 });
  const rows: string[] = ['price,area,rooms'];
  for (const split of [gen.train, gen.test]) {
    for (let i = 0; i < split.m; i++) rows.push(`${split.y[i]},${split.x[i * 2]},${split.x[i * 2 + 1]}`);
  }
  const good = join(dir, 'houses.csv');
  writeFileSync(good, rows.join('\n') + '\n');
  const constant = join(dir, 'constant.csv');
  writeFileSync(constant, ['y,a,b', ...Array.from({ length: 40 }, (_, i) => `${i},${i * 3 + 1},7`)].join('\n') + '\n');

  beforeAll(async () => {
    page = await openLab(encodeNormalizeState({ ...STATE, data: { ...STATE.data, m: 200 } }));
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
  });
  afterAll(() => page?.close());

  async function upload(file: string) {
    const input = await page.$('gp-app >>> gp-normalize-lab >>> [data-testid=csv-file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
  }

  it('loads a CSV, lets the user pick the target, and runs on it', async () => {
    await upload(good);
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=csv-target]'), { timeout: CSV_TIMEOUT }, lab);
    // default target: the last column; pick price
    expect(await value(page, '[data-testid=csv-target]')).toBe('rooms');
    await inLab<void>(
      page,
      `const s = root.querySelector('[data-testid=csv-target]'); s.value = 'price'; s.dispatchEvent(new Event('change', { bubbles: true }));`,
    );
    await page.waitForFunction(
      (l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=dataset-summary]')!.textContent!.includes('target price'),
      { timeout: 10_000 },
      lab,
    );
    expect(await text(page, '[data-testid=dataset-summary]')).toMatch(
      /CSV file houses\.csv, target price; 300 rows \(240 train, 60 test\), 2 features \(area, rooms\)/,
    );
    await click(page, '[data-testid=run]');
    await waitForRunEnd(page);
    expect(await runState(page)).toBe('complete');
    const header = await text(page, '[data-testid=stats-table] thead');
    expect(header).toContain('area: subtract');
    expect(header).toContain('rooms: subtract');
    // κ of the raw features agrees with a float64 reference on the same split (datasetFromTable is pure)
    const parsed = parseCsv(rows.join('\n') + '\n');
    if (!parsed.ok) throw new Error(parsed.message);
    const ds = datasetFromTable(parsed.table, { target: 'price', testFraction: STATE.data.testFraction, seed: STATE.data.seed, fileName: 'houses.csv' });
    const { x, m } = ds.train;
    const mu = [0, 0];
    for (let i = 0; i < m; i++) for (let j = 0; j < 2; j++) mu[j] += x[i * 2 + j] / m;
    const c = [0, 0, 0];
    for (let i = 0; i < m; i++) {
      const a = x[i * 2] - mu[0];
      const b = x[i * 2 + 1] - mu[1];
      c[0] += (a * a) / m;
      c[1] += (a * b) / m;
      c[2] += (b * b) / m;
    }
    const r = Math.hypot((c[0] - c[2]) / 2, c[1]);
    const kappa = ((c[0] + c[2]) / 2 + r) / ((c[0] + c[2]) / 2 - r);
    const table = await readTable(page);
    expect(Math.abs(Number(table[0].cells.kappa.value) - kappa) / kappa).toBeLessThan(1e-2);
    const doc = (await exportJson(page))!;
    expect(doc.dataset.source).toEqual({ kind: 'csv', fileName: 'houses.csv', rows: 300 });
    expect(doc.query).toBeNull();
    expect(doc.dataset.featureNames).toEqual(['area', 'rooms']);
  });

  it('under prefers-reduced-motion the paths are drawn whole at once; Replay animates otherwise', async () => {
    const progress = await inLab<{ drawn: number; total: number }[]>(page, `return [...root.querySelectorAll('gp-contour-plot')].map((p) => p.progress);`);
    expect(progress).toHaveLength(4);
    for (const p of progress) {
      expect(p.total).toBeGreaterThan(1);
      expect(p.drawn).toBe(p.total);
    }
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'no-preference' }]);
    const during = await inLab<{ drawn: number; total: number; animating: boolean }[]>(
      page,
      `root.querySelector('[data-testid=replay]').click(); return [...root.querySelectorAll('gp-contour-plot')].map((p) => ({ ...p.progress, animating: p.animating }));`,
    );
    for (const p of during) {
      expect(p.animating).toBe(true);
      expect(p.drawn).toBe(1);
    }
    await page.waitForFunction(
      (l) => [...(eval(l) as HTMLElement).shadowRoot!.querySelectorAll('gp-contour-plot')].every((p) => !(p as unknown as { animating: boolean }).animating),
      { timeout: 30_000 },
      lab,
    );
    const after = await inLab<{ drawn: number; total: number }[]>(page, `return [...root.querySelectorAll('gp-contour-plot')].map((p) => p.progress);`);
    for (const p of after) expect(p.drawn).toBe(p.total);
  });

  it('a run that fails (a constant column) is reported in place; the previous results stay', async () => {
    const before = await readTable(page);
    await upload(constant);
    await page.waitForFunction(
      (l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=dataset-summary]')!.textContent!.includes('constant.csv'),
      { timeout: CSV_TIMEOUT },
      lab,
    );
    await click(page, '[data-testid=run]');
    await waitForRunEnd(page);
    expect(await runState(page)).toBe('error');
    const err = (await text(page, '[data-testid=run-error]'))!;
    expect(err).toMatch(/constant/);
    expect(err).toContain('previous results are still shown');
    expect(await readTable(page)).toEqual(before);
  });
});

describe('Normalization lab: a bad link', () => {
  let page: Page;
  beforeAll(async () => {
    const q = encodeNormalizeState(STATE).replace('m=500', 'm=lots').replace('seed=3', 'seed=-7') + '&bogus=1';
    page = await openLab(q);
  });
  afterAll(() => page?.close());

  it('lists each bad parameter by name; only those fields fall back', async () => {
    const params = await inLab<string[]>(
      page,
      `return [...root.querySelectorAll('[data-testid=url-problems] li')].map((li) => li.getAttribute('data-param'));`,
    );
    expect(params.sort()).toEqual(['bogus', 'm', 'seed']);
    expect(await text(page, '[data-testid=url-problems] li[data-param=m]')).toMatch(/got "lots"; using the default 2000/);
    expect(await value(page, '#f-m')).toBe(String(defaultLabState().data.m));
    expect(await value(page, '#f-seed')).toBe(String(defaultLabState().data.seed));
    expect(await value(page, '#f-testShift')).toBe('0.5');
    expect(await value(page, '#f-lr')).toBe('0.9');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { connectBrowser } from '../helpers/browser';
import { NORMALIZE_LAB as lab, inNormalizeLab as inLab, normalizeLabText as text, openNormalizeLab, runNormalizeLab } from '../helpers/normalize-lab-page';
import { datasetFromTable } from '../../src/labs/normalize/csv-dataset';
import { parseCsv } from '../../src/labs/normalize/csv-parser';
import { normalizeStudy } from '../../src/labs/normalize/study';
import type { NormalizeLabExport } from '../../src/labs/normalize/export';
import { defaultLabState, type NormalizeLabState } from '../../src/labs/normalize/form';
import { NORMALIZE_MODES } from '../../src/labs/normalize/types';
import { encodeNormalizeState } from '../../src/labs/normalize/url-state';

// The Normalization lab's CSV upload and device loss, in the real app (headless Chromium, WebGPU on
// SwiftShader): two different files with the same name and row count give their own results; a column that
// f32 rounding merges is named in a warning; a huge header line is refused without being echoed; a large
// file shows progress and can be cancelled (the loaded data stays); 20,000 unknown link parameters list 10;
// a device lost mid-run (and one lost while idle) keeps the loaded file and results, reconnects and runs.
// Every κ is compared with the float64 CPU study (normalizeStudy(null, …)) of the same split.

const RUN_TIMEOUT = 170_000;
const STATE: NormalizeLabState = { ...defaultLabState(), data: { ...defaultLabState().data, m: 200, testFraction: 0.2, seed: 5 }, plots: [] };

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(() => browser?.disconnect());

const attr = (page: Page, sel: string, name: string) =>
  inLab<string | null>(page, `const e = root.querySelector(${JSON.stringify(sel)}); return e ? e.getAttribute(${JSON.stringify(name)}) : null;`);
const runState = (page: Page) => attr(page, '[data-run-state]', 'data-run-state');
const exportJson = (page: Page) => inLab<NormalizeLabExport | null>(page, 'return el.exportJson();');

async function upload(page: Page, file: string) {
  const before = Number((await attr(page, '[data-testid=dataset-summary]', 'data-csv-upload')) || 0);
  const input = await page.$('gp-app >>> gp-normalize-lab >>> [data-testid=csv-file]');
  await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
  return before;
}

/** Uploads a file and waits until it is loaded (a new upload number) or refused (csv-error). */
async function load(page: Page, file: string) {
  const before = await upload(page, file);
  await page.waitForFunction(
    (l, b) => {
      const root = (eval(l) as HTMLElement).shadowRoot!;
      return (
        Number(root.querySelector('[data-testid=dataset-summary]')?.getAttribute('data-csv-upload') || 0) > b || !!root.querySelector('[data-testid=csv-error]')
      );
    },
    { timeout: 60_000, polling: 100 },
    lab,
    before,
  );
}

async function run(page: Page) {
  await runNormalizeLab(page, RUN_TIMEOUT);
}

/** κ per mode from the float64 CPU study of the split the lab makes of this file. */
async function referenceKappa(csvText: string, target: string): Promise<Record<string, number>> {
  const parsed = parseCsv(csvText);
  if (!parsed.ok) throw new Error(parsed.message);
  const ds = datasetFromTable(parsed.table, { target, testFraction: STATE.data.testFraction, seed: STATE.data.seed, fileName: 'data.csv' });
  const out: Record<string, number> = {};
  for (const mode of NORMALIZE_MODES) out[mode] = (await normalizeStudy(null, ds, { mode })).kappa;
  return out;
}

function expectKappas(doc: NormalizeLabExport, ref: Record<string, number>) {
  expect(doc.modes.map((r) => r.mode)).toEqual([...NORMALIZE_MODES]);
  for (const r of doc.modes) expect(Math.abs((r.kappa as number) / ref[r.mode] - 1), r.mode).toBeLessThan(1e-2);
}

// Two features on different scales and a target; `a` and `b` vary the scales so κ differs between files.
function csvText(rows: number, a: number, b: number, seed: number): string {
  const lines = ['x1,x2,y'];
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < rows; i++) {
    const x1 = a * rnd();
    const x2 = b * rnd();
    lines.push(`${x1.toPrecision(6)},${x2.toPrecision(6)},${((3 * x1) / a + (2 * x2) / b + 0.1 * rnd()).toPrecision(6)}`);
  }
  return lines.join('\n') + '\n';
}

describe('Normalization lab: CSV files', () => {
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'gp-csv2-'));
  mkdirSync(join(dir, 'one'));
  mkdirSync(join(dir, 'two'));
  const first = csvText(150, 1000, 1, 1);
  const second = csvText(150, 10, 5, 2);
  writeFileSync(join(dir, 'one', 'data.csv'), first);
  writeFileSync(join(dir, 'two', 'data.csv'), second);

  beforeAll(async () => {
    page = await openNormalizeLab(browser, encodeNormalizeState(STATE));
  });
  afterAll(() => page?.close());

  it('two different files with the same name and row count give their own results', async () => {
    await load(page, join(dir, 'one', 'data.csv'));
    expect(await attr(page, '[data-testid=dataset-summary]', 'data-csv-via')).toBe('worker');
    expect(await text(page, '[data-testid=dataset-summary]')).toMatch(/CSV file data\.csv, target y; 150 rows/);
    await run(page);
    expect(await runState(page)).toBe('complete');
    const doc1 = (await exportJson(page))!;
    expectKappas(doc1, await referenceKappa(first, 'y'));

    await load(page, join(dir, 'two', 'data.csv'));
    expect(await attr(page, '[data-testid=dataset-summary]', 'data-csv-upload')).toBe('2');
    expect(await text(page, '[data-testid=dataset-summary]')).toMatch(/CSV file data\.csv, target y; 150 rows/);
    await run(page);
    expect(await runState(page)).toBe('complete');
    const doc2 = (await exportJson(page))!;
    const ref2 = await referenceKappa(second, 'y');
    expectKappas(doc2, ref2);
    // Really different data: the raw κ of the two files differ by far more than the tolerance.
    expect(Math.abs((doc2.modes[0].kappa as number) / (doc1.modes[0].kappa as number) - 1)).toBeGreaterThan(0.5);
  });

  it('a column whose distinct values f32 rounding merges (x1 = 2²⁴ + i) is named in a warning', async () => {
    const rows = ['x1,x2,y', ...Array.from({ length: 20 }, (_, i) => `${2 ** 24 + i},${(i * 7) % 11},${i}`)].join('\n') + '\n';
    writeFileSync(join(dir, 'big.csv'), rows);
    await load(page, join(dir, 'big.csv'));
    const warning = (await text(page, '[data-testid=csv-f32-warning]'))!;
    expect(warning).toMatch(/Column "x1": its 20 distinct values become 11 in f32/);
    expect(warning).toMatch(/e\.g\. lines \d+ and \d+ \(16777216 and 16777217 both become 16777216\)/);
    expect(await attr(page, '[data-testid=csv-f32-warning] li', 'data-column')).toBe('x1');
    await run(page);
    // Whether or not the fit goes through, the result says the rounding is involved.
    if ((await runState(page)) === 'complete') expect(await text(page, '[data-testid=results-f32-warning]')).toMatch(/Column "x1"/);
    else expect(await text(page, '[data-testid=run-error]')).toMatch(/f32 merged distinct values/);
  });

  it('a 5 MB header line is refused with a short message; the loaded data stays', async () => {
    writeFileSync(join(dir, 'wide.csv'), `${'h'.repeat(5_000_000)},y\n1,2\n3,4\n`);
    await load(page, join(dir, 'wide.csv'));
    const msg = (await text(page, '[data-testid=csv-error]'))!;
    expect(msg).toMatch(/^wide\.csv, line 1: Line 1 is longer than 100,000 characters/);
    expect(msg.length).toBeLessThan(400);
    expect(await text(page, '[data-testid=dataset-summary]')).toMatch(/CSV file big\.csv/);
  });

  it('a large file shows progress and Cancel stops it; the loaded data stays', async () => {
    // ≈ 95 MB in 800,000 rows: reading takes seconds, so Cancel lands while it reads.
    const row = Array.from({ length: 10 }, (_, j) => (1.2345678901 + j).toFixed(9)).join(',');
    const header = Array.from({ length: 10 }, (_, j) => `c${j}`).join(',');
    writeFileSync(join(dir, 'large.csv'), header + '\n' + `${row}\n`.repeat(800_000));
    const summary = await text(page, '[data-testid=dataset-summary]');
    await upload(page, join(dir, 'large.csv'));
    await page.waitForFunction(
      (l) => /MB, [\d,]+ rows/.test((eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=csv-progress]')?.textContent ?? ''),
      { timeout: 60_000, polling: 20 },
      lab,
    );
    expect(await text(page, '[data-testid=csv-progress]')).toMatch(/^Reading large\.csv: [\d.]+ of [\d.]+ MB, [\d,]+ rows… Cancel$/);
    await inLab<void>(page, `root.querySelector('[data-testid=csv-cancel]').click();`);
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=csv-error]'), { timeout: 10_000 }, lab);
    expect(await text(page, '[data-testid=csv-error]')).toMatch(/^Reading large\.csv was cancelled\. (The previous data is still loaded|No file is loaded)\.$/);
    expect(await text(page, '[data-testid=csv-progress]')).toBeNull();
    expect(await text(page, '[data-testid=dataset-summary]')).toBe(summary);
  });
});

describe('Normalization lab: 20,000 unknown link parameters', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openNormalizeLab(browser, encodeNormalizeState(STATE) + Array.from({ length: 20_000 }, (_, i) => `&junk${i}=1`).join(''));
  });
  afterAll(() => page?.close());

  it('lists 10 by name and counts the rest; the known settings are read', async () => {
    const items = await inLab<{ param: string; text: string }[]>(
      page,
      `return [...root.querySelectorAll('[data-testid=url-problems] li')].map((li) => ({ param: li.getAttribute('data-param'), text: li.textContent.replace(/\\s+/g, ' ').trim() }));`,
    );
    expect(items).toHaveLength(11);
    expect(items.slice(0, 10).map((i) => i.param)).toEqual(Array.from({ length: 10 }, (_, i) => `junk${i}`));
    expect(items[10].text).toBe('… and 19,990 more unknown parameters (ignored)');
    expect(await inLab<string>(page, `return root.querySelector('#f-m').value;`)).toBe('200');
  });
});

describe('Normalization lab: device loss (?debug=lose-device-after-row=2: after the second study)', () => {
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'gp-csv3-'));
  const data = csvText(160, 500, 2, 7);
  writeFileSync(join(dir, 'kept.csv'), data);

  beforeAll(async () => {
    page = await openNormalizeLab(browser, encodeNormalizeState(STATE), 'lose-device-after-row=2');
  });
  afterAll(() => page?.close());

  it('a loss mid-run reconnects and continues; the CSV, settings and results are kept; after a loss while idle it runs again', async () => {
    await load(page, join(dir, 'kept.csv'));
    await inLab<void>(
      page,
      `window.firstGpu = el.gpu; const seen = []; window.seen = seen;
      new MutationObserver(() => { const r = root.querySelector('[data-testid=reconnecting]'); if (r) seen.push(r.textContent.replace(/\\s+/g, ' ').trim()); })
        .observe(root, { subtree: true, childList: true, characterData: true });`,
    );
    await run(page);
    expect(await text(page, '[data-testid=run-error]')).toBeNull();
    expect(await runState(page)).toBe('complete');
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen[0]).toMatch(/^The GPU device was lost after 2 of 4 studies \(forced\)\. Getting a new device/);
    const recoveries = await inLab<{ result: string; text: string }[]>(
      page,
      `return [...root.querySelectorAll('[data-testid=recovery-notice] li')].map((li) => ({ result: li.getAttribute('data-result'), text: li.textContent.replace(/\\s+/g, ' ').trim() }));`,
    );
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0].result).toBe('resumed');
    expect(recoveries[0].text).toMatch(/^after 2 of 4 studies: reconnected to a new device and continued\. .*forced after study 2 of 4/);
    expect(await inLab<boolean>(page, `return el.gpu !== window.firstGpu && !el.gpu.lost && document.querySelector('gp-app').gpu === el.gpu;`)).toBe(true);
    const ref = await referenceKappa(data, 'y');
    const doc = (await exportJson(page))!;
    expect(doc.backend).toBe('gpu');
    expect(doc.dataset.source).toEqual({ kind: 'csv', fileName: 'kept.csv', rows: 160 });
    expectKappas(doc, ref);

    // A loss while idle: the shell's banner shows it; the lab keeps its file, settings and results.
    // The app's own module instance (same URL), so the loss is reported like a real one. A string: Vitest
    // would rewrite a dynamic import() in test code.
    await page.evaluate(`import('/src/gpu/context.ts').then((m) => m.forceDeviceLoss(document.querySelector('gp-app').gpu, 'test: lost while idle'))`);
    await page.waitForFunction(() => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('[data-testid=device-lost-banner]'), { timeout: 10_000 });
    expect((await exportJson(page))!.modes).toEqual(doc.modes);
    expect(await text(page, '[data-testid=dataset-summary]')).toMatch(/CSV file kept\.csv, target y; 160 rows/);
    expect(await inLab<string>(page, `return root.querySelector('#f-seed').value;`)).toBe(String(STATE.data.seed));
    // Run again without pressing Reconnect: the lab gets a new device itself and finishes.
    await run(page);
    expect(await text(page, '[data-testid=run-error]')).toBeNull();
    expect(await runState(page)).toBe('complete');
    const again = (await exportJson(page))!;
    expect(again.backend).toBe('gpu');
    expectKappas(again, ref);
    expect(await inLab<boolean>(page, `return !el.gpu.lost;`)).toBe(true);
    expect(await page.evaluate(() => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('[data-testid=device-lost-banner]'))).toBe(false);
  });
});

describe('Normalization lab: repeated device loss (?debug=lose-device-after-row=1,lose-device-times=10)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openNormalizeLab(browser, encodeNormalizeState(STATE), 'lose-device-after-row=1,lose-device-times=10');
  });
  afterAll(() => page?.close());

  it('reconnects 3 times, then stops with a message; the settings stay and the shell offers Reconnect', async () => {
    await run(page);
    expect(await runState(page)).toBe('error');
    const recoveries = await inLab<{ result: string; text: string }[]>(
      page,
      `return [...root.querySelectorAll('[data-testid=recovery-notice] li')].map((li) => ({ result: li.getAttribute('data-result'), text: li.textContent.replace(/\\s+/g, ' ').trim() }));`,
    );
    // Each device finishes one study before its loss: studies 2, 3 and 4 resume on new devices; the fourth
    // loss (during the first descent) is one too many.
    expect(recoveries.map((r) => r.result)).toEqual(['resumed', 'resumed', 'resumed', 'gave-up']);
    expect(recoveries.map((r) => r.text.split(':')[0])).toEqual([
      'after 1 of 4 studies',
      'after 2 of 4 studies',
      'after 3 of 4 studies',
      'after 0 of 4 descents',
    ]);
    expect(await text(page, '[data-testid=run-error]')).toMatch(
      /^The run failed: The GPU device was lost 4 times during this run; stopped after 3 automatic recoveries\./,
    );
    expect(
      await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('[data-testid=device-lost-banner]')?.textContent ?? ''),
    ).toMatch(/Reconnect/);
    expect(await inLab<string>(page, `return root.querySelector('#f-m').value;`)).toBe('200');
    expect(await inLab<string>(page, `return root.querySelector('#f-seed').value;`)).toBe(String(STATE.data.seed));
  });
});
